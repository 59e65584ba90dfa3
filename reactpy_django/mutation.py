"""`use_mutation`: change data in the background, then refetch the queries it affects."""

from __future__ import annotations

import asyncio
import functools
import inspect
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from reactpy import hooks
from reactpy.core._life_cycle_hook import LifeCycleHook, current_hook

from reactpy_django import _refetch
from reactpy_django._executor import is_async, next_version, run_sync, running_loop
from reactpy_django._state import ConnectionState, connection_state
from reactpy_django.connection import use_connection
from reactpy_django.types import FuncParams, Mutation

__all__ = ["use_mutation"]

logger: logging.Logger = logging.getLogger(__name__)


def use_mutation(
    mutation: Callable[FuncParams, object],
    *,
    thread_sensitive: bool = True,
    refetch: Callable[..., object] | Sequence[Callable[..., object]] | None = None,
) -> Mutation[FuncParams]:
    """A `Mutation` that runs `mutation(*args, **kwargs)` in the background when called.

    Call it with the mutation function's own arguments, e.g. `item_mutation(text="milk")`.
    `mutation` may be sync (run in a query thread, like `use_query`'s) or async. While it runs
    `loading` is `True`; a failure is logged once and kept in `error` until `reset()` or the
    next call. When it succeeds and did not return `False`, every mounted `use_query` of the
    `refetch` query function(s) runs again: in every connection of this process and, through
    the `REACTPY_REFETCH_LAYER` channel layer, of every other process.

    Calls made while the component renders (not from an event handler) run once per distinct
    set of arguments, so a render that calls a mutation does not loop; `reset()` allows the
    same call again. A mutation still running when its component unmounts finishes (and
    still triggers its refetch) but no longer updates the component; disconnecting cancels it.

    Args:
        mutation: The function (sync or async) that writes; returning `False` skips the refetch.
        thread_sensitive: Run a sync `mutation` in the ordered per-connection query threads
            (`True`) or in a separate unordered pool (`False`). Ignored for async functions.
        refetch: A query function, or several, whose mounted `use_query` hooks run again after a
            successful call.

    Returns:
        Mutation[FuncParams]: Call it with `mutation`'s own arguments; it has `loading`,
            `error`, `reset()` and `execute(...)`.
    """
    state = connection_state(use_connection().scope)
    _, set_version = hooks.use_state(0)
    runner: _MutationRunner = hooks.use_state(
        lambda: _MutationRunner(state, set_version, current_hook())
    )[0]
    runner.function = mutation
    runner.thread_sensitive = thread_sensitive
    runner.refetch = _functions(refetch)
    hooks.use_effect(runner.mount, dependencies=[])
    return Mutation(
        loading=runner.loading, error=runner.error, _execute=runner.execute, _reset=runner.reset
    )


def _functions(
    refetch: Callable[..., object] | Sequence[Callable[..., object]] | None,
) -> tuple[Callable[..., object], ...]:
    if refetch is None:
        return ()
    if callable(refetch):
        return (refetch,)
    return tuple(refetch)


@dataclass(frozen=True, slots=True)
class _Call:
    """One call's inputs, fixed when it is made."""

    function: Callable[..., object]
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    thread_sensitive: bool
    refetch: tuple[Callable[..., object], ...]
    name: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", _refetch.function_name(self.function))


def _same_call(old: tuple[tuple[Any, ...], dict[str, Any]], new: object) -> bool:
    try:
        return bool(old == new)
    except Exception:  # arguments that cannot be compared: do not risk a render loop
        return True


class _MutationRunner:
    """The state of one `use_mutation` hook, shared by its renders and calls."""

    def __init__(
        self,
        state: ConnectionState,
        set_version: Callable[[Callable[[int], int]], None],
        hook: LifeCycleHook,
    ) -> None:
        self._state = state
        self._set_version = set_version
        self._hook = hook
        self._loop = asyncio.get_running_loop()
        self._request = 0
        self._disposed = False
        self._render_call: tuple[tuple[Any, ...], dict[str, Any]] | None = None
        self.function: Callable[..., object] = _nothing
        self.thread_sensitive = True
        self.refetch: tuple[Callable[..., object], ...] = ()
        self.loading = False
        self.error: Exception | None = None

    def mount(self) -> Callable[[], None]:
        """The mount effect; its cleanup stops updates from running mutations."""
        return self.dispose

    def dispose(self) -> None:
        """Unmounted: running mutations finish, but no longer update this component."""
        self._disposed = True

    def execute(self, *args: Any, **kwargs: Any) -> None:
        """Start the mutation in the background (nothing happens while prerendering)."""
        if self._disposed or not self._state.live:
            return
        if running_loop() is not self._loop:  # called from another thread
            self._loop.call_soon_threadsafe(functools.partial(self.execute, *args, **kwargs))
            return
        if self._rendering():
            key = (args, kwargs)
            if self._render_call is not None and _same_call(self._render_call, key):
                return
            self._render_call = key
        self._request += 1
        call = _Call(self.function, args, kwargs, self.thread_sensitive, self.refetch)
        self.loading, self.error = True, None
        self._state.spawn(self._run(call, self._request), name=f"use_mutation:{call.name}")
        self._changed()

    def reset(self) -> None:
        """Clear `loading` and `error`; results of calls still running are dropped."""
        self._request += 1
        self._render_call = None
        self.loading, self.error = False, None
        self._changed()

    def _rendering(self) -> bool:
        try:
            return current_hook() is self._hook
        except RuntimeError:  # no component is rendering: an event handler or effect
            return False

    async def _run(self, call: _Call, request: int) -> None:
        _refetch.mutation_started(call.refetch)  # a burst of mutations refetches once
        succeeded = False
        try:
            result = await _call_function(call, self._state)
        except Exception as error:
            logger.exception("use_mutation: mutation function %s failed", call.name)
            if request == self._request and not self._disposed:
                self.loading, self.error = False, error
                self._changed()
            return
        else:
            succeeded = result is not False
        finally:
            _refetch.mutation_finished(call.refetch, succeeded)
        if request == self._request and not self._disposed:
            self.loading, self.error = False, None
            self._changed()

    def _changed(self) -> None:
        if not self._disposed:
            self._set_version(next_version)


def _nothing() -> None:
    """Stands in for the mutation function until the first render sets it."""


async def _call_function(call: _Call, state: ConnectionState) -> object:
    if is_async(call.function):
        result = call.function(*call.args, **call.kwargs)
    else:
        result = await run_sync(
            lambda: call.function(*call.args, **call.kwargs),
            state,
            thread_sensitive=call.thread_sensitive,
        )
    if inspect.isawaitable(result):  # a coroutine (or a sync function that returned one)
        result = await result
    return result
