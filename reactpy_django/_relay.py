"""This process's relay: the channel-layer groups through which server processes tell each other.

Refetches (`_refetch`) and logins (`_session_sync`) made in one process must reach the
connections of the site's other processes. One relay per process does it, on the layer
`REACTPY_REFETCH_LAYER` names (`None`, a missing layer or an in-memory one, which reaches no
other process, mean no relay): a daemon thread with its own event loop, its own instance of
the layer and one channel, in the groups this process wants. Its own loop keeps the server's
loop clear of it: Channels' Redis layer lets one loop receive per layer instance, and
cancelling one of its calls midway can be swallowed (redis-py), so no layer call here is ever
cancelled, and nothing a server's loop tears down waits for Redis.

Redis keeps groups in memory: a restart forgets them (`_redis.RestartWatch`). The relay joins
every group again after a restart or an outage, and renews them before the layer's group
expiry; an outage is logged once when it starts and once when it ends. On channels_redis'
pub/sub layer the groups are subscriptions, which redis-py renews itself on reconnecting.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import logging
import os
import threading
from collections.abc import Awaitable, Callable, Mapping
from typing import Any
from uuid import uuid4

from channels.layers import BaseChannelLayer, InMemoryChannelLayer, channel_layers
from django.core.signals import setting_changed
from django.dispatch import receiver

from reactpy_django._redis import WATCH_INTERVAL, RestartWatch, retry_delay
from reactpy_django.conf import reactpy_settings

__all__ = ["Handler", "Relay", "on_message", "relay", "standing_group"]

logger: logging.Logger = logging.getLogger(__name__)

Handler = Callable[[Mapping[str, Any]], None]
"""Called on the relay's thread with a message another process sent."""

_ORIGIN = uuid4().hex  # this process: its own messages were already handled locally
_REJOIN_SECONDS = 3600.0  # layers expire group membership (Redis: after a day); renew it
_LEAVE_TIMEOUT = 2.0  # seconds a process exit waits to leave its groups

_lock = threading.Lock()
_relays: dict[str, Relay] = {}
_handlers: dict[str, Handler] = {}
_standing: set[str] = set()
_current: tuple[int, Relay | None] | None = None  # (pid, relay) chosen for the settings


def on_message(kind: str, handler: Handler) -> None:
    """Hand every message of type `kind` from another process to `handler` (on the relay's
    thread: it must only hand work on, never block)."""
    _handlers[kind] = handler


def standing_group(group: str) -> None:
    """Every relay is in `group` for as long as it runs."""
    _standing.add(group)


def relay() -> Relay | None:
    """This process's relay (started on first use), or `None` if no layer reaches another
    process. Looked up once per process and settings: every mount asks."""
    global _current
    found = _current
    if found is not None and found[0] == os.getpid():
        return found[1]
    chosen = _choose()
    _current = (os.getpid(), chosen)
    return chosen


@receiver(setting_changed)
def _settings_changed(*, setting: str, **kwargs: object) -> None:
    global _current
    if setting in {"CHANNEL_LAYERS", "REACTPY_REFETCH_LAYER"}:
        _current = None


def _choose() -> Relay | None:
    alias = reactpy_settings().refetch_layer
    if alias is None or alias not in channel_layers.configs:
        return None
    try:
        layer = channel_layers[alias]
    except Exception:  # a layer that cannot be built: the system checks report it
        return None
    if isinstance(layer, InMemoryChannelLayer):
        return None
    config = repr(channel_layers.configs[alias])
    with _lock:
        found = _relays.get(alias)
        if found is not None and found.pid == os.getpid() and found.config == config:
            return found
        if found is not None and found.pid == os.getpid():  # CHANNEL_LAYERS changed (tests)
            found.stop()
        # None yet, or inherited through fork (its thread did not come along).
        found = _relays[alias] = Relay(alias, config)
        return found


class Relay:
    """A daemon thread in the groups this process wants, handing on what other processes send."""

    def __init__(self, alias: str, config: str) -> None:
        self.alias = alias
        self.config = config
        self.pid = os.getpid()
        self._layer: BaseChannelLayer = channel_layers.make_backend(alias)
        self._loop = asyncio.new_event_loop()
        self._wake = asyncio.Event()
        self._members = threading.Condition()
        self._wanted: dict[str, int] = {}  # group -> holders; guarded by _members
        self._joined: set[str] = set()  # guarded by _members
        self.stopping = False
        self._channel: str | None = None
        self._thread = threading.Thread(
            target=self._main, name=f"reactpy-relay-{alias}", daemon=True
        )
        self._thread.start()
        atexit.register(self.stop, _LEAVE_TIMEOUT * 2)

    def want(self, group: str) -> None:
        """Join `group` (counted: as many `unwant` calls leave it). From any thread."""
        with self._members:
            count = self._wanted.get(group, 0)
            self._wanted[group] = count + 1
        if count == 0:
            self._poke()

    def unwant(self, group: str) -> None:
        """Leave `group` once nobody wants it any more. From any thread."""
        with self._members:
            count = self._wanted.get(group, 0)
            if count <= 0:
                return
            if count == 1:
                del self._wanted[group]
            else:
                self._wanted[group] = count - 1
        if count == 1:
            self._poke()

    def wait_joined(self, group: str, timeout: float) -> bool:
        """Whether the relay is in `group`, waiting up to `timeout` seconds (blocks)."""
        with self._members:
            return self._members.wait_for(lambda: group in self._joined, timeout)

    def send(self, group: str, message: dict[str, Any], what: str) -> None:
        """Send `message` to `group` (from any thread; does not wait). `what` names it in the
        warning logged if it cannot be sent."""
        message = {**message, "origin": _ORIGIN}
        with contextlib.suppress(RuntimeError):  # the loop is closed: the process is exiting
            asyncio.run_coroutine_threadsafe(self._send(group, message, what), self._loop)

    def stop(self, timeout: float = 0.0) -> None:
        """Leave every group and end the thread (waiting up to `timeout` seconds for it)."""
        self.stopping = True
        self._poke()
        self._thread.join(timeout)

    def _poke(self) -> None:
        with contextlib.suppress(RuntimeError):  # the loop is closed
            self._loop.call_soon_threadsafe(self._wake.set)

    def _main(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_until_complete(self._serve())
        finally:
            self._loop.close()

    async def _serve(self) -> None:
        channel = await self._new_channel()
        if channel is None:  # stopped before Redis answered
            return
        self._channel = channel
        receiving = asyncio.ensure_future(self._receive_forever(channel))
        await self._keep_memberships(channel)
        # Stopped. redis-py can swallow a cancellation mid-command: cancel until it ends.
        deadline = self._loop.time() + _LEAVE_TIMEOUT
        while not receiving.done() and self._loop.time() < deadline:
            receiving.cancel()
            await asyncio.wait({receiving}, timeout=0.2)
        # Duck-typed: channels_redis's layer closes its connections with it.
        close_pools: Callable[[], Awaitable[object]] | None = getattr(
            self._layer, "close_pools", None
        )
        if close_pools is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(close_pools(), _LEAVE_TIMEOUT)

    async def _new_channel(self) -> str | None:
        """The relay's channel; retried while the layer fails (channels_redis' pub/sub layer
        subscribes to it at once, so it fails while Redis is down). `None` once stopped."""
        backoff = _Backoff("Could not open the channel that hears other server processes", self)
        while not self.stopping:
            try:
                return await self._layer.new_channel()
            except Exception as error:
                await backoff.failed(error)
        return None

    async def _send(self, group: str, message: dict[str, Any], what: str) -> None:
        try:
            await self._layer.group_send(group, message)
        except Exception as error:
            logger.warning(
                "Could not tell the other server processes %s (channel layer %r): %s",
                what,
                self.alias,
                error,
            )

    async def _receive_forever(self, channel: str) -> None:
        backoff = _Backoff("Other server processes' refetches and logins are not heard", self)
        while True:
            try:
                message = await self._layer.receive(channel)
            except Exception as error:
                await backoff.failed(error)
                continue
            if backoff.succeeded():
                logger.warning("Other server processes are heard again (layer %r).", self.alias)
            if message.get("origin") == _ORIGIN:
                continue
            handler = _handlers.get(str(message.get("type")))
            if handler is None:
                continue
            try:
                handler(message)
            except Exception:
                logger.exception("A message from another server process could not be handled.")

    async def _keep_memberships(self, channel: str) -> None:
        """Join and leave groups as wanted; join them all again after a Redis restart or
        outage and before they expire. Returns once stopped, out of every group."""
        watch = RestartWatch(self._layer, self.alias)
        try:
            await self._watch_memberships(channel, watch)
        finally:
            await watch.aclose()

    async def _watch_memberships(self, channel: str, watch: RestartWatch) -> None:
        renewed = self._loop.time()
        backoff = _Backoff("Could not join the groups that reach other server processes", self)
        while True:
            try:
                lost, back = await watch.poll()
                for index, error in [] if self.stopping else lost:
                    logger.warning(
                        "Redis server %d of channel layer %r is unreachable (%s): refetches and "
                        "logins do not reach other server processes until it is back.",
                        index,
                        self.alias,
                        error,
                    )
                if back or self._loop.time() - renewed >= _REJOIN_SECONDS:
                    renewed = self._loop.time()
                    with self._members:
                        self._joined.clear()  # a restarted Redis forgot them: join again
                await self._reconcile(channel)
            except Exception as error:
                if self.stopping:  # leaving is best effort: groups expire on their own
                    return
                await backoff.failed(error)
                continue
            backoff.succeeded()
            if self.stopping and not self._joined:
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), WATCH_INTERVAL)
            self._wake.clear()

    async def _reconcile(self, channel: str) -> None:
        with self._members:
            wanted: set[str] = set() if self.stopping else {*self._wanted, *_standing}
            joined = set(self._joined)
        for group in sorted(wanted - joined):
            await self._layer.group_add(group, channel)
            with self._members:
                self._joined.add(group)
                self._members.notify_all()
        for group in sorted(joined - wanted):
            await self._layer.group_discard(group, channel)
            with self._members:
                self._joined.discard(group)
                self._members.notify_all()


class _Backoff:
    """Waits between retries (`_redis.retry_delay`); logs the first failure of each spell
    only (an outage is one line, not one per attempt)."""

    __slots__ = ("_failures", "_relay", "_what")

    def __init__(self, what: str, relay: Relay) -> None:
        self._what = what
        self._relay = relay
        self._failures = 0

    async def failed(self, error: Exception) -> None:
        """Log the first failure of a spell (unless the relay is stopping), then wait."""
        self._failures += 1
        if self._failures == 1 and not self._relay.stopping:
            logger.warning(
                "%s (channel layer %r: %s); retrying with backoff.",
                self._what,
                self._relay.alias,
                error,
            )
        await asyncio.sleep(retry_delay(self._failures))

    def succeeded(self) -> bool:
        """Whether this success ends a spell of failures."""
        ended = self._failures > 0
        self._failures = 0
        return ended
