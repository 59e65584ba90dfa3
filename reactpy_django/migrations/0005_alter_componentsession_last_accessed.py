"""reactpy-django's schema step 0005: `last_accessed` is refreshed on every save."""

from collections.abc import Sequence
from typing import ClassVar

from django.db import migrations, models
from django.db.migrations.operations.base import Operation


class Migration(migrations.Migration):
    """reactpy-django's schema step 0005: `last_accessed` is refreshed on every save."""

    dependencies: ClassVar[Sequence[tuple[str, str]]] = [("reactpy_django", "0004_config")]

    operations: ClassVar[Sequence[Operation]] = [
        migrations.AlterField(
            model_name="componentsession",
            name="last_accessed",
            field=models.DateTimeField(auto_now=True),
        ),
    ]
