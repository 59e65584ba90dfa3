"""Which mounted `use_query` hooks re-run after a mutation, in this process and in others.

A query function is known by its dotted name (`module.qualname`), so the same function matches
in every connection and every server process. `notify_refetch` re-runs every mounted
`use_query` of those functions in this process at once; a query asked several times in one
event-loop tick runs once.

Other processes are told through this process's relay (`_relay`), on the channel layer
`REACTPY_REFETCH_LAYER` names (default `"default"`; `None`, a missing layer or an in-memory
one keep refetches local): one message per event-loop tick of refetches goes to the
`reactpy-refetch` group, and the queries named in other processes' messages re-run here.

A burst of mutations is one refetch, not one per mutation: while other mutations naming the
same query function are still queued or running in the event loop, a finished mutation's
refetch waits for the last of them (`mutation_started` / `mutation_finished`), though never
more than `_MAX_DEFER` seconds, so a steady stream of mutations still refreshes every page.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import threading
import weakref
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol

from reactpy_django._relay import on_message, relay, standing_group

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

GROUP = "reactpy-refetch"
"""The channel-layer group of every process's relay."""
_MESSAGE_TYPE = "reactpy.refetch"
_MAX_DEFER = 0.5  # seconds a burst's refetch may wait for the burst's last mutation

_lock = threading.Lock()
_subscribers: dict[str, weakref.WeakSet[Subscriber]] = {}
_outbox: dict[asyncio.AbstractEventLoop, set[str]] = {}
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
    relay()  # from now on, other processes' refetches must reach this one


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
    found = relay()
    return found is not None and found.wait_joined(GROUP, timeout)


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
    found = relay()
    if found is not None and names:
        ordered = sorted(names)
        message = {"type": _MESSAGE_TYPE, "functions": ordered}
        found.send(GROUP, message, f"to refetch {ordered}")


def _heard(message: Mapping[str, Any]) -> None:
    """Another process refetched these query functions (on the relay's thread)."""
    names: object = message.get("functions")
    if isinstance(names, list):
        _refetch_here(name for name in names if isinstance(name, str))  # pyright: ignore[reportUnknownVariableType]  # a decoded list of unknown items, filtered to str


standing_group(GROUP)
on_message(_MESSAGE_TYPE, _heard)
