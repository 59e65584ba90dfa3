"""reactpy-django's schema step 0006: per-user data, stored as bytes (orjson there)."""

from collections.abc import Sequence
from typing import ClassVar

from django.db import migrations, models
from django.db.migrations.operations.base import Operation


class Migration(migrations.Migration):
    """reactpy-django's schema step 0006: per-user data, stored as bytes (orjson there)."""

    dependencies: ClassVar[Sequence[tuple[str, str]]] = [
        ("reactpy_django", "0005_alter_componentsession_last_accessed")
    ]

    operations: ClassVar[Sequence[Operation]] = [
        migrations.CreateModel(
            name="UserDataModel",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("user_pk", models.CharField(max_length=255, unique=True)),
                ("data", models.BinaryField(null=True, blank=True)),
            ],
        ),
    ]
