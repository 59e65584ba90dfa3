"""The JSON column takes the name `data`; 5.2.1's bytes column goes."""

from collections.abc import Sequence
from typing import ClassVar

from django.db import migrations
from django.db.migrations.operations.base import Operation


class Migration(migrations.Migration):
    """The JSON column takes the name `data`; 5.2.1's bytes column goes."""

    dependencies: ClassVar[Sequence[tuple[str, str]]] = [
        ("reactpy_django", "0010_user_data_to_json")
    ]

    operations: ClassVar[Sequence[Operation]] = [
        migrations.RemoveField(model_name="userdatamodel", name="data"),
        migrations.RenameField(model_name="userdatamodel", old_name="data_json", new_name="data"),
    ]
