"""Logins and logouts reach the same browser session's connections in other server processes.

`use_auth` moves every connection of a browser session in its own process to the new session
(`reactpy_django.auth`). For the other processes, each event loop with live connections keeps
one process-local channel on the `REACTPY_REFETCH_LAYER` channel layer and adds it to one group
per browser session it holds connections of, named by a hash of the session key (so Redis
never holds a session key in a key name). A login or logout sends the new session key to the
old session's group; every other process moves its connections of that session to it and
re-renders them. With the in-memory layer (one process) or no layer, nothing is sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any
from uuid import uuid4

from channels.layers import BaseChannelLayer, InMemoryChannelLayer, get_channel_layer

from reactpy_django.conf import reactpy_settings

__all__ = ["Follow", "group_name", "join", "leave", "publish"]

logger: logging.Logger = logging.getLogger(__name__)

Follow = Callable[[str, str], Awaitable[None]]
"""`follow(old_key, new_key)`: move this process's connections of `old_key` to `new_key`."""

_MESSAGE_TYPE = "reactpy.session"
_STOP_TYPE = "reactpy.session.stop"
_ORIGIN = uuid4().hex  # this process: it has already moved its own connections
_syncs: dict[asyncio.AbstractEventLoop, _Sync] = {}
_background: set[asyncio.Task[None]] = set()


def group_name(session_key: str) -> str:
    """The channel-layer group of the connections of one browser session."""
    return "reactpy-session." + hashlib.sha256(session_key.encode()).hexdigest()[:48]


def _layer() -> BaseChannelLayer | None:
    """The layer that reaches other processes, or `None` (not configured, or in-memory)."""
    alias = reactpy_settings().refetch_layer
    if alias is None:
        return None
    try:
        layer = get_channel_layer(alias)
    except Exception:  # an alias CHANNEL_LAYERS lacks: the system checks report it
        return None
    return None if layer is None or isinstance(layer, InMemoryChannelLayer) else layer


def join(session_key: str, follow: Follow) -> None:
    """This loop now has connections of `session_key`: hear of its logins elsewhere."""
    if not session_key:
        return
    layer = _layer()
    if layer is None:
        return
    loop = asyncio.get_running_loop()
    sync = _syncs.get(loop)
    if sync is None or sync.stopping:
        sync = _syncs[loop] = _Sync(layer, loop, follow)
    sync.want(session_key)


def leave(session_key: str) -> None:
    """This loop has no connection of `session_key` left."""
    with contextlib.suppress(RuntimeError):  # no running loop: nothing was joined from here
        sync = _syncs.get(asyncio.get_running_loop())
        if sync is not None:
            sync.drop(session_key)


def publish(old_key: str, new_key: str) -> None:
    """Tell other processes that the browser session `old_key` now holds `new_key`."""
    layer = _layer()
    if layer is None or not old_key:
        return
    message = {
        "type": _MESSAGE_TYPE,
        "origin": _ORIGIN,
        "group": group_name(old_key),
        "session": new_key,
    }
    _spawn(_send(layer, group_name(old_key), message), "reactpy-session-publish")


async def _send(layer: BaseChannelLayer, group: str, message: dict[str, str]) -> None:
    try:
        await layer.group_send(group, message)
    except Exception as error:
        logger.warning(
            "A login or logout could not reach this browser's connections in other server "
            "processes (they show the old user until reloaded): %s",
            error,
        )


def _spawn(coroutine: Coroutine[Any, Any, None], name: str) -> None:
    task = asyncio.get_running_loop().create_task(coroutine, name=name)
    _background.add(task)
    task.add_done_callback(_background.discard)


class _Sync:
    """One event loop's channel and its session groups, while it has connections.

    Membership changes are applied in order by one task; it ends (leaving every group) once
    the loop has no session left. It is stopped by a message to its own channel, never by
    cancelling a layer call (the Redis layer can swallow a cancellation mid-command).
    """

    def __init__(
        self, layer: BaseChannelLayer, loop: asyncio.AbstractEventLoop, follow: Follow
    ) -> None:
        self._layer = layer
        self._loop = loop
        self._follow = follow
        self._keys: dict[str, str] = {}  # group -> session key, for the sessions wanted
        self._changes: asyncio.Queue[str | None] = asyncio.Queue()
        self.stopping = False
        task = loop.create_task(self._run(), name="reactpy-session-sync")
        _background.add(task)
        task.add_done_callback(_background.discard)

    def want(self, session_key: str) -> None:
        group = group_name(session_key)
        self._keys[group] = session_key
        self._changes.put_nowait(group)

    def drop(self, session_key: str) -> None:
        group = group_name(session_key)
        if self._keys.pop(group, None) is None:
            return
        self._changes.put_nowait(group)
        if not self._keys:
            self._changes.put_nowait(None)  # stop, unless a session is wanted again by then

    async def _run(self) -> None:
        try:
            channel = await self._layer.new_channel()
        except Exception as error:
            self._give_up(error)
            return
        receiving = self._loop.create_task(self._receive(channel), name="reactpy-session-receive")
        joined: set[str] = set()
        try:
            while True:
                group = await self._changes.get()
                if group is None:
                    if self._keys:
                        continue
                    self.stopping = True
                    if _syncs.get(self._loop) is self:
                        del _syncs[self._loop]
                    break
                try:
                    if group in self._keys and group not in joined:
                        await self._layer.group_add(group, channel)
                        joined.add(group)
                    elif group not in self._keys and group in joined:
                        joined.discard(group)
                        await self._layer.group_discard(group, channel)
                except Exception as error:
                    logger.warning(
                        "Logins in other server processes may not reach this one: changing "
                        "group %r failed: %s",
                        group,
                        error,
                    )
        finally:
            for group in joined:
                with contextlib.suppress(Exception):
                    await self._layer.group_discard(group, channel)
            with contextlib.suppress(Exception):
                await self._layer.send(channel, {"type": _STOP_TYPE})
            await asyncio.wait({receiving}, timeout=5)

    def _give_up(self, error: Exception) -> None:
        self.stopping = True
        if _syncs.get(self._loop) is self:
            del _syncs[self._loop]
        logger.warning("Logins in other server processes will not reach this one: %s", error)

    async def _receive(self, channel: str) -> None:
        while True:
            try:
                message = await self._layer.receive(channel)
            except Exception as error:
                if not self.stopping:
                    logger.warning("Stopped hearing of logins in other processes: %s", error)
                return
            kind = message.get("type")
            if kind == _STOP_TYPE:
                if self.stopping:
                    return
                continue
            if kind != _MESSAGE_TYPE or message.get("origin") == _ORIGIN:
                continue
            old_key = self._keys.get(str(message.get("group")))
            new_key = message.get("session")
            if old_key is None or not isinstance(new_key, str) or not new_key:
                continue
            try:
                await self._follow(old_key, new_key)
            except Exception:
                logger.exception("Could not follow a login or logout made in another process.")
