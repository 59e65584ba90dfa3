"""Fixes for ReactPy 1.1.0 runtime faults and hot spots, installed once when the app is ready.

1. ReactPy keeps the stack of rendering hooks per *thread*. Every WebSocket renders on the
   same event-loop thread and renders yield to the loop, so two layouts rendering at once
   push onto one stack: "Hook stack is in an invalid state" or a component reading another
   connection's context. The stack is made per asyncio *task* (one task renders a layout).
2. ReactPy calls an event handler with every argument the browser sent, so a handler that
   takes no argument (`def on_click(): ...`, the hooks doc's own example) raises TypeError.
   Handlers are called with only as many positional arguments as they accept. A handler made
   from a plain function also carries that call (`sync_runner`), for the consumer to run in
   place instead of in a task of its own.
3. Hot-path fixes measured by the benchmark (bench/README.md): `use_effect` effects run
   without a task each (and no stop event per render, a leak), a semaphore that does not
   yield when free, a per-class cache for the child `ComponentType` check, and a render
   queue that does not write to the loop's wake-up pipe when it is already on the loop's
   thread.
4. Memory per mounted session (docs/performance.md): each component's render callback is a
   partial and each `use_state` setter a bound method of a slotted object, rather than
   closures with two cells each; the render queue can call back when a component asks to
   render, so the consumer keeps no task waiting while a session is idle.

`install()` records each replaced name under its fix's name (`FIX_NAMES`); the test suite's
fix table uses `reverted(name)` to prove that each fix's test fails without it.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import functools
import inspect
import logging
import threading
from collections import deque
from collections.abc import Callable, Coroutine, Generator, Sequence
from types import CellType, CodeType
from typing import Any, Generic, Literal, TypeVar
from uuid import uuid4
from weakref import WeakKeyDictionary

import reactpy
from reactpy import config
from reactpy.core import _life_cycle_hook, events, hooks, layout, vdom
from reactpy.core._life_cycle_hook import LifeCycleHook, current_hook
from reactpy.core._thread_local import ThreadLocal
from reactpy.core.layout import Layout
from reactpy.core.types import ComponentType, EventHandlerFunc

from reactpy_django import _vdom

__all__ = [
    "FIX_NAMES",
    "install",
    "render_on_demand",
    "renders_waiting",
    "reverted",
    "sync_runner",
]

_installed = False
logger: logging.Logger = logging.getLogger("reactpy.core._life_cycle_hook")


class _TaskLocalHookStack(ThreadLocal[list[LifeCycleHook]]):
    """A hook stack per running asyncio task, falling back to one per thread outside tasks."""

    def __init__(self) -> None:
        super().__init__(list)
        self._by_task: WeakKeyDictionary[asyncio.Task[Any], list[LifeCycleHook]] = (
            WeakKeyDictionary()
        )
        self._lock = threading.Lock()

    def get(self) -> list[LifeCycleHook]:
        try:
            task = asyncio.current_task()
        except RuntimeError:  # no running loop in this thread
            task = None
        if task is None:
            return super().get()
        stack = self._by_task.get(task)
        if stack is None:
            with self._lock:
                stack = self._by_task.setdefault(task, [])
        return stack


def _positional_limit(function: Callable[..., Any]) -> int | None:
    """How many positional arguments `function` takes, or `None` for "any number"."""
    bound = 0
    target: Any = function
    if inspect.ismethod(target):
        target, bound = target.__func__, 1
    if not inspect.isfunction(target):
        return None
    code = target.__code__
    if code.co_flags & inspect.CO_VARARGS:
        return None
    return max(code.co_argcount - bound, 0)


class _Handler:
    """An event handler called with only the positional arguments `function` accepts.

    An object with two slots rather than nested closures: every handler on every page holds
    one for as long as its element is rendered.
    """

    __slots__ = ("function", "limit")

    def __init__(self, function: Callable[..., Any], limit: int | None) -> None:
        self.function = function
        self.limit = limit

    def _arguments(self, data: Sequence[Any]) -> Sequence[Any]:  # Any: the browser's JSON
        return data if self.limit is None else data[: self.limit]


class _SyncHandler(_Handler):
    """A sync event handler; `run` calls it now (the consumer runs it in place, no task)."""

    __slots__ = ()

    def run(self, data: Sequence[Any]) -> None:  # Any: the browser's JSON, passed on unread
        """Call the handler now."""
        self.function(*self._arguments(data))

    async def __call__(self, data: Sequence[Any]) -> None:  # Any: as above
        self.run(data)


class _AsyncHandler(_Handler):
    """An async event handler, awaited."""

    __slots__ = ()

    async def __call__(self, data: Sequence[Any]) -> None:  # Any: the browser's JSON
        await self.function(*self._arguments(data))


def _to_event_handler_function(
    function: Callable[..., Any], positional_args: bool = True
) -> EventHandlerFunc:
    """ReactPy's converter, but a handler gets only the positional arguments it accepts."""
    if not positional_args:
        if type(function) is _SyncHandler or type(function) is _AsyncHandler:
            return function  # already takes the event's data list (as a coroutine function)
        return _original_to_handler(function, positional_args=False)
    limit = _positional_limit(function)
    if inspect.iscoroutinefunction(function):
        return _AsyncHandler(function, limit)
    return _SyncHandler(function, limit)


def sync_runner(handler_function: object) -> Callable[[Sequence[Any]], object] | None:  # Any: JSON
    """The plain call inside an event handler made from a sync function (so the consumer can
    run it in place, without a task), or `None` for any other handler."""
    return handler_function.run if type(handler_function) is _SyncHandler else None


_original_to_handler = events.to_event_handler_function


# --- effect stops ------------------------------------------------------------------------------
# ReactPy runs every effect as an asyncio task that waits on an asyncio.Event until unmount,
# and appends a new Event to every rendered component's `_effect_stops` on every render
# (a leak that grows with every click). A task, its context copy, the Event and its waiter
# future cost an idle connection about 2 KiB per effect. `use_effect`'s own effect coroutine
# awaits nothing but `stop.wait()`, so it is driven by hand instead: run until it parks on the
# stop signal, kept as a bare coroutine, and resumed at unmount to run its cleanup. Effects
# added some other way (`LifeCycleHook.add_effect` directly) still get a task, all sharing one
# stop event per component.


def _use_effect_code() -> CodeType:
    """The code object of the effect coroutine `use_effect` creates (its nested `effect`)."""
    for outer in hooks.use_effect.__code__.co_consts:
        if isinstance(outer, CodeType) and outer.co_name == "add_effect":
            for inner in outer.co_consts:
                if isinstance(inner, CodeType) and inner.co_name == "effect":
                    return inner
    msg = "reactpy.core.hooks.use_effect has no nested effect coroutine"
    raise RuntimeError(msg)


_PARKED = object()
_EFFECT_CODE: CodeType | None = None  # found by install(), once the ReactPy version is known good
_EFFECT_SLOT = 0  # where that coroutine's closure holds its `last_clean_callback` ref


class _Park:
    """What the stop signal's `wait()` awaits: hands `_PARKED` to the driver, which resumes it."""

    __slots__ = ()

    def __await__(self) -> Generator[object, None, None]:
        yield _PARKED


class _StopSignal(asyncio.Event):
    """The event a hand-driven `use_effect` coroutine waits on: waiting parks the coroutine
    for the driver (one instance per process; only the driver resumes what it parked)."""

    async def wait(self) -> Literal[True]:
        await _Park()
        return True


_STOP_SIGNAL = _StopSignal()


def _step(effect: Coroutine[Any, Any, None]) -> bool:
    """Run `effect` to its next stop; whether it parked (else it finished or failed)."""
    try:
        yielded = contextvars.copy_context().run(effect.send, None)
    except StopIteration:
        return False
    except Exception:
        logger.exception("Error in effect")
        return False
    if yielded is not _PARKED:  # cannot happen with use_effect's coroutine
        effect.close()
        logger.error("An effect awaited something other than its stop event; it was closed.")
        return False
    return True


class _Parked:
    """A `use_effect` coroutine parked until unmount, and the hook's `last_clean_callback`
    ref, which tells the runs of one `use_effect` call apart from other calls'."""

    __slots__ = ("effect", "slot")

    def __init__(self, effect: Coroutine[Any, Any, None], slot: object) -> None:
        self.effect = effect
        self.slot = slot


def _slot_of(function: object) -> object:
    closure: tuple[CellType, ...] = getattr(function, "__closure__", None) or ()
    return closure[_EFFECT_SLOT].cell_contents if len(closure) > _EFFECT_SLOT else function


async def _affect_layout_did_render(self: LifeCycleHook) -> None:
    """Start the effects this render added: `use_effect`'s parked by hand, others as tasks
    sharing the hook's one stop event."""
    if not self._effect_funcs:
        return
    started: list[Any] = self._effect_tasks  # holds tasks and parked effects alike
    for function in self._effect_funcs:
        if getattr(function, "__code__", None) is not _EFFECT_CODE:
            if not self._effect_stops:
                self._effect_stops.append(asyncio.Event())
            started.append(asyncio.create_task(function(self._effect_stops[0])))
            continue
        slot = _slot_of(function)
        # A new run of the same use_effect has just run the last run's cleanup itself, so
        # the last run must not clean up again at unmount (ReactPy 1.1 does, twice).
        for index, item in enumerate(started):
            if isinstance(item, _Parked) and item.slot is slot:
                del started[index]
                item.effect.close()
                break
        effect = function(_STOP_SIGNAL)
        if _step(effect):
            started.append(_Parked(effect, slot))
    self._effect_funcs.clear()


async def _affect_component_will_unmount(self: LifeCycleHook) -> None:
    """Run every effect's cleanup: resume the parked ones, stop and await the tasks."""
    for stop in self._effect_stops:
        stop.set()
    self._effect_stops.clear()
    started: list[Any] = list(self._effect_tasks)
    self._effect_tasks.clear()
    tasks: list[asyncio.Task[None]] = []
    for item in started:
        if isinstance(item, _Parked):
            if _step(item.effect):  # it parked again: it cannot do more than that
                item.effect.close()
        else:
            tasks.append(item)
    for result in await asyncio.gather(*tasks, return_exceptions=True):
        if isinstance(result, Exception):
            logger.error("Error in effect", exc_info=result)


# --- light semaphore ---------------------------------------------------------------------------
# Every component hook (and every layout) makes an anyio Semaphore, which allocates a deque and
# yields to the event loop on each acquire even when the permit is free: one extra loop turn
# per component per render.


class _LightSemaphore:
    """A semaphore that takes a free permit without yielding; its waiter queue is made lazily."""

    __slots__ = ("_value", "_waiters")

    def __init__(self, initial_value: int) -> None:
        self._value = initial_value
        self._waiters: deque[asyncio.Future[None]] | None = None

    async def acquire(self) -> None:
        """Take a permit, waiting (first come, first served) while there is none."""
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
                with contextlib.suppress(ValueError):  # release() may have skipped it already
                    self._waiters.remove(future)
            else:  # the permit was handed over just before the cancellation: pass it on
                self.release()
            raise

    def release(self) -> None:
        """Hand the permit to the first waiter still waiting, or put it back."""
        waiters = self._waiters
        while waiters:
            future = waiters.popleft()
            if not future.done():
                future.set_result(None)
                return
        self._value += 1


# --- component check ---------------------------------------------------------------------------
# The layout tests every child with isinstance(child, ComponentType), a runtime-checkable
# Protocol: Python 3.11 looks up each of the protocol's attributes on every call. Whether a
# class satisfies the protocol is answered once per class (the number of child classes a site
# renders is small and fixed, so the cache stays small).

_component_classes: dict[type, bool] = {}


class _CachedProtocolCheck(type):
    """Metaclass answering `isinstance(x, ComponentType)` from a per-class cache."""

    def __instancecheck__(cls, instance: object) -> bool:
        kind = type(instance)
        known = _component_classes.get(kind)
        if known is None:
            known = _component_classes[kind] = isinstance(instance, ComponentType)
        return known


class _CachedComponentType(metaclass=_CachedProtocolCheck):
    """Stands for `ComponentType` in the layout module's `isinstance` checks."""


# --- render queue ------------------------------------------------------------------------------
# Each set_state puts its component on the layout's render queue with call_soon_threadsafe,
# which writes to the loop's wake-up pipe (a syscall and an extra loop turn) even when called
# on the loop's own thread, and the queue is an asyncio.Queue (three deques) behind a set.
# This queue puts directly when on the loop's thread and keeps one list and one waiter (a list:
# it holds at most one entry per component, and an empty deque costs every idle session ~380 B).
# With `on_put` set, a put while nobody waits calls it: the consumer then starts a render task
# only when there is something to render, so an idle session keeps no task waiting here.

_Item = TypeVar("_Item")


class _RenderQueue(Generic[_Item]):
    """Components waiting to render: each at most once, first in first out, one reader."""

    __slots__ = ("_items", "_loop", "_waiter", "on_put")

    def __init__(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._items: list[_Item] = []  # few at a time: `in` on it beats keeping a set per layout
        self._waiter: asyncio.Future[None] | None = None
        self.on_put: Callable[[], object] | None = None
        """Called (on the loop's thread) when a value is queued while no reader waits."""

    @property
    def waiting(self) -> int:
        """How many values are queued."""
        return len(self._items)

    def put(self, value: _Item) -> None:
        """Queue `value` unless it is waiting already; callable from any thread."""
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:  # no loop in this thread
            running = None
        if running is self._loop:
            self._put(value)
        else:
            self._loop.call_soon_threadsafe(self._put, value)

    def _put(self, value: _Item) -> None:
        if value in self._items:
            return
        self._items.append(value)
        waiter, self._waiter = self._waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_result(None)
        elif self.on_put is not None:
            self.on_put()

    async def get(self) -> _Item:
        """The next value, waiting for one."""
        while not self._items:
            self._waiter = waiter = self._loop.create_future()
            await waiter
        return self._items.pop(0)


def render_on_demand(layout: Layout, wake: Callable[[], object]) -> bool:
    """Have an entered `layout` call `wake` when a component asks to render while no render
    waits for one, so its reader can end while idle; whether it will. False with ReactPy's own
    queue (its fix reverted) or async rendering: then a reader must wait all the time.
    """
    queue: object = layout._rendering_queue
    if not isinstance(queue, _RenderQueue) or config.REACTPY_ASYNC_RENDERING.current:
        return False
    queue.on_put = wake
    return True


def renders_waiting(layout: Layout) -> bool:
    """Whether a component of `layout` waits to render (always true for a queue that does not
    tell, so its reader waits as ReactPy's does)."""
    queue: object = layout._rendering_queue
    return not isinstance(queue, _RenderQueue) or queue.on_put is None or queue.waiting > 0


# --- hook callbacks ----------------------------------------------------------------------------
# Every mounted component keeps a render callback (ReactPy: a lambda with two cells) and every
# use_state a setter (a nested function with two cells), for as long as it is mounted. A
# partial and a bound method of a slotted object hold the same, in about half the memory.


class _CurrentState:
    """`use_state`'s value and its setter (`dispatch`, the same object on every render)."""

    __slots__ = ("dispatch", "hook", "value")

    # Any: whatever the component keeps in its state (ReactPy's `use_state` types the value).
    def __init__(self, initial_value: Any) -> None:
        # As ReactPy's: a callable initial value is a constructor (so a state holding a
        # callable must be set through one).
        self.value: Any = initial_value() if callable(initial_value) else initial_value
        self.hook: LifeCycleHook = current_hook()
        self.dispatch: Callable[[Any], None] = self._dispatch

    def _dispatch(self, new: Any) -> None:  # Any: a new value, or a function of the old one
        next_value = new(self.value) if callable(new) else new
        if not hooks.strictly_equal(next_value, self.value):
            self.value = next_value
            self.hook.schedule_render()


def _make_life_cycle_state(
    component: ComponentType, schedule_render: Callable[[Any], None]
) -> Any:  # Any: ReactPy's private `_LifeCycleState`, returned as ReactPy builds it
    """ReactPy's `_make_life_cycle_state`, with a partial as the hook's render callback."""
    state_id = uuid4().hex
    return layout._LifeCycleState(
        layout._LifeCycleStateId(state_id),
        LifeCycleHook(functools.partial(schedule_render, state_id)),
        component,
    )


def _settle_options() -> None:
    """ReactPy reads a few options on every render and element; reading one that was never
    set raises and catches an `AttributeError` each time. Each gets its current value, which
    a later change of the option (or of its parent option) still replaces."""
    for option in (
        config.REACTPY_DEBUG_MODE,
        config.REACTPY_CHECK_VDOM_SPEC,
        config.REACTPY_CHECK_JSON_ATTRS,
        config.REACTPY_ASYNC_RENDERING,
    ):
        if not option.is_set():
            option._current = option.current


FIX_NAMES: tuple[str, ...] = (
    "hook-stack",
    "handler-arguments",
    "effects-without-tasks",
    "light-semaphore",
    "component-type-cache",
    "render-queue",
    "element-constructor",
    "hook-callbacks",
)
"""The fixes `install()` applies, by the name `reverted()` takes."""


class _Swap:
    """One name `install()` replaced: where, what it was, and what it is now."""

    __slots__ = ("name", "original", "replacement", "target")

    def __init__(self, target: object, name: str, original: object, replacement: object) -> None:
        self.target = target
        self.name = name
        self.original = original
        self.replacement = replacement


_SWAPS: dict[str, list[_Swap]] = {fix: [] for fix in FIX_NAMES}


def _swap(fix: str, target: object, name: str, replacement: object) -> None:
    """Replace `target.name` with `replacement`, remembering ReactPy's own for `reverted`."""
    _SWAPS[fix].append(_Swap(target, name, getattr(target, name), replacement))
    setattr(target, name, replacement)


@contextlib.contextmanager
def reverted(fix: str) -> Generator[None, None, None]:
    """Put ReactPy's own code back in place of one fix while the block runs (for the test
    suite's fix table, which proves each fix's test fails without it; never used at runtime).
    """
    if fix not in _SWAPS:
        msg = f"No fix named {fix!r}; the fixes are {', '.join(FIX_NAMES)}."
        raise ValueError(msg)
    if not _installed:
        msg = "reverted() needs the fixes installed first: call install() (the app does)."
        raise RuntimeError(msg)
    swaps = _SWAPS[fix]
    for swap in reversed(swaps):
        setattr(swap.target, swap.name, swap.original)
    try:
        yield
    finally:
        for swap in swaps:
            setattr(swap.target, swap.name, swap.replacement)


def install() -> None:
    """Install the fixes (idempotent). Refuses a ReactPy version they were not made for."""
    global _installed, _EFFECT_CODE, _EFFECT_SLOT
    if _installed:
        return
    if reactpy.__version__ != "1.1.0":  # the fixes touch private names of exactly this version
        msg = (
            f"reactpy_django needs reactpy==1.1.0, found {reactpy.__version__}. "
            "Install the pinned version: pip install 'reactpy==1.1.0'."
        )
        raise RuntimeError(msg)
    _EFFECT_CODE = _use_effect_code()
    _EFFECT_SLOT = _EFFECT_CODE.co_freevars.index("last_clean_callback")
    _swap("hook-stack", _life_cycle_hook, "_HOOK_STATE", _TaskLocalHookStack())
    # vdom imported the name itself, so both modules' references are replaced.
    _swap("handler-arguments", vdom, "to_event_handler_function", _to_event_handler_function)
    _swap("handler-arguments", events, "to_event_handler_function", _to_event_handler_function)
    # The hot-path fixes replace module globals and methods that ReactPy looks up at call time.
    _swap(
        "effects-without-tasks",
        LifeCycleHook,
        "affect_layout_did_render",
        _affect_layout_did_render,
    )
    _swap(
        "effects-without-tasks",
        LifeCycleHook,
        "affect_component_will_unmount",
        _affect_component_will_unmount,
    )
    _swap("light-semaphore", _life_cycle_hook, "Semaphore", _LightSemaphore)  # anyio's name
    _swap("light-semaphore", layout, "Semaphore", _LightSemaphore)
    _swap("component-type-cache", layout, "ComponentType", _CachedComponentType)
    _swap("render-queue", layout, "_ThreadSafeQueue", _RenderQueue)  # private to the module
    _swap("hook-callbacks", hooks, "_CurrentState", _CurrentState)
    _swap("hook-callbacks", layout, "_make_life_cycle_state", _make_life_cycle_state)
    original_vdom: object = vdom.vdom
    _vdom.install()
    _SWAPS["element-constructor"].append(_Swap(vdom, "vdom", original_vdom, vdom.vdom))
    _settle_options()
    _installed = True
