"""Each user's stored data: 5.2.1's JSON bytes become the JSON column, content unchanged.

Bytes that are not a JSON object are logged with the user's key and moved, as they were, to
`UnconvertedUserData`; that user then starts from `use_user_data`'s defaults. Reversible: the
JSON is written back as bytes by orjson, as 5.2.1 writes it, and moved rows return.
"""

import logging
from collections.abc import Iterator, Sequence
from typing import Any, ClassVar

import orjson
from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.operations.base import Operation
from django.db.models import Model

_logger: logging.Logger = logging.getLogger("reactpy_django.migrations")

_CHUNK = 500


def _has_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        items: dict[object, object] = value  # pyright: ignore[reportUnknownVariableType]  # isinstance narrows to dict[Unknown, Unknown]; decoded JSON is plain objects
        return any(_has_nul(key) or _has_nul(item) for key, item in items.items())
    if isinstance(value, list):
        entries: list[object] = value  # pyright: ignore[reportUnknownVariableType]  # isinstance narrows to list[Unknown]; decoded JSON is plain objects
        return any(_has_nul(item) for item in entries)
    return False


def _parse(raw: bytes, vendor: str) -> dict[str, Any] | str:
    """The stored object, or why it is not one."""
    if not raw:
        return {}  # 5.2.1 read empty or missing bytes as an empty dict
    try:
        # Read as 5.2.1 read it; orjson also refuses NaN and Infinity, which jsonb cannot hold.
        value: object = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        return f"not valid JSON ({error})"
    if not isinstance(value, dict):
        return f"JSON, but a {type(value).__name__}, not an object"
    stored: dict[str, Any] = value  # pyright: ignore[reportUnknownVariableType]  # keys are str
    if vendor == "postgresql" and _has_nul(stored):
        return "JSON with a NUL character, which PostgreSQL's jsonb cannot store"
    return stored


def _rows(model: type[Model], alias: str) -> Iterator[Any]:
    """Every row, read in chunks after the keys are listed (rows are changed as we go)."""
    manager = model._default_manager.using(alias)
    keys = list(manager.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(keys), _CHUNK):
        yield from manager.filter(pk__in=keys[start : start + _CHUNK]).order_by("pk")


def to_json(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Fill `data_json` from the bytes; move what is not a JSON object aside."""
    alias = schema_editor.connection.alias
    user_data = apps.get_model("reactpy_django", "UserDataModel")
    unconverted = apps.get_model("reactpy_django", "UnconvertedUserData")
    for row in _rows(user_data, alias):
        raw = bytes(row.data or b"")
        parsed = _parse(raw, schema_editor.connection.vendor)
        if isinstance(parsed, dict):
            row.data_json = parsed
            row.save(using=alias, update_fields=["data_json"])
            continue
        _logger.warning(
            "The stored use_user_data of user %s is %s, so it was not converted; its bytes "
            "are kept in the reactpy_django_unconverteduserdata table and the user starts "
            "from the defaults.",
            row.user_pk,
            parsed,
        )
        unconverted._default_manager.using(alias).create(
            user_pk=row.user_pk, data=raw, error=parsed
        )
        row.delete(using=alias)


def to_bytes(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Write the JSON back as bytes, and return the rows that were moved aside."""
    alias = schema_editor.connection.alias
    user_data = apps.get_model("reactpy_django", "UserDataModel")
    unconverted = apps.get_model("reactpy_django", "UnconvertedUserData")
    for row in _rows(user_data, alias):
        row.data = orjson.dumps(row.data_json)
        row.save(using=alias, update_fields=["data"])
    for moved in _rows(unconverted, alias):
        user_data._default_manager.using(alias).update_or_create(
            user_pk=moved.user_pk, defaults={"data": bytes(moved.data), "data_json": {}}
        )
        moved.delete(using=alias)


class Migration(migrations.Migration):
    """Each user's stored data: 5.2.1's JSON bytes become the JSON column, content unchanged."""

    dependencies: ClassVar[Sequence[tuple[str, str]]] = [
        ("reactpy_django", "0009_userdatamodel_data_json_unconverteduserdata")
    ]

    operations: ClassVar[Sequence[Operation]] = [
        migrations.RunPython(to_json, to_bytes, elidable=False),
    ]
