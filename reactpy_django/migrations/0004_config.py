"""reactpy-django's schema step 0004: the `Config` row that records the last cleaning."""

from collections.abc import Sequence
from typing import ClassVar

from django.db import migrations, models
from django.db.migrations.operations.base import Operation


class Migration(migrations.Migration):
    """reactpy-django's schema step 0004: the `Config` row that records the last cleaning."""

    dependencies: ClassVar[Sequence[tuple[str, str]]] = [
        ("reactpy_django", "0003_componentsession_delete_componentparams")
    ]

    operations: ClassVar[Sequence[Operation]] = [
        migrations.CreateModel(
            name="Config",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("cleaned_at", models.DateTimeField(auto_now_add=True)),
            ],
        ),
    ]
