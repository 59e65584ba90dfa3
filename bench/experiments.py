"""Candidate hot-path fixes, switched on in the benchmark server only (`--experiments`).

They measure a proposed change to reactpy_django (or to what `_patches.py` does to ReactPy
1.1.0) before it is made: `python -m bench.run --experiments all` against a plain run. None
of them is part of the library; a winner moves into `reactpy_django` and out of here.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections import deque
from collections.abc import Callable
from typing import Any

from reactpy import component, hooks, html
from reactpy.core import _life_cycle_hook, layout
from reactpy.core._life_cycle_hook import LifeCycleHook
from reactpy.core.layout import Layout
from reactpy.core.serve import RecvCoroutine, SendCoroutine
from reactpy.core.types import ComponentType, LayoutEventMessage, LayoutUpdateMessage, VdomDict

from reactpy_django import components, consumer
from reactpy_django._state import ConnectionState
from reactpy_django.frames import FrameError, parse_event

__all__ = ["EXPERIMENTS", "apply"]

logger: logging.Logger = logging.getLogger(__name__)


# --- effect-stops -------------------------------------------------------------------------
# ReactPy 1.1 appends a new asyncio.Event to every rendered component's `_effect_stops` on
# every render, effects or not, and keeps them until unmount: ~1 KiB per render, forever.
# All of a hook's stops are set together at unmount, so one lazily made Event does the job.


async def _did_render(self: LifeCycleHook) -> None:
    if not self._effect_funcs:
        return
    if not self._effect_stops:
        self._effect_stops.append(asyncio.Event())
    stop = self._effect_stops[0]
    self._effect_tasks.extend(asyncio.create_task(effect(stop)) for effect in self._effect_funcs)
    self._effect_funcs.clear()


def _effect_stops() -> None:
    LifeCycleHook.affect_layout_did_render = _did_render  # type: ignore[method-assign]  # the experiment is this replacement


# --- light-semaphore ----------------------------------------------------------------------
# Each LifeCycleHook (and each Layout) makes an anyio Semaphore: a deque per component, and
# an acquire that yields to the event loop on every render even when nobody else waits.


class _LightSemaphore:
    """A semaphore that takes a free permit without yielding; its waiter queue is lazy."""

    __slots__ = ("_value", "_waiters")

    def __init__(self, initial_value: int) -> None:
        self._value = initial_value
        self._waiters: deque[asyncio.Future[None]] | None = None

    async def acquire(self) -> None:
        """Take a permit, waiting (first come, first served) if there is none."""
        if self._value > 0 and not self._waiters:
            self._value -= 1
            return
        if self._waiters is None:
            self._waiters = deque()
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(future)
        try:
            await future
        except asyncio.CancelledError:
            if future.cancelled():
                self._waiters.remove(future)
            else:  # the permit was handed over just before the cancellation: pass it on
                self.release()
            raise

    def release(self) -> None:
        """Hand the permit to the first live waiter, or put it back."""
        while self._waiters:
            future = self._waiters.popleft()
            if not future.done():
                future.set_result(None)
                return
        self._value += 1


def _light_semaphore() -> None:
    setattr(_life_cycle_hook, "Semaphore", _LightSemaphore)  # noqa: B010  # module global read at call time
    setattr(layout, "Semaphore", _LightSemaphore)  # noqa: B010  # same


# --- component-check ----------------------------------------------------------------------
# Layout._get_children_info tests every child with isinstance(child, ComponentType), a
# runtime-checkable Protocol: Python 3.11 walks the protocol's attributes on every call.

_component_types: dict[type, bool] = {}


class _ComponentCheck(type):
    def __instancecheck__(cls, instance: object) -> bool:
        kind = type(instance)
        known = _component_types.get(kind)
        if known is None:
            known = _component_types[kind] = isinstance(instance, ComponentType)
        return known


class _CachedComponentType(metaclass=_ComponentCheck):
    """Stands for `ComponentType` in `isinstance` checks, answering once per class."""


def _component_check() -> None:
    setattr(layout, "ComponentType", _CachedComponentType)  # noqa: B010  # module global read at call time


# --- local-schedule -----------------------------------------------------------------------
# Every set_state schedules its render with loop.call_soon_threadsafe, which writes to the
# loop's self-pipe (a syscall and an extra wake-up) even on the loop's own thread.


def _put(self: Any, value: Any) -> None:
    if value in self._pending:
        return
    self._pending.add(value)
    loop: asyncio.AbstractEventLoop = self._loop
    try:
        running = asyncio.get_running_loop()
    except RuntimeError:
        running = None
    if running is loop:
        self._queue.put_nowait(value)
    else:
        loop.call_soon_threadsafe(self._queue.put_nowait, value)


def _local_schedule() -> None:
    layout._ThreadSafeQueue.put = _put  # type: ignore[method-assign]  # the experiment is this replacement


# --- light-queue --------------------------------------------------------------------------
# The layout's render queue is an asyncio.Queue (three deques) behind a set and the
# thread-safe put above; one deque and one waiter future do the same job.


class _LightQueue:
    """The layout's queue of components to render: unique ids, first in first out."""

    __slots__ = ("_items", "_loop", "_pending", "_waiter")

    def __init__(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._items: deque[Any] = deque()
        self._pending: set[Any] = set()
        self._waiter: asyncio.Future[None] | None = None

    def put(self, value: Any) -> None:
        """Queue `value` unless it is waiting already (callable from any thread)."""
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is self._loop:
            self._put(value)
        else:
            self._loop.call_soon_threadsafe(self._put, value)

    def _put(self, value: Any) -> None:
        if value in self._pending:
            return
        self._pending.add(value)
        self._items.append(value)
        waiter, self._waiter = self._waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def get(self) -> Any:
        """The next value, waiting for one."""
        while not self._items:
            self._waiter = waiter = self._loop.create_future()
            await waiter
        value = self._items.popleft()
        self._pending.discard(value)
        return value


def _light_queue() -> None:
    setattr(layout, "_ThreadSafeQueue", _LightQueue)  # noqa: B010  # module global read at call time


# --- asyncio-serve ------------------------------------------------------------------------
# serve_layout runs an anyio task group: cancel scopes, task states and events per session,
# and an anyio task (with its own cancel scope) per event.


async def _serve_layout(layout: Any, send: SendCoroutine, recv: RecvCoroutine) -> None:
    async with layout:
        handlers: set[asyncio.Task[None]] = set()

        async def incoming() -> None:
            while True:
                event: LayoutEventMessage = await recv()
                task = asyncio.create_task(layout.deliver(event))
                handlers.add(task)
                task.add_done_callback(handlers.discard)

        receiving = asyncio.create_task(incoming())
        try:
            while True:
                update: LayoutUpdateMessage = await layout.render()
                await send(update)
        finally:
            receiving.cancel()
            for task in handlers:
                task.cancel()
            await asyncio.gather(receiving, *handlers, return_exceptions=True)


def _asyncio_serve() -> None:
    setattr(consumer, "serve_layout", _serve_layout)  # noqa: B010  # module global read at call time


# --- root-render --------------------------------------------------------------------------
# The hidden root manager installs `state.rerender` from an effect: one more task (and its
# stop event) alive per session, for an assignment that can happen while rendering.


def _bump(generation: int) -> int:
    return generation + 1


@component
def _root_manager(child: ComponentType, state: ConnectionState) -> VdomDict:
    _, set_generation = hooks.use_state(0)
    if state.live:
        state.rerender = lambda: set_generation(_bump)
    return html._(child, components.auth_manager(state))


def _root_render() -> None:
    setattr(consumer, "root_manager", _root_manager)  # noqa: B010  # module global read at call time


# --- direct-deliver -----------------------------------------------------------------------
# The consumer puts each event on a 256-slot asyncio.Queue (three deques) for serve_layout's
# incoming loop (one more task per session) to start a handler task from. The consumer can
# start the handler task itself: one queue, one task and two hops fewer per session/event.


class _DirectConsumer(consumer.ReactpyAsyncWebsocketConsumer):
    """The consumer with serve_layout's incoming loop (and its task) taken out."""

    _live: Layout | None = None

    async def _serve(self, layout: Layout) -> None:
        handlers: set[asyncio.Task[None]] = set()
        self._handlers = handlers
        try:
            async with layout:
                self._live = layout
                try:
                    while True:
                        await self._send_update(await layout.render())
                finally:
                    self._live = None
                    for task in handlers:
                        task.cancel()
                    if handlers:
                        await asyncio.wait(handlers)
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("Component %r stopped.", self._dotted_path)
            await self._close(consumer.CloseCode.INTERNAL_ERROR, "component stopped")

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        raw = text_data if text_data is not None else bytes_data
        layout = self._live
        if raw is None or layout is None or len(raw) > self._max_frame:
            return
        try:
            event = parse_event(raw)
        except FrameError as error:
            logger.warning("Dropped a frame on WebSocket %s: %s", self._uuid, error)
            return
        # The consumer's layout frees one of these slots when a handler returns.
        slots: asyncio.Semaphore | None = getattr(self, "_handler_slots", None)
        if len(self._handlers) >= _HANDLER_LIMIT or (slots is not None and slots.locked()):
            logger.warning("Dropped an event on WebSocket %s: too many running.", self._uuid)
            return
        if slots is not None:
            await slots.acquire()  # free: does not wait
        task = asyncio.get_running_loop().create_task(layout.deliver(event))
        self._handlers.add(task)
        task.add_done_callback(self._handlers.discard)


_HANDLER_LIMIT = 256


def _direct_deliver() -> None:
    route = consumer_route()
    route.callback = _DirectConsumer.as_asgi()


def consumer_route() -> Any:
    """The package's WebSocket route object (its callback is swapped by `direct-deliver`)."""
    from reactpy_django.routing import REACTPY_WEBSOCKET_ROUTE

    return REACTPY_WEBSOCKET_ROUTE


# --- switch-interval ----------------------------------------------------------------------
# Query threads doing ORM work hold the GIL for up to sys.getswitchinterval() (5 ms) each
# time the event loop thread gives it up for a socket call: the loop waits in every send.


def _switch_interval() -> None:
    sys.setswitchinterval(0.0005)


EXPERIMENTS: dict[str, Callable[[], None]] = {
    "effect-stops": _effect_stops,
    "light-semaphore": _light_semaphore,
    "component-check": _component_check,
    "local-schedule": _local_schedule,
    "light-queue": _light_queue,
    "asyncio-serve": _asyncio_serve,
    "root-render": _root_render,
    "direct-deliver": _direct_deliver,
    "switch-interval": _switch_interval,
}
"""Each candidate fix by name."""


def apply(names: str) -> list[str]:
    """Install the comma-separated experiments (`all` for every one); their names."""
    chosen = list(EXPERIMENTS) if names.strip() == "all" else [n for n in names.split(",") if n]
    for name in chosen:
        if name not in EXPERIMENTS:
            msg = f"Unknown experiment {name!r}; known: {', '.join(EXPERIMENTS)}."
            raise ValueError(msg)
        EXPERIMENTS[name]()
        logger.warning("bench experiment on: %s", name)
    return chosen
