"""`use_query`: run a query function in the background and render its result."""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Concatenate, TypeVar, overload

from django.utils.module_loading import import_string
from reactpy import hooks

from reactpy_django import _refetch
from reactpy_django._executor import is_async, next_version, run_sync, running_loop
from reactpy_django._reads import ReadLog
from reactpy_django._state import ConnectionState, connection_state
from reactpy_django.conf import reactpy_settings
from reactpy_django.connection import use_connection
from reactpy_django.types import (
    USE_DEFAULT_POSTPROCESSOR,
    DjangoPostprocessorKwargs,
    Inferred,
    Query,
    UseDefaultPostprocessor,
)

__all__ = ["use_query"]

logger: logging.Logger = logging.getLogger(__name__)

_R = TypeVar("_R")

_Postprocessor = Callable[..., Any]


@overload
def use_query(
    query: Callable[..., Awaitable[Inferred]],
    kwargs: Mapping[str, Any] | None = None,
    *,
    thread_sensitive: bool = True,
    postprocessor: UseDefaultPostprocessor | None = USE_DEFAULT_POSTPROCESSOR,
    postprocessor_kwargs: DjangoPostprocessorKwargs | None = None,
) -> Query[Inferred]: ...


@overload
def use_query(
    query: Callable[..., Inferred],
    kwargs: Mapping[str, Any] | None = None,
    *,
    thread_sensitive: bool = True,
    postprocessor: UseDefaultPostprocessor | None = USE_DEFAULT_POSTPROCESSOR,
    postprocessor_kwargs: DjangoPostprocessorKwargs | None = None,
) -> Query[Inferred]: ...


@overload
def use_query(
    query: Callable[..., Awaitable[Inferred]],
    kwargs: Mapping[str, Any] | None = None,
    *,
    thread_sensitive: bool = True,
    postprocessor: Callable[Concatenate[Inferred, ...], Awaitable[_R]],
    postprocessor_kwargs: Mapping[str, Any] | None = None,
) -> Query[_R]: ...


@overload
def use_query(
    query: Callable[..., Inferred],
    kwargs: Mapping[str, Any] | None = None,
    *,
    thread_sensitive: bool = True,
    postprocessor: Callable[Concatenate[Inferred, ...], Awaitable[_R]],
    postprocessor_kwargs: Mapping[str, Any] | None = None,
) -> Query[_R]: ...


@overload
def use_query(
    query: Callable[..., Awaitable[Inferred]],
    kwargs: Mapping[str, Any] | None = None,
    *,
    thread_sensitive: bool = True,
    postprocessor: Callable[Concatenate[Inferred, ...], _R],
    postprocessor_kwargs: Mapping[str, Any] | None = None,
) -> Query[_R]: ...


@overload
def use_query(
    query: Callable[..., Inferred],
    kwargs: Mapping[str, Any] | None = None,
    *,
    thread_sensitive: bool = True,
    postprocessor: Callable[Concatenate[Inferred, ...], _R],
    postprocessor_kwargs: Mapping[str, Any] | None = None,
) -> Query[_R]: ...


def use_query(
    query: Callable[..., Any],
    kwargs: Mapping[str, Any] | None = None,
    *,
    thread_sensitive: bool = True,
    postprocessor: _Postprocessor | UseDefaultPostprocessor | None = USE_DEFAULT_POSTPROCESSOR,
    postprocessor_kwargs: Mapping[str, Any] | None = None,
) -> Query[Any]:
    """Run `query(**kwargs)` in the background; re-render with its result.

    `query` may be sync (run in a thread, see below) or async. Its result goes through
    `postprocessor(data, **postprocessor_kwargs)`: by default the function the
    `REACTPY_DEFAULT_QUERY_POSTPROCESSOR` setting names, `django_query_postprocessor`, which
    loads a returned `QuerySet` or `Model` and its relations so rendering reads them without
    `SynchronousOnlyOperation`; `postprocessor=None` turns it off.

    The query runs when the component mounts, again when `kwargs` changes (compared with
    `==`) or the query function does, on `refetch()`, and when a `use_mutation` naming it in
    `refetch=` succeeds anywhere. Only the latest run's result is shown: a result never
    replaces a newer request's. While it runs, `loading` is `True` and `data` keeps the last
    result. A failure is logged once and kept in `error` (`data` is then `None`) until a later
    run succeeds. Unmounting or disconnecting cancels a running query.

    With `thread_sensitive=True` (the default) a sync query function runs in a pool of
    `REACTPY_QUERY_THREADS` threads where each connection's sync calls run one at a time, in
    order; other connections are not held up by it. `thread_sensitive=False` uses a separate
    pool with no ordering. Nothing runs while prerendering: the HTML shows `loading`.

    Args:
        query: The function (sync or async) that reads and returns the data.
        kwargs: Keyword arguments for `query`; a changed value (by `==`) runs it again.
        thread_sensitive: Run a sync `query` in the ordered per-connection query threads
            (`True`) or in a separate unordered pool (`False`). Ignored for async functions.
        postprocessor: Called with the result (and `postprocessor_kwargs`); its return becomes
            `data`. The default is `REACTPY_DEFAULT_QUERY_POSTPROCESSOR`; `None` turns
            postprocessing off.
        postprocessor_kwargs: Keyword arguments for the postprocessor, e.g. `{"many_to_many":
            False}` for the default one.

    Returns:
        Query[Inferred]: `data`, `loading`, `error` and `refetch()`.
    """
    state = connection_state(use_connection().scope)
    _, set_version = hooks.use_state(0)
    runner: _QueryRunner = hooks.use_state(lambda: _QueryRunner(state, set_version))[0]
    runner.render(
        _Call(
            query=query,
            kwargs=dict(kwargs or {}),
            thread_sensitive=thread_sensitive,
            postprocessor=postprocessor,
            postprocessor_kwargs=dict(postprocessor_kwargs or {}),
        )
    )
    hooks.use_effect(runner.mount, dependencies=[])
    return Query(
        data=runner.data,
        loading=runner.loading,
        error=runner.error,
        refetch=runner.refetch,
        reads=runner.reads,
    )


@dataclass(frozen=True, slots=True)
class _Call:
    """One run's inputs, fixed when it starts."""

    query: Callable[..., Any]
    kwargs: dict[str, Any]
    thread_sensitive: bool
    postprocessor: _Postprocessor | UseDefaultPostprocessor | None
    postprocessor_kwargs: dict[str, Any]
    name: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", _refetch.function_name(self.query))


def _same_kwargs(old: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    """`old == new`; values that cannot be compared count as the same if identical."""
    try:
        return bool(old == new)
    except Exception:
        return old.keys() == new.keys() and all(old[key] is new[key] for key in old)


class _QueryRunner:
    """The state of one `use_query` hook, shared by its renders, runs and refetches."""

    def __init__(self, state: ConnectionState, set_version: Callable[[Callable[[int], int]], None]):
        self._state = state
        self._set_version = set_version
        self._loop = asyncio.get_running_loop()
        self._call: _Call | None = None
        self._request = 0
        self._task: asyncio.Task[None] | None = None
        self._scheduled = False
        self._disposed = False
        self._subscribed: str | None = None
        self.data: Any = None
        self.error: Exception | None = None
        self.loading = True
        self.reads = ReadLog()

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        """The event loop this hook's component renders on."""
        return self._loop

    def render(self, call: _Call) -> None:
        """Take this render's arguments; a new function or new kwargs start a new run."""
        previous, self._call = self._call, call
        if not self._state.live or self._disposed:
            return
        if (
            previous is None
            or previous.name != call.name
            or not _same_kwargs(previous.kwargs, call.kwargs)
        ):
            self._request_run()
        if self._subscribed is not None and self._subscribed != call.name:
            self._subscribe()

    def mount(self) -> Callable[[], None]:
        """The mount effect: listen for refetches of this query function."""
        if self._state.live and not self._disposed:
            self._subscribe()
        return self.dispose

    def dispose(self) -> None:
        """Unmounted: cancel the running query and stop listening."""
        self._disposed = True
        if self._task is not None:
            self._task.cancel()
            self._task = None
        if self._subscribed is not None:
            _refetch.unsubscribe(self._subscribed, self)
            self._subscribed = None

    def refetch(self) -> None:
        """Run the query again (several calls in one event-loop tick run it once)."""
        if self._disposed or not self._state.live or self._call is None:
            return
        if running_loop() is not self._loop:  # called from another thread
            self._loop.call_soon_threadsafe(self.refetch)
            return
        self._request_run()
        if self.reads.loading:  # otherwise the view cannot change until the result arrives
            self._changed()

    def _subscribe(self) -> None:
        assert self._call is not None
        if self._subscribed is not None:
            _refetch.unsubscribe(self._subscribed, self)
        self._subscribed = self._call.name
        _refetch.subscribe(self._subscribed, self)

    def _request_run(self) -> None:
        """Mark the shown result stale, cancel the run producing it, start one next tick."""
        self._request += 1
        self.loading = True
        if self._task is not None:
            self._task.cancel()
            self._task = None
        if not self._scheduled:
            self._scheduled = True
            self._loop.call_soon(self._start)

    def _start(self) -> None:
        self._scheduled = False
        if self._disposed or self._call is None:
            return
        call, request = self._call, self._request
        self._task = self._state.spawn(self._run(call, request), name=f"use_query:{call.name}")

    async def _run(self, call: _Call, request: int) -> None:
        try:
            data = await _execute(call, self._state)
        except Exception as error:
            if request != self._request or self._disposed:
                return
            logger.exception("use_query: query function %s failed", call.name)
            self.data, self.error = None, error
        else:
            if request != self._request or self._disposed:
                return
            self.data, self.error = data, None
        self.loading = False
        self._task = None
        self._changed()

    def _changed(self) -> None:
        if not self._disposed:
            self._set_version(next_version)


async def _execute(call: _Call, state: ConnectionState) -> Any:
    """Run the query function and its postprocessor; sync parts run in a query thread."""
    postprocessor = _resolve(call.postprocessor)
    process_in_thread = postprocessor is not None and not is_async(postprocessor)
    if is_async(call.query):
        data = await call.query(**call.kwargs)
    else:

        def work() -> Any:
            result = call.query(**call.kwargs)
            if process_in_thread and not inspect.isawaitable(result):
                assert postprocessor is not None
                return _Processed(postprocessor(result, **call.postprocessor_kwargs))
            return result

        data = await run_sync(work, state, thread_sensitive=call.thread_sensitive)
        if isinstance(data, _Processed):
            return data.value
        if inspect.isawaitable(data):  # a sync function that returned a coroutine
            data = await data
    if postprocessor is None:
        return data
    if is_async(postprocessor):
        return await postprocessor(data, **call.postprocessor_kwargs)
    return await run_sync(lambda: postprocessor(data, **call.postprocessor_kwargs), state)


@dataclass(frozen=True, slots=True)
class _Processed:
    """A result the postprocessor already handled in the query's own thread."""

    value: Any


def _resolve(
    postprocessor: _Postprocessor | UseDefaultPostprocessor | None,
) -> _Postprocessor | None:
    if isinstance(postprocessor, UseDefaultPostprocessor):
        path = reactpy_settings().default_query_postprocessor
        return _import_postprocessor(path) if path else None
    return postprocessor


@cache
def _import_postprocessor(path: str) -> _Postprocessor:
    function: object = import_string(path)
    if not callable(function):
        msg = (
            f"REACTPY_DEFAULT_QUERY_POSTPROCESSOR names {path!r}, which is not callable. "
            "Name a function (data, **kwargs) -> data, or set it to None."
        )
        raise TypeError(msg)
    return function
