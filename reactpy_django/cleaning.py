"""Deleting expired component arguments, login tokens and orphaned user data.

`manage.py clean_reactpy` cleans now. Automatic cleaning runs after a WebSocket closes, at
most once per `REACTPY_CLEAN_INTERVAL` for all processes together: the time of the last
cleaning is one database row, and each process reads it at most once a minute.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from typing import TypeVar

from channels.db import database_sync_to_async
from django.contrib.auth import get_user_model
from django.db import models, router
from django.db.models.functions import Cast
from django.utils import timezone

from reactpy_django.conf import reactpy_settings
from reactpy_django.models import (
    AuthToken,
    CleanupState,
    ComponentSession,
    UnconvertedUserData,
    UserDataModel,
)

__all__ = ["clean", "clean_if_due"]

logger: logging.Logger = logging.getLogger(__name__)

_UserRow = TypeVar("_UserRow", UserDataModel, UnconvertedUserData)
_CHECK_EVERY = 60.0  # seconds between one process's looks at the last-cleaned row
_next_check = 0.0


def _orphaned(model: type[_UserRow], alias: str) -> models.QuerySet[_UserRow]:
    """Rows of `model` (keyed by `user_pk`) whose user is gone."""
    user_model = get_user_model()
    rows = model._default_manager.using(alias)
    pk_field: object = getattr(user_model._meta, "pk", None)  # typed Field[Unknown] in the stubs
    if router.db_for_read(user_model) == alias and isinstance(pk_field, models.IntegerField):
        # One query; only integer keys, whose text form is the same in Python and SQL.
        users = user_model._default_manager.using(alias).annotate(
            _reactpy_pk=Cast("pk", output_field=models.CharField())
        )
        return rows.exclude(user_pk__in=users.values("_reactpy_pk"))
    known = {str(pk) for pk in user_model._default_manager.values_list("pk", flat=True)}
    gone = [row_pk for row_pk, user_pk in rows.values_list("pk", "user_pk") if user_pk not in known]
    return rows.filter(pk__in=gone)


def clean(
    *, sessions: bool | None = None, auth_tokens: bool | None = None, user_data: bool | None = None
) -> dict[str, int]:
    """Delete what has expired now; returns how many rows of each kind went.

    `None` for a kind means "as its `REACTPY_CLEAN_*` setting says".
    """
    config = reactpy_settings()
    now = timezone.now()
    alias = config.database
    deleted: dict[str, int] = {}
    if config.clean_sessions if sessions is None else sessions:
        oldest = now - timedelta(seconds=config.session_max_age)
        deleted["sessions"], _ = (
            ComponentSession.objects.using(alias).filter(last_accessed__lte=oldest).delete()
        )
    if config.clean_auth_tokens if auth_tokens is None else auth_tokens:
        oldest = now - timedelta(seconds=config.auth_token_max_age)
        deleted["auth_tokens"], _ = (
            AuthToken.objects.using(alias).filter(created_at__lte=oldest).delete()
        )
    if config.clean_user_data if user_data is None else user_data:
        converted, _ = _orphaned(UserDataModel, alias).delete()
        # Bytes kept from reactpy-django 5.2.1 (migration 0010) go with their user too.
        kept, _ = _orphaned(UnconvertedUserData, alias).delete()
        deleted["user_data"] = converted + kept
    CleanupState.objects.using(alias).update_or_create(id=1, defaults={"cleaned_at": now})
    return deleted


def _clean_if_due_sync(interval: int) -> dict[str, int] | None:
    alias = reactpy_settings().database
    state = CleanupState.objects.using(alias).filter(id=1).first()
    if state is not None and timezone.now() - state.cleaned_at < timedelta(seconds=interval):
        return None
    deleted = clean()
    if any(deleted.values()):
        logger.info("Cleaned expired ReactPy rows: %s", deleted)
    return deleted


async def clean_if_due() -> dict[str, int] | None:
    """Clean if `REACTPY_CLEAN_INTERVAL` seconds passed since the last cleaning (of any
    process). Returns what was deleted, or `None` when it was not due (most calls: those
    cost no query)."""
    global _next_check
    interval = reactpy_settings().clean_interval
    now = time.monotonic()
    if interval is None or now < _next_check:
        return None
    _next_check = now + min(_CHECK_EVERY, interval)
    try:
        return await database_sync_to_async(_clean_if_due_sync)(interval)
    except Exception:
        logger.exception("Automatic cleaning of ReactPy rows failed.")
        return None
