"""Threads for the sync query and mutation functions of `use_query` and `use_mutation`.

asgiref's `thread_sensitive=True` sends every such call of every connection in the process to
one thread, so one slow query stalls all the others. Here instead:

- `thread_sensitive=True`: a pool of `REACTPY_QUERY_THREADS` threads (default 4) shared by all
  connections, with one *lane* per connection: a connection's calls run one at a time, in the
  order they were made, while other connections' calls run on the other threads. A slow call
  holds up only its own connection's later calls (and one thread).
- `thread_sensitive=False`: a separate, larger pool with no ordering at all.

Each call closes stale database connections before and after, as Channels'
`database_sync_to_async` does, and sees the caller's context variables.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import inspect
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from django.db import close_old_connections

from reactpy_django._state import ConnectionState
from reactpy_django.conf import reactpy_settings

__all__ = ["is_async", "run_sync"]

_T = TypeVar("_T")

_LANE_KEY = "reactpy_django._executor.lane"
_lock = threading.Lock()
_sensitive: tuple[int, ThreadPoolExecutor] | None = None
_free: ThreadPoolExecutor | None = None


def is_async(function: object) -> bool:
    """Whether calling `function` gives a coroutine: an `async def`, or an object whose
    `__call__` is one. Anything else runs in a thread."""
    if inspect.iscoroutinefunction(function):
        return True
    if inspect.isroutine(function) or isinstance(function, type):
        return False
    return inspect.iscoroutinefunction(inspect.getattr_static(type(function), "__call__", None))


def _sensitive_pool() -> ThreadPoolExecutor:
    """The lanes' pool, rebuilt when `REACTPY_QUERY_THREADS` changes (running calls finish)."""
    global _sensitive
    size = max(1, int(reactpy_settings().query_threads))
    with _lock:
        if _sensitive is None or _sensitive[0] != size:
            if _sensitive is not None:
                _sensitive[1].shutdown(wait=False)
            _sensitive = (size, ThreadPoolExecutor(size, thread_name_prefix="reactpy-query"))
        return _sensitive[1]


def _free_pool() -> ThreadPoolExecutor:
    """The pool for `thread_sensitive=False` calls."""
    global _free
    with _lock:
        if _free is None:
            _free = ThreadPoolExecutor(thread_name_prefix="reactpy-query-free")
        return _free


def _lane(state: ConnectionState) -> asyncio.Lock:
    """The connection's lane: held from a call's start until its thread has finished it."""
    lane = state.extensions.get(_LANE_KEY)
    if not isinstance(lane, asyncio.Lock):
        lane = state.extensions[_LANE_KEY] = asyncio.Lock()
    return lane


def _call(function: Callable[[], _T]) -> _T:
    close_old_connections()
    try:
        return function()
    finally:
        close_old_connections()


def _release_soon(loop: asyncio.AbstractEventLoop, lane: asyncio.Lock) -> None:
    with contextlib.suppress(RuntimeError):  # the loop has closed: nobody waits on the lane
        loop.call_soon_threadsafe(lane.release)


async def run_sync(
    function: Callable[[], _T], state: ConnectionState | None, *, thread_sensitive: bool = True
) -> _T:
    """Run `function()` in a thread and return its result (or raise its exception).

    With `thread_sensitive` and a connection's `state`, the call waits for that connection's
    earlier calls and blocks its later ones until it returns. Cancelling the caller cancels a
    call that has not started; one that has started finishes in its thread (Python cannot stop
    a thread) and its result is dropped, but the lane stays held until it is done.
    """
    context = contextvars.copy_context()
    if not thread_sensitive or state is None:
        return await asyncio.wrap_future(_free_pool().submit(context.run, _call, function))
    loop = asyncio.get_running_loop()
    lane = _lane(state)
    await lane.acquire()
    try:
        future: Future[_T] = _sensitive_pool().submit(context.run, _call, function)
    except BaseException:
        lane.release()
        raise
    try:
        result = await asyncio.wrap_future(future)
    except asyncio.CancelledError:
        if future.cancel() or future.done():  # it never started, or it has just finished
            lane.release()
        else:  # it runs on in its thread: the next call waits for it
            future.add_done_callback(lambda _: _release_soon(loop, lane))
        raise
    except BaseException:
        lane.release()
        raise
    # Released here, not when the thread ends, so the caller sees the result before the
    # connection's next call starts (a mutation's refetch is requested before it runs).
    lane.release()
    return result


def next_version(version: int) -> int:
    """A state updater that bumps a render counter (hooks re-render when it changes)."""
    return version + 1


def running_loop() -> asyncio.AbstractEventLoop | None:
    """The event loop running in this thread, or `None` (a worker thread)."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None
