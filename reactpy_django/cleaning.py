"""Deleting expired component arguments, login tokens and orphaned user data."""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from asgiref.sync import sync_to_async
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from reactpy_django.conf import reactpy_settings
from reactpy_django.models import AuthToken, CleanupState, ComponentSession, UserDataModel

__all__ = ["clean", "clean_if_due"]

logger: logging.Logger = logging.getLogger(__name__)

_next_check = 0.0


def clean(
    *, sessions: bool | None = None, auth_tokens: bool | None = None, user_data: bool | None = None
) -> dict[str, int]:
    """Delete what has expired now; `None` for a kind means "as its `REACTPY_CLEAN_*` says"."""
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
        user_model = get_user_model()
        known = {str(pk) for pk in user_model._default_manager.values_list("pk", flat=True)}
        orphans = [
            pk
            for pk in UserDataModel.objects.using(alias).values_list("user_pk", flat=True)
            if pk not in known
        ]
        deleted["user_data"], _ = (
            UserDataModel.objects.using(alias).filter(user_pk__in=orphans).delete()
        )
    with transaction.atomic(using=alias):
        CleanupState.objects.using(alias).update_or_create(id=1, defaults={"cleaned_at": now})
    return deleted


def _clean_if_due_sync(interval: int) -> None:
    alias = reactpy_settings().database
    state = CleanupState.objects.using(alias).filter(id=1).first()
    if state is not None and timezone.now() - state.cleaned_at < timedelta(seconds=interval):
        return
    deleted = clean()
    if any(deleted.values()):
        logger.info("Cleaned expired ReactPy rows: %s", deleted)


async def clean_if_due() -> None:
    """Clean when `REACTPY_CLEAN_INTERVAL` has passed (checked in the database at most once a
    minute per process, so disconnects cost no query)."""
    global _next_check
    interval = reactpy_settings().clean_interval
    if interval is None or time.monotonic() < _next_check:
        return
    _next_check = time.monotonic() + min(60, interval)
    try:
        await sync_to_async(_clean_if_due_sync, thread_sensitive=False)(interval)
    except Exception:
        logger.exception("Automatic cleaning of ReactPy rows failed.")
