"""A JSON column beside 5.2.1's bytes, and a table for stored data that is not a JSON object."""

from collections.abc import Sequence
from typing import ClassVar

from django.db import migrations, models
from django.db.migrations.operations.base import Operation


class Migration(migrations.Migration):
    """A JSON column beside 5.2.1's bytes, and a table for stored data that is not a JSON object."""

    dependencies: ClassVar[Sequence[tuple[str, str]]] = [
        ("reactpy_django", "0008_replace_sessions_tokens_and_config")
    ]

    operations: ClassVar[Sequence[Operation]] = [
        migrations.AddField(
            model_name="userdatamodel", name="data_json", field=models.JSONField(default=dict)
        ),
        migrations.CreateModel(
            name="UnconvertedUserData",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("user_pk", models.CharField(max_length=255, unique=True)),
                ("data", models.BinaryField()),
                ("error", models.TextField()),
            ],
        ),
    ]
