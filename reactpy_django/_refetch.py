"""Which mounted `use_query` hooks re-run after a mutation, in this process and in others.

A query function is known by its dotted name (`module.qualname`), so the same function matches
in every connection and every server process. `notify_refetch` re-runs every mounted
`use_query` of those functions in this process at once; a query asked several times in one
event-loop tick runs once.

Other processes are told through the channel layer `REACTPY_REFETCH_LAYER` names (default
`"default"`; `None`, a missing layer or an in-memory one, which reaches no other process, keep
refetches local). A relay thread, started with the first mounted query or the first refetch of
the process, runs its own event loop and its own instance of that layer: it joins the
`reactpy-refetch` group, sends one message per event-loop tick of refetches, and re-runs this
process's queries named in other processes' messages. Its own loop keeps it clear of the
server's: Channels' Redis layer lets only one loop receive per layer instance, and cancelling
one of its calls midway can be swallowed (redis-py 8), so nothing here is ever cancelled.

A burst of mutations is one refetch, not one per mutation: while other mutations naming the
same query function are still queued or running in the event loop, a finished mutation's
refetch waits for the last of them (`mutation_started` / `mutation_finished`), though never
more than `_MAX_DEFER` seconds, so a steady stream of mutations still refreshes every page.
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import contextlib
import functools
import logging
import os
import threading
import weakref
from collections.abc import Callable, Iterable
from typing import Protocol
from uuid import uuid4

from channels.layers import BaseChannelLayer, InMemoryChannelLayer, channel_layers

from reactpy_django.conf import reactpy_settings

__all__ = [
    "GROUP",
    "Subscriber",
    "function_name",
    "mutation_finished",
    "mutation_started",
    "notify_refetch",
    "relay_joined",
    "subscribe",
    "subscribed_names",
    "unsubscribe",
]

logger: logging.Logger = logging.getLogger(__name__)

GROUP = "reactpy-refetch"
"""The channel-layer group of every process's relay."""
_MESSAGE_TYPE = "reactpy.refetch"
_ORIGIN = uuid4().hex  # this process: its own messages were already handled locally
_REJOIN_SECONDS = 3600.0  # layers expire group membership (Redis: after a day); renew it
_MAX_DEFER = 0.5  # seconds a burst's refetch may wait for the burst's last mutation

_lock = threading.Lock()
_subscribers: dict[str, weakref.WeakSet[Subscriber]] = {}
_outbox: dict[asyncio.AbstractEventLoop, set[str]] = {}
_relays: dict[str, _Relay] = {}
_bursts: dict[asyncio.AbstractEventLoop, _Burst] = {}


class Subscriber(Protocol):
    """A mounted query: re-runs on `refetch()`, which must be called on its `loop`."""

    @property
    def loop(self) -> asyncio.AbstractEventLoop: ...

    def refetch(self) -> None: ...


def function_name(function: Callable[..., object]) -> str:
    """The dotted name that identifies a query function across connections and processes."""
    while isinstance(function, functools.partial):
        function = function.func
    module = getattr(function, "__module__", None) or type(function).__module__
    qualname = getattr(function, "__qualname__", None) or type(function).__qualname__
    return f"{module}.{qualname}"


def subscribe(name: str, subscriber: Subscriber) -> None:
    """Re-run `subscriber` whenever the query function called `name` is refetched."""
    with _lock:
        _subscribers.setdefault(name, weakref.WeakSet()).add(subscriber)
    _relay()  # from now on, other processes' refetches must reach this one


def unsubscribe(name: str, subscriber: Subscriber) -> None:
    """Forget `subscriber` (idempotent)."""
    with _lock:
        subscribers = _subscribers.get(name)
        if subscribers is not None:
            subscribers.discard(subscriber)
            if not subscribers:
                del _subscribers[name]


def subscribed_names() -> dict[str, int]:
    """Each query function name with mounted subscribers, and how many (for tests and debugging)."""
    with _lock:
        return {name: len(subscribers) for name, subscribers in _subscribers.items() if subscribers}


def relay_joined(timeout: float = 0.0) -> bool:
    """Whether this process's relay is in the group (waiting up to `timeout` seconds)."""
    relay = _relay()
    return relay is not None and relay.joined.wait(timeout)


def notify_refetch(functions: Iterable[Callable[..., object]]) -> None:
    """Re-run every mounted `use_query` of these query functions, here and in other processes.

    Safe to call from async code (other processes are told once per event-loop tick) and from
    sync code in any thread.
    """
    _notify({function_name(function) for function in functions})


def _notify(names: set[str]) -> None:
    if not names:
        return
    _refetch_here(names)
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:  # sync code
        _tell_others(names)
        return
    pending = _outbox.get(loop)
    if pending is None:
        pending = _outbox[loop] = set()
        loop.call_soon(_flush, loop)
    pending.update(names)


class _Burst:
    """One event loop's mutations in flight, counted by the query function each refetches,
    and the refetches waiting for them."""

    __slots__ = ("due", "running", "timer")

    def __init__(self) -> None:
        self.running: dict[str, int] = {}
        self.due: set[str] = set()
        self.timer: asyncio.TimerHandle | None = None


def mutation_started(functions: Iterable[Callable[..., object]]) -> None:
    """A mutation that refetches `functions` is running (call it on the mutation's loop)."""
    names = {function_name(function) for function in functions}
    if not names:
        return
    burst = _bursts.setdefault(asyncio.get_running_loop(), _Burst())
    for name in names:
        burst.running[name] = burst.running.get(name, 0) + 1


def mutation_finished(functions: Iterable[Callable[..., object]], succeeded: bool) -> None:
    """The mutation ended: refetch `functions` if it `succeeded`, now or, while other
    mutations naming them still run in this loop, once with the last of them."""
    names = {function_name(function) for function in functions}
    if not names:
        return
    loop = asyncio.get_running_loop()
    burst = _bursts.get(loop)
    if burst is None:  # not started here (cannot happen through use_mutation)
        if succeeded:
            _notify(names)
        return
    for name in names:
        left = burst.running.get(name, 1) - 1
        if left > 0:
            burst.running[name] = left
        else:
            burst.running.pop(name, None)
    if succeeded:
        burst.due |= names
    ready = {name for name in burst.due if name not in burst.running}
    burst.due -= ready
    if burst.due and burst.timer is None:
        burst.timer = loop.call_later(_MAX_DEFER, _overdue, loop)
    elif not burst.due and burst.timer is not None:
        burst.timer.cancel()
        burst.timer = None
    if not burst.running and not burst.due:
        del _bursts[loop]
    _notify(ready)


def _overdue(loop: asyncio.AbstractEventLoop) -> None:
    """A burst has run for `_MAX_DEFER` seconds: refetch what it changed so far."""
    burst = _bursts.get(loop)
    if burst is None:
        return
    burst.timer = None
    due, burst.due = burst.due, set()
    if not burst.running:
        del _bursts[loop]
    _notify(due)


def _refetch_here(names: Iterable[str]) -> None:
    with _lock:
        found = [subscriber for name in names for subscriber in list(_subscribers.get(name, ()))]
    try:
        running: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
    except RuntimeError:
        running = None
    for subscriber in found:
        if subscriber.loop is running:
            subscriber.refetch()
        else:
            with contextlib.suppress(RuntimeError):  # that loop has closed
                subscriber.loop.call_soon_threadsafe(subscriber.refetch)


def _flush(loop: asyncio.AbstractEventLoop) -> None:
    _tell_others(_outbox.pop(loop, set()))


def _tell_others(names: set[str]) -> None:
    relay = _relay()
    if relay is not None and names:
        relay.send(sorted(names))


def _relay() -> _Relay | None:
    """This process's relay for the configured layer (started on first use), if any."""
    alias = reactpy_settings().refetch_layer
    if alias is None or alias not in channel_layers:
        return None
    if isinstance(channel_layers[alias], InMemoryChannelLayer):  # it reaches no other process
        return None
    with _lock:
        relay = _relays.get(alias)
        if relay is None or relay.pid != os.getpid():  # none yet, or inherited through fork
            relay = _relays[alias] = _Relay(alias)
        return relay


class _Relay:
    """A daemon thread with its own loop and layer instance, in the group for the process."""

    def __init__(self, alias: str) -> None:
        self.alias = alias
        self.pid = os.getpid()
        self.joined = threading.Event()
        self._loop = asyncio.new_event_loop()
        self._layer: BaseChannelLayer = channel_layers.make_backend(alias)
        self._channel: str | None = None
        thread = threading.Thread(target=self._main, name=f"reactpy-refetch-{alias}", daemon=True)
        thread.start()
        atexit.register(self._leave)

    def send(self, names: list[str]) -> None:
        """Tell the other processes (from any thread; does not wait)."""
        message: dict[str, object] = {"type": _MESSAGE_TYPE, "origin": _ORIGIN, "functions": names}
        with contextlib.suppress(RuntimeError):  # the interpreter is shutting down
            asyncio.run_coroutine_threadsafe(self._send(message), self._loop)

    def _main(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self._serve())

    async def _send(self, message: dict[str, object]) -> None:
        try:
            await self._layer.group_send(GROUP, message)
        except Exception as error:
            logger.warning(
                "Could not tell other processes to refetch %s through channel layer %r: %s",
                message["functions"],
                self.alias,
                error,
            )

    async def _serve(self) -> None:
        """Join, listen, renew; after a layer failure, start over (after a pause)."""
        while True:
            try:
                await self._listen()
            except Exception as error:
                self.joined.clear()
                logger.warning(
                    "Refetches from other processes are not received (channel layer %r): %s. "
                    "Retrying in 5 seconds.",
                    self.alias,
                    error,
                )
                await asyncio.sleep(5)

    async def _listen(self) -> None:
        if self._channel is None:
            self._channel = await self._layer.new_channel()
        channel = self._channel
        await self._layer.group_add(GROUP, channel)
        self.joined.set()
        renew = asyncio.ensure_future(self._renew(channel))
        try:
            while True:
                message = await self._layer.receive(channel)
                if message.get("type") != _MESSAGE_TYPE or message.get("origin") == _ORIGIN:
                    continue
                names: object = message.get("functions")
                if isinstance(names, list):
                    _refetch_here(name for name in names if isinstance(name, str))  # pyright: ignore[reportUnknownVariableType]  # a decoded list of unknown items, filtered to str
        finally:
            renew.cancel()

    async def _renew(self, channel: str) -> None:
        while True:
            await asyncio.sleep(_REJOIN_SECONDS)
            with contextlib.suppress(Exception):
                await self._layer.group_add(GROUP, channel)

    def _leave(self) -> None:
        """At exit: leave the group, so no messages pile up for a process that is gone."""
        channel = self._channel
        if channel is None or self._loop.is_closed():
            return
        leaving = asyncio.run_coroutine_threadsafe(
            self._layer.group_discard(GROUP, channel), self._loop
        )
        with contextlib.suppress(Exception, concurrent.futures.TimeoutError):
            leaving.result(timeout=2)
