"""reactpy-django's first table: component arguments by uuid (its schema step 0001)."""

from collections.abc import Sequence
from typing import ClassVar

from django.db import migrations, models
from django.db.migrations.operations.base import Operation


class Migration(migrations.Migration):
    """reactpy-django's first table: component arguments by uuid (its schema step 0001)."""

    initial: ClassVar[bool | None] = True

    dependencies: ClassVar[Sequence[tuple[str, str]]] = []

    operations: ClassVar[Sequence[Operation]] = [
        migrations.CreateModel(
            name="ComponentParams",
            fields=[
                (
                    "uuid",
                    models.UUIDField(
                        primary_key=True, unique=True, editable=False, serialize=False
                    ),
                ),
                ("data", models.BinaryField()),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
        ),
    ]
