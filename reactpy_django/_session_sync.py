"""Logins and logouts reach the same browser session's connections in other server processes.

`use_auth` moves every connection of a browser session in its own process to the new session
(`_auth_session`). For the other processes, this process's relay (`_relay`) is in one
group per browser session it holds connections of, named by a hash of the session key (so
Redis never holds a session key in a key name). A login or logout sends the new session key
to the old session's group; every other process moves its connections of that session to it
and re-renders them. With the in-memory layer (one process) or no layer, nothing is sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import threading
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from reactpy_django._relay import on_message, relay

__all__ = ["Follow", "group_name", "join", "leave", "publish"]

logger: logging.Logger = logging.getLogger(__name__)

Follow = Callable[[str, str], Awaitable[None]]
"""`follow(old_key, new_key)`: move this process's connections of `old_key` to `new_key`."""

_MESSAGE_TYPE = "reactpy.session"
_lock = threading.Lock()
# group -> each event loop holding connections of that session: (session key, follow).
_followers: dict[str, dict[asyncio.AbstractEventLoop, tuple[str, Follow]]] = {}
_background: set[asyncio.Task[None]] = set()


def group_name(session_key: str) -> str:
    """The channel-layer group of the connections of one browser session."""
    return "reactpy-session." + hashlib.sha256(session_key.encode()).hexdigest()[:48]


def join(session_key: str, follow: Follow) -> None:
    """This loop now has connections of `session_key`: hear of its logins elsewhere."""
    if not session_key:
        return
    found = relay()
    if found is None:
        return
    group = group_name(session_key)
    loop = asyncio.get_running_loop()
    with _lock:
        loops = _followers.setdefault(group, {})
        first = loop not in loops
        loops[loop] = (session_key, follow)
    if first:
        found.want(group)


def leave(session_key: str) -> None:
    """This loop has no connection of `session_key` left."""
    if not session_key:
        return
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:  # no running loop: nothing was joined from here
        return
    group = group_name(session_key)
    with _lock:
        loops = _followers.get(group)
        if loops is None or loops.pop(loop, None) is None:
            return
        if not loops:
            del _followers[group]
    found = relay()
    if found is not None:
        found.unwant(group)


def publish(old_key: str, new_key: str) -> None:
    """Tell other processes that the browser session `old_key` now holds `new_key`."""
    found = relay()
    if found is None or not old_key:
        return
    group = group_name(old_key)
    message = {"type": _MESSAGE_TYPE, "group": group, "session": new_key}
    found.send(group, message, "of a login or logout (their tabs show the old user until reloaded)")


def _heard(message: Mapping[str, Any]) -> None:
    """Another process logged a browser session in or out (on the relay's thread)."""
    group = message.get("group")
    new_key = message.get("session")
    if not isinstance(group, str) or not isinstance(new_key, str) or not new_key:
        return
    with _lock:
        targets = list(_followers.get(group, {}).items())
    for loop, (old_key, follow) in targets:
        with contextlib.suppress(RuntimeError):  # that loop has closed
            loop.call_soon_threadsafe(_start_following, follow, old_key, new_key)


def _start_following(follow: Follow, old_key: str, new_key: str) -> None:
    task = asyncio.get_running_loop().create_task(
        _follow(follow, old_key, new_key), name="reactpy-session-follow"
    )
    _background.add(task)
    task.add_done_callback(_background.discard)


async def _follow(follow: Follow, old_key: str, new_key: str) -> None:
    try:
        await follow(old_key, new_key)
    except Exception:
        logger.exception("Could not follow a login or logout made in another process.")


on_message(_MESSAGE_TYPE, _heard)
