"""Threads for the sync query and mutation functions of `use_query` and `use_mutation`.

asgiref's `thread_sensitive=True` sends every such call of every connection in the process to
one thread, so one slow query stalls all the others. Here instead:

- `thread_sensitive=True`: a pool of up to `REACTPY_QUERY_THREADS` threads (default 4) shared
  by all connections, with one *lane* per connection: a connection's calls run one at a time,
  in the order they were made, while other connections' calls run on other threads. A slow
  call holds up only its own connection's later calls (and one thread). Quick calls mostly
  run on one thread, while the event loop that queued them waits (see `_Workers`).
- `thread_sensitive=False`: a separate, larger pool with no ordering at all.

Each call sees the caller's context variables. Database connections are handled as Django
handles them around a request, with a thread's busy spell as the request: before each call a
broken connection (or one left in a transaction) is closed; a healthy one stays open for the
thread's next call, and once the thread has had no work for 50 ms its connections are closed
as `CONN_MAX_AGE` says (with Django's default 0, then). Opening a connection for every call
cost more CPU than the query itself (SQLite: about 1.4 ms of 2.2 ms per call, at 200
connections refetching). `thread_sensitive=False` calls close stale connections before and
after each call, as Channels' `database_sync_to_async` does.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import contextvars
import functools
import inspect
import threading
import time
import weakref
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from django.db import close_old_connections, connections

from reactpy_django._state import ConnectionState
from reactpy_django.conf import reactpy_settings

__all__ = ["is_async", "run_sync"]

_T = TypeVar("_T")

_LANE_KEY = "reactpy_django._executor.lane"
IDLE_AFTER = 0.05
"""Seconds without a call after which a query thread's busy spell ends (its connections close).

Under load the queue is empty for a moment between most calls; closing then would reopen a
connection for nearly every call."""
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


_Job = tuple[Future[Any], Callable[[], Any]]  # one queue holds calls of every result type

LEND_BUDGET = 0.005
"""Seconds an event loop waits at most for the queued calls (the GIL's switch interval)."""

START_AFTER = 0.02
"""Seconds a queued call waits at most for an event loop to lend its time before it starts
(a loop that queued calls lends again every turn while any are left, so this is a backstop)."""

STUCK_AFTER = 0.02
"""Seconds a call may run before a sleeping thread wakes to take the calls queued behind it."""


class _Sleeper:
    """A worker thread's wake-up: a lock it blocks on, released to wake it."""

    __slots__ = ("lock",)

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.lock.acquire()


class _Workers:
    """Up to `size` threads taking calls from one queue, as few at a time as keep it moving.

    Under the GIL a query thread and the event loop hand the interpreter back and forth at
    every SQLite row and socket call, and each hand-over costs both a context switch and
    their CPU caches: at 200 connections refetching that cost more than the queries. So:

    - one thread takes the calls while they are quick (the last to fall asleep, which is
      usually the one that just ran); another wakes only when every running thread has been
      on its call for `STUCK_AFTER`, so a slow call holds up only its own connection;
    - calls start while an event loop lends its time (`lend`: the turn after it queued them,
      and every turn while any are left), or once they have waited `START_AFTER`, so they
      run while the loop waits instead of against it;
    - a thread's database connections outlive a call while it keeps working, and are
      closed (as `CONN_MAX_AGE` says) once it has had no call for `IDLE_AFTER`.
    """

    def __init__(self, size: int, prefix: str) -> None:
        self._lock = threading.Lock()
        self._jobs: collections.deque[tuple[_Job, float]] = collections.deque()
        self._sleeping: list[_Sleeper] = []  # the last to fall asleep is woken first
        self._since: list[float | None] = [None] * size  # when each thread's call started
        self._watcher: int | None = None  # the thread checking the running ones for a stall
        self._lent = False
        self._closing = False
        self._idle = threading.Event()  # no call queued or running
        self._idle.set()
        self._finished = 0
        self._stalled_at = -1  # `_finished` when a lend saw no call finish (a slow call)
        self._threads = [
            threading.Thread(
                target=self._work, args=(index,), name=f"{prefix}_{index}", daemon=True
            )
            for index in range(size)
        ]
        for worker in self._threads:
            worker.start()

    def submit(self, function: Callable[[], _T]) -> Future[_T]:
        """Queue `function()`; its future can be cancelled until a thread starts it."""
        future: Future[_T] = Future()
        with self._lock:
            self._jobs.append(((future, function), time.monotonic()))
            self._idle.clear()
            if self._watcher is None or not self._running():
                self._wake()
        return future

    def lend(self, budget: float) -> bool:
        """Wait (blocking the calling event loop) up to `budget` seconds for the queued calls.

        The loop could not run Python while a query thread does anyway; waiting saves both
        the hand-overs. A lend that sees no call finish has met a slow one: no more lending
        until a call finishes, so a slow query stalls the loop at most once, for `budget`.
        Returns whether quick calls are still queued (the loop lends again next turn).
        """
        if self._idle.is_set() or self._finished == self._stalled_at:
            return False
        finished = self._finished
        with self._lock:
            self._lent = True
            if not self._running():
                self._wake()
        try:
            done = self._idle.wait(budget)
        finally:
            self._lent = False
        if not done and self._finished == finished:
            self._stalled_at = finished
        return not done and self._finished != self._stalled_at

    def queued(self) -> int:
        """How many calls wait for a thread."""
        return len(self._jobs)

    def shutdown(self, timeout: float = 0.0) -> None:
        """End every thread once the calls queued before this have run (each closes its
        database connections), waiting up to `timeout` seconds for them."""
        with self._lock:
            self._closing = True
            while self._sleeping:
                self._wake()
        deadline = time.monotonic() + timeout
        for worker in self._threads:
            worker.join(max(deadline - time.monotonic(), 0.0))

    def _running(self) -> bool:
        return any(since is not None for since in self._since)

    def _wake(self) -> None:
        """Wake the thread that fell asleep last (the caller holds `_lock`)."""
        if self._sleeping:
            self._sleeping.pop().lock.release()

    def _may_take(self, index: int, now: float) -> bool:
        return self._closing or all(
            since is None or now - since >= STUCK_AFTER
            for other, since in enumerate(self._since)
            if other != index
        )

    def _decide(self, index: int, idle_since: float, busy: bool) -> _Job | float | None:
        """Under `_lock`: a call to run, or how long to sleep (`-1`: until woken), or
        `None` to close the thread's connections (idle) or end it (closing)."""
        now = time.monotonic()
        self._since[index] = None
        if self._watcher == index:
            self._watcher = None
        if not self._jobs:
            if not self._running():
                self._idle.set()
            if self._closing or (busy and now - idle_since >= IDLE_AFTER):
                return None
            return idle_since + IDLE_AFTER - now if busy else -1
        if not self._may_take(index, now):
            if self._watcher is not None:
                return -1
            self._watcher = index
            return STUCK_AFTER
        open_gate = self._lent or self._closing or self._finished == self._stalled_at
        wait = 0.0 if open_gate else self._jobs[0][1] + START_AFTER - now
        if wait > 0:
            return wait
        job = self._jobs.popleft()[0]
        self._since[index] = now
        if self._jobs and self._watcher is None:
            self._wake()  # it watches the calls left for a stall
        return job

    def _work(self, index: int) -> None:
        sleeper = _Sleeper()
        busy = False
        idle_since = time.monotonic()
        while True:
            with self._lock:
                decision = self._decide(index, idle_since, busy)
                if isinstance(decision, float | int):
                    self._sleeping.append(sleeper)
            if decision is None:  # idle (the "request" is over) or shutting down
                _tidy_connections(idle=True)
                busy = False
                if self._closing and not self._jobs:
                    return
                continue
            if isinstance(decision, float | int):
                if not sleeper.lock.acquire(timeout=decision):
                    with self._lock:
                        if sleeper in self._sleeping:
                            self._sleeping.remove(sleeper)
                        else:  # woken just as the wait ran out: take the wake-up back
                            sleeper.lock.acquire()
                continue
            _run(*decision)
            del decision  # a finished call's result is not kept alive while the thread waits
            self._finished += 1
            busy = True
            idle_since = time.monotonic()


def _run(future: Future[Any], function: Callable[[], Any]) -> None:
    if not future.set_running_or_notify_cancel():  # cancelled while queued
        return
    try:
        _tidy_connections(idle=False)
        result = function()
    except BaseException as error:
        future.set_exception(error)
    else:
        future.set_result(result)


def _tidy_connections(*, idle: bool) -> None:
    """Close broken connections and ones left in a transaction (as Django does around a
    request). Before a call (`idle=False`) healthy ones stay open past their age, since the
    thread's busy spell goes on; once it is idle, `CONN_MAX_AGE` decides. A connection that
    cannot even be checked is closed rather than handed on, and never ends the thread."""
    for connection in connections.all(initialized_only=True):
        close_at = connection.close_at
        if not idle:
            connection.close_at = None
        try:
            connection.close_if_unusable_or_obsolete()
        except Exception:
            with contextlib.suppress(Exception):
                connection.close()
        finally:
            if not idle:
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


def stop_query_threads(timeout: float) -> None:
    """End the query threads (the next call starts new ones), waiting up to `timeout` seconds
    for them to close their database connections: before a test database is dropped."""
    global _sensitive
    with _lock:
        current, _sensitive = _sensitive, None
    if current is not None:
        current[1].shutdown(timeout)


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


class _Inbox:
    """Finished calls handed back to one event loop, many per wake-up.

    `asyncio.wrap_future` wakes the loop (a write to its self-pipe, a syscall that also hands
    the GIL back and forth) once per finished call. Under load the loop is busy when calls
    finish, so here a call that finishes while a hand-back is pending joins it.
    """

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._lock = threading.Lock()
        self._ready: list[Callable[[], None]] = []
        self._lending = False

    def lend_soon(self, workers: _Workers) -> None:
        """Lend `workers` the loop's time once this loop turn's calls are queued."""
        if not self._lending:
            self._lending = True
            self._loop.call_soon(self._lend, workers)

    def _lend(self, workers: _Workers) -> None:
        self._lending = False
        if workers.lend(LEND_BUDGET):  # calls are left: lend again after this loop turn
            self.lend_soon(workers)

    def put(self, callback: Callable[[], None]) -> None:
        """Run `callback()` on the loop soon; callable from any thread."""
        with self._lock:
            self._ready.append(callback)
            if len(self._ready) > 1:  # a wake-up is already on its way
                return
        with contextlib.suppress(RuntimeError):  # the loop has closed: nobody waits
            self._loop.call_soon_threadsafe(self._drain)

    def _drain(self) -> None:
        with self._lock:
            ready, self._ready = self._ready, []
        for callback in ready:
            callback()


_inboxes: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Inbox] = weakref.WeakKeyDictionary()


def _inbox(loop: asyncio.AbstractEventLoop) -> _Inbox:
    inbox = _inboxes.get(loop)
    if inbox is None:
        with _lock:
            inbox = _inboxes.setdefault(loop, _Inbox(loop))
    return inbox


def _settle(source: Future[_T], waiter: asyncio.Future[_T], lane: asyncio.Lock) -> None:
    """Copy a finished call's outcome to the loop's future (unless its caller gave up), then
    free the connection's lane, in that order: the caller resumes before the connection's next
    call starts (a mutation requests its refetch before that refetch can run)."""
    try:
        if waiter.done():
            return
        if source.cancelled():
            waiter.cancel()
        elif (error := source.exception()) is not None:
            waiter.set_exception(error)
        else:
            waiter.set_result(source.result())
    finally:
        lane.release()


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
    inbox = _inbox(loop)
    waiter: asyncio.Future[_T] = loop.create_future()
    try:
        workers = _sensitive_pool()
        future: Future[_T] = workers.submit(functools.partial(context.run, function))
    except BaseException:
        lane.release()
        raise
    inbox.lend_soon(workers)

    # Runs in the worker thread (or here, if cancelled before it started).
    future.add_done_callback(lambda source: inbox.put(lambda: _settle(source, waiter, lane)))
    try:
        return await waiter
    except asyncio.CancelledError:
        future.cancel()  # not started yet: `finished` runs now and frees the lane
        raise


def next_version(version: int) -> int:
    """A state updater that bumps a render counter (hooks re-render when it changes)."""
    return version + 1


def running_loop() -> asyncio.AbstractEventLoop | None:
    """The event loop running in this thread, or `None` (a worker thread)."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None
