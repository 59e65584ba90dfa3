"""Threads for the sync query and mutation functions of `use_query` and `use_mutation`.

asgiref's `thread_sensitive=True` sends every such call of every connection in the process to
one thread, so one slow query stalls all the others. Here instead:

- `thread_sensitive=True`: a pool of `REACTPY_QUERY_THREADS` threads (default 4) shared by all
  connections, with one *lane* per connection: a connection's calls run one at a time, in the
  order they were made, while other connections' calls run on the other threads. A slow call
  holds up only its own connection's later calls (and one thread).
- `thread_sensitive=False`: a separate, larger pool with no ordering at all.

Each call sees the caller's context variables. Database connections are handled as
Django handles them around a request, with a thread's busy spell as the request: before each
call a broken connection (or one left in a transaction) is closed; a healthy one stays open
for the thread's next queued call, and once the thread runs out of work its connections are
closed as `CONN_MAX_AGE` says (with Django's default 0, then). Opening a connection for every
call cost more CPU than the query itself (SQLite: about 1.4 ms of 2.2 ms per call, at 200
connections refetching). `thread_sensitive=False` calls close stale connections before and
after each call, as Channels' `database_sync_to_async` does.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import functools
import inspect
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from django.db import close_old_connections, connections

from reactpy_django._state import ConnectionState
from reactpy_django.conf import reactpy_settings

__all__ = ["is_async", "run_sync"]

_T = TypeVar("_T")

_LANE_KEY = "reactpy_django._executor.lane"
_lock = threading.Lock()
_sensitive: tuple[int, _Workers] | None = None
_free: ThreadPoolExecutor | None = None


def is_async(function: object) -> bool:
    """Whether calling `function` gives a coroutine: an `async def`, or an object whose
    `__call__` is one. Anything else runs in a thread."""
    if inspect.iscoroutinefunction(function):
        return True
    if inspect.isroutine(function) or isinstance(function, type):
        return False
    return inspect.iscoroutinefunction(inspect.getattr_static(type(function), "__call__", None))


_Job = tuple[Future[Any], Callable[[], Any]]


class _Workers:
    """Threads taking calls from one queue; a thread's database connections outlive a call
    while more calls are queued, and are closed (as `CONN_MAX_AGE` says) once it is idle."""

    def __init__(self, size: int, prefix: str) -> None:
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._size = size
        for index in range(size):
            worker = threading.Thread(target=self._work, name=f"{prefix}_{index}", daemon=True)
            worker.start()

    def submit(self, function: Callable[[], _T]) -> Future[_T]:
        """Queue `function()`; its future can be cancelled until a thread starts it."""
        future: Future[_T] = Future()
        self._jobs.put((future, function))
        return future

    def shutdown(self) -> None:
        """End every thread once the calls queued before this have run."""
        for _ in range(self._size):
            self._jobs.put(None)

    def _work(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                close_old_connections()
                return
            _run(*job)
            del job  # a finished call's result is not kept alive while the thread waits
            if self._jobs.empty():  # idle: the "request" is over
                close_old_connections()


def _run(future: Future[Any], function: Callable[[], Any]) -> None:
    if not future.set_running_or_notify_cancel():  # cancelled while queued
        return
    _close_unusable()
    try:
        result = function()
    except BaseException as error:
        future.set_exception(error)
    else:
        future.set_result(result)


def _close_unusable() -> None:
    """Close broken connections and ones left in a transaction (as Django does before a
    request), but keep healthy ones open past their age: the thread's spell goes on."""
    for connection in connections.all(initialized_only=True):
        close_at, connection.close_at = connection.close_at, None
        try:
            connection.close_if_unusable_or_obsolete()
        finally:
            connection.close_at = close_at


def _sensitive_pool() -> _Workers:
    """The lanes' threads, rebuilt when `REACTPY_QUERY_THREADS` changes (running calls finish)."""
    global _sensitive
    size = max(1, int(reactpy_settings().query_threads))
    with _lock:
        if _sensitive is None or _sensitive[0] != size:
            if _sensitive is not None:
                _sensitive[1].shutdown()
            _sensitive = (size, _Workers(size, "reactpy-query"))
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
        future: Future[_T] = _sensitive_pool().submit(functools.partial(context.run, function))
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
