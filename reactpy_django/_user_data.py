"""`use_user_data`'s storage: the query and mutation functions of one user's JSON data, the
defaults it fills in, and the check that refuses what JSON cannot store."""

from __future__ import annotations

import inspect
import math
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from django.db import transaction

from reactpy_django._executor import is_async, run_sync
from reactpy_django._json import is_dict, is_object, is_sequence
from reactpy_django._state import ConnectionState
from reactpy_django.conf import reactpy_settings
from reactpy_django.models import UserDataModel
from reactpy_django.types import UserDataDict

__all__ = ["Defaults", "user_data_query", "user_data_writer"]


class Defaults:
    """`default_data`, compared by keys and values (functions by their code), so a literal
    dict built in every render does not start a new query each time."""

    __slots__ = ("values",)

    def __init__(self, values: Mapping[str, object]) -> None:
        self.values = dict(values)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Defaults):
            return NotImplemented
        if self.values.keys() != other.values.keys():
            return False
        return all(_same_default(self.values[key], other.values[key]) for key in self.values)

    def __hash__(self) -> int:
        return hash(tuple(self.values))


def _same_default(old: object, new: object) -> bool:
    if old is new:
        return True
    old_code, new_code = getattr(old, "__code__", None), getattr(new, "__code__", None)
    if old_code is not None or new_code is not None:
        return old_code is new_code
    try:
        return bool(old == new)
    except Exception:
        return False


def _check_json(value: object, where: str) -> None:
    """Refuse, naming where it sits, anything JSON would not store as it is."""
    if value is None or isinstance(value, bool | int | str):
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            msg = f"use_user_data: {where} is {value!r}, which JSON cannot store."
            raise ValueError(msg)
        return
    if is_sequence(value):
        for index, item in enumerate(value):
            _check_json(item, f"{where}[{index}]")
        return
    if is_dict(value):
        for key, item in value.items():
            if not isinstance(key, str):
                msg = f"use_user_data: {where} has the key {key!r}; JSON object keys are strings."
                raise TypeError(msg)
            _check_json(item, f"{where}[{key!r}]")
        return
    msg = (
        f"use_user_data: {where} is a {type(value).__name__}, which JSON cannot store; use "
        "str, int, float, bool, None, lists and dicts with string keys."
    )
    raise TypeError(msg)


def _checked_data(data: object) -> dict[str, Any]:
    if not is_object(data):
        msg = f"use_user_data: the mutation takes a dict, not a {type(data).__name__}."
        raise TypeError(msg)
    try:
        _check_json(data, "data")
    except RecursionError:
        msg = "use_user_data: the data is nested too deeply (or contains itself)."
        raise ValueError(msg) from None
    return data


def _read_user_data(user_pk: str) -> dict[str, Any]:
    db = reactpy_settings().database
    row = UserDataModel.objects.using(db).filter(user_pk=user_pk).first()
    if row is None:
        return {}
    data: object = row.data
    if not is_object(data):
        msg = f"The stored user data of user {user_pk} is not a JSON object; fix the row."
        raise TypeError(msg)
    return data


def _add_missing(user_pk: str, missing: dict[str, Any]) -> dict[str, Any]:
    """Store the defaults still missing (keys written meanwhile win); the data afterwards."""
    db = reactpy_settings().database
    with transaction.atomic(using=db):
        row, _ = (
            UserDataModel.objects.using(db)
            .select_for_update()
            .get_or_create(user_pk=user_pk, defaults={"data": {}})
        )
        current: object = row.data
        stored = current if is_object(current) else {}
        added = {key: value for key, value in missing.items() if key not in stored}
        if added:
            stored = {**stored, **added}
            row.data = stored
            row.save(update_fields=["data"])
        return stored


async def _default_value(value: object, state: ConnectionState) -> object:
    if not callable(value):
        return value
    result: object = value() if is_async(value) else await run_sync(value, state)
    if inspect.isawaitable(result):
        result = await result
    return result


def user_data_query(
    user_pk: str | None, state: ConnectionState
) -> Callable[..., Awaitable[UserDataDict | None]]:
    """The query function of one user's data, named after the user: a write refetches only
    that user's `use_user_data` hooks, in every connection and process."""

    async def user_data(defaults: Defaults, save: bool) -> UserDataDict | None:
        pk = user_pk
        if pk is None:
            return None
        stored = await run_sync(lambda: _read_user_data(pk), state)
        missing = {key: value for key, value in defaults.values.items() if key not in stored}
        if not missing:
            return stored
        computed = {key: await _default_value(value, state) for key, value in missing.items()}
        _check_json(computed, "default_data")
        if save:
            stored = await run_sync(lambda: _add_missing(pk, computed), state)
        else:
            stored = {**computed, **stored}
        return stored

    user_data.__qualname__ = f"use_user_data[{user_pk or 'anonymous'}]"
    return user_data


def user_data_writer(user_pk: str | None) -> Callable[[UserDataDict], None]:
    """The mutation function of one user's data (sync: it runs in the connection's query
    thread)."""

    def store_user_data(data: UserDataDict) -> None:
        if user_pk is None:
            msg = (
                "use_user_data: an anonymous user has no stored data; log the user in "
                "(use_auth().login) before writing."
            )
            raise PermissionError(msg)
        checked = _checked_data(data)
        db = reactpy_settings().database
        UserDataModel.objects.using(db).update_or_create(
            user_pk=user_pk, defaults={"data": checked}
        )

    return store_user_data
