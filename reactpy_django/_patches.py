"""Fixes for two ReactPy 1.1.0 runtime faults, installed once when the app is ready.

1. ReactPy keeps the stack of rendering hooks per *thread*. Every WebSocket renders on the
   same event-loop thread and renders yield to the loop, so two layouts rendering at once
   push onto one stack: "Hook stack is in an invalid state" or a component reading another
   connection's context. The stack is made per asyncio *task* (one task renders a layout).
2. ReactPy calls an event handler with every argument the browser sent, so a handler that
   takes no argument (`def on_click(): ...`, the hooks doc's own example) raises TypeError.
   Handlers are called with only as many positional arguments as they accept.
"""

from __future__ import annotations

import asyncio
import inspect
import threading
from collections.abc import Callable, Sequence
from typing import Any
from weakref import WeakKeyDictionary

import reactpy
from reactpy.core import _life_cycle_hook, events, vdom
from reactpy.core._life_cycle_hook import LifeCycleHook
from reactpy.core._thread_local import ThreadLocal
from reactpy.core.types import EventHandlerFunc

__all__ = ["install"]

_installed = False


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


def _to_event_handler_function(
    function: Callable[..., Any], positional_args: bool = True
) -> EventHandlerFunc:
    """ReactPy's converter, but a handler gets only the positional arguments it accepts."""
    if not positional_args:
        return _original_to_handler(function, positional_args=False)
    limit = _positional_limit(function)
    if inspect.iscoroutinefunction(function):

        async def call_async(data: Sequence[Any]) -> None:
            await function(*(data if limit is None else data[:limit]))

        return call_async

    async def call_sync(data: Sequence[Any]) -> None:
        function(*(data if limit is None else data[:limit]))

    return call_sync


_original_to_handler = events.to_event_handler_function


def install() -> None:
    """Install both fixes (idempotent). Refuses a ReactPy version they were not made for."""
    global _installed
    if _installed:
        return
    if reactpy.__version__ != "1.1.0":  # the fixes touch private names of exactly this version
        msg = (
            f"reactpy_django needs reactpy==1.1.0, found {reactpy.__version__}. "
            "Install the pinned version: pip install 'reactpy==1.1.0'."
        )
        raise RuntimeError(msg)
    _life_cycle_hook._HOOK_STATE = _TaskLocalHookStack()
    # vdom imported the name itself, so both modules' references are replaced.
    setattr(vdom, "to_event_handler_function", _to_event_handler_function)  # noqa: B010  # vdom re-imported the name; it is not in vdom's exports
    events.to_event_handler_function = _to_event_handler_function
    _installed = True
