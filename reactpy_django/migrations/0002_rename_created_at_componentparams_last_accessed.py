"""reactpy-django's schema step 0002: the arguments' timestamp becomes `last_accessed`."""

from collections.abc import Sequence
from typing import ClassVar

from django.db import migrations
from django.db.migrations.operations.base import Operation


class Migration(migrations.Migration):
    """reactpy-django's schema step 0002: the arguments' timestamp becomes `last_accessed`."""

    dependencies: ClassVar[Sequence[tuple[str, str]]] = [("reactpy_django", "0001_initial")]

    operations: ClassVar[Sequence[Operation]] = [
        migrations.RenameField(
            model_name="componentparams", old_name="created_at", new_name="last_accessed"
        ),
    ]
