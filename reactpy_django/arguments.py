"""Component arguments: stored when a page renders, loaded when its WebSocket mounts.

Arguments are pickled, signed with the site's `SECRET_KEY` (a tampered row is refused rather
than unpickled), and bound to the session that rendered the page: only a WebSocket carrying
that session's cookie may mount them.
"""

from __future__ import annotations

import hmac
import pickle
from datetime import timedelta
from typing import Any

from django.utils import timezone
from django.utils.crypto import salted_hmac

from reactpy_django.conf import reactpy_settings
from reactpy_django.models import ComponentSession

__all__ = ["ArgumentsRefused", "load_arguments", "save_arguments", "touch_arguments"]

_SALT = "reactpy_django.arguments"
_MAC_SIZE = 32


class ArgumentsRefused(Exception):
    """The WebSocket asked for arguments it may not have: unknown, expired, or not its session."""


def _sign(payload: bytes) -> bytes:
    return salted_hmac(_SALT, payload, algorithm="sha256").digest() + payload


def _verify(blob: bytes) -> bytes | None:
    mac, payload = blob[:_MAC_SIZE], blob[_MAC_SIZE:]
    expected = salted_hmac(_SALT, payload, algorithm="sha256").digest()
    return payload if hmac.compare_digest(mac, expected) else None


def save_arguments(
    uuid: str,
    component: str,
    session_key: str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> None:
    """Store a page's component arguments (sync: template rendering is sync)."""
    payload = pickle.dumps((args, kwargs), protocol=pickle.HIGHEST_PROTOCOL)
    ComponentSession.objects.using(reactpy_settings().database).create(
        uuid=uuid,
        component=component,
        session_key=session_key,
        params=_sign(payload),
        last_accessed=timezone.now(),
    )


async def load_arguments(
    uuid: str, component: str, session_key: str
) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """The arguments stored for `uuid`, if this session may mount them; else `ArgumentsRefused`."""
    config = reactpy_settings()
    oldest = timezone.now() - timedelta(seconds=config.session_max_age)
    row = (
        await ComponentSession.objects.using(config.database)
        .filter(uuid=uuid, last_accessed__gt=oldest)
        .afirst()
    )
    if row is None:
        msg = f"No arguments stored for {uuid!r}, or they expired; reload the page."
        raise ArgumentsRefused(msg)
    if row.component != component:
        msg = f"Arguments {uuid!r} were rendered for {row.component!r}, not {component!r}."
        raise ArgumentsRefused(msg)
    if not row.session_key or not hmac.compare_digest(row.session_key, session_key):
        msg = f"Arguments {uuid!r} belong to another browser session."
        raise ArgumentsRefused(msg)
    payload = _verify(bytes(row.params))
    if payload is None:
        msg = f"Arguments {uuid!r} failed their signature check (SECRET_KEY changed?)."
        raise ArgumentsRefused(msg)
    args, kwargs = pickle.loads(payload)
    return tuple(args), dict(kwargs)


async def touch_arguments(uuid: str) -> None:
    """Keep a page's arguments alive for another `REACTPY_SESSION_MAX_AGE` (on disconnect)."""
    await (
        ComponentSession.objects.using(reactpy_settings().database)
        .filter(uuid=uuid)
        .aupdate(last_accessed=timezone.now())
    )


async def rebind_arguments(old_session_key: str, new_session_key: str) -> None:
    """Move a session's arguments to its new key (login and logout cycle the session key)."""
    if not old_session_key or old_session_key == new_session_key:
        return
    await (
        ComponentSession.objects.using(reactpy_settings().database)
        .filter(session_key=old_session_key)
        .aupdate(session_key=new_session_key)
    )
