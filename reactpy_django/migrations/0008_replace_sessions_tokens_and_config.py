"""Our tables for component arguments, login tokens and the cleaning time replace 5.2.1's.

reactpy-django's rows there are short-lived (arguments expire, tokens last seconds) and pickled
with dill, which this package never loads, so the tables are dropped rather than converted.
A page rendered before the switch gets new arguments on its next load.
"""

from collections.abc import Sequence
from typing import ClassVar

from django.db import migrations, models
from django.db.migrations.operations.base import Operation


class Migration(migrations.Migration):
    """Our tables for component arguments, login tokens and the cleaning time replace 5.2.1's."""

    dependencies: ClassVar[Sequence[tuple[str, str]]] = [("reactpy_django", "0007_authtoken")]

    operations: ClassVar[Sequence[Operation]] = [
        migrations.DeleteModel(name="ComponentSession"),
        migrations.DeleteModel(name="AuthToken"),
        migrations.DeleteModel(name="Config"),
        migrations.CreateModel(
            name="ComponentSession",
            fields=[
                (
                    "uuid",
                    models.CharField(
                        editable=False, max_length=36, primary_key=True, serialize=False
                    ),
                ),
                ("component", models.CharField(max_length=255)),
                ("session_key", models.CharField(blank=True, db_index=True, max_length=64)),
                ("params", models.BinaryField()),
                ("last_accessed", models.DateTimeField(db_index=True)),
            ],
        ),
        migrations.CreateModel(
            name="AuthToken",
            fields=[
                (
                    "value",
                    models.CharField(
                        editable=False, max_length=64, primary_key=True, serialize=False
                    ),
                ),
                ("session_key", models.CharField(max_length=64)),
                ("previous_session_key", models.CharField(blank=True, max_length=64)),
                ("created_at", models.DateTimeField(db_index=True)),
            ],
        ),
        migrations.CreateModel(
            name="CleanupState",
            fields=[
                (
                    "id",
                    models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False),
                ),
                ("cleaned_at", models.DateTimeField()),
            ],
        ),
    ]
