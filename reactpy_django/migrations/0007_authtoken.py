"""reactpy-django's schema step 0007: login tokens keyed by uuid."""

from collections.abc import Sequence
from typing import ClassVar

from django.db import migrations, models
from django.db.migrations.operations.base import Operation


class Migration(migrations.Migration):
    """reactpy-django's schema step 0007: login tokens keyed by uuid."""

    dependencies: ClassVar[Sequence[tuple[str, str]]] = [("reactpy_django", "0006_userdatamodel")]

    operations: ClassVar[Sequence[Operation]] = [
        migrations.CreateModel(
            name="AuthToken",
            fields=[
                (
                    "value",
                    models.UUIDField(
                        primary_key=True, unique=True, editable=False, serialize=False
                    ),
                ),
                ("session_key", models.CharField(max_length=40, editable=False)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
        ),
    ]
