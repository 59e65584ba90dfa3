"""reactpy-django's schema step 0003: `ComponentParams` is replaced by `ComponentSession`."""

from collections.abc import Sequence
from typing import ClassVar

from django.db import migrations, models
from django.db.migrations.operations.base import Operation


class Migration(migrations.Migration):
    """reactpy-django's schema step 0003: `ComponentParams` is replaced by `ComponentSession`."""

    dependencies: ClassVar[Sequence[tuple[str, str]]] = [
        ("reactpy_django", "0002_rename_created_at_componentparams_last_accessed")
    ]

    operations: ClassVar[Sequence[Operation]] = [
        migrations.CreateModel(
            name="ComponentSession",
            fields=[
                (
                    "uuid",
                    models.UUIDField(
                        primary_key=True, unique=True, editable=False, serialize=False
                    ),
                ),
                ("params", models.BinaryField()),
                ("last_accessed", models.DateTimeField(auto_now_add=True)),
            ],
        ),
        migrations.DeleteModel(name="ComponentParams"),
    ]
