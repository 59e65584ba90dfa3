"""The query threads: one ordered lane per connection over a shared pool, not one thread."""

from __future__ import annotations

import asyncio
import contextvars
import threading
import time
from collections.abc import Callable, Iterator

import pytest
from asgiref.sync import sync_to_async
from django.db import connection, transaction
from django.db.backends.signals import connection_created
from django.test import override_settings

from reactpy_django import _executor
from reactpy_django._executor import is_async, run_sync
from reactpy_django._state import ConnectionState

VARIABLE: contextvars.ContextVar[str] = contextvars.ContextVar("VARIABLE", default="unset")


def _state() -> ConnectionState:
    return ConnectionState(root_id="test")


def _sleeper(seconds: float, log: list[str], name: str) -> Callable[[], str]:
    def sleep() -> str:
        log.append(f"start {name}")
        time.sleep(seconds)
        log.append(f"end {name}")
        return threading.current_thread().name

    return sleep


_WAIT = 5.0
"""Seconds a test waits for something that happens at once when the code is right."""


class _Meeting:
    """Calls that must run at the same time: each waits (in its thread) until `parties` calls
    have arrived, so the test fails (a broken barrier) unless that many run at once. Records
    the most calls running at once and the threads that ran them."""

    def __init__(self, parties: int) -> None:
        self._barrier = threading.Barrier(parties, timeout=_WAIT)
        self._lock = threading.Lock()
        self._running = 0
        self.most = 0
        self.threads: set[str] = set()

    def call(self) -> None:
        with self._lock:
            self._running += 1
            self.most = max(self.most, self._running)
            self.threads.add(threading.current_thread().name)
        try:
            self._barrier.wait()
        finally:
            with self._lock:
                self._running -= 1


async def _started(event: threading.Event) -> None:
    """Wait (without blocking the loop) until a thread has set `event`."""
    assert await asyncio.to_thread(event.wait, _WAIT), "the call never started"


async def test_one_connections_calls_run_one_at_a_time_in_order() -> None:
    log: list[str] = []
    state = _state()
    await asyncio.gather(*(run_sync(_sleeper(0.02, log, str(i)), state) for i in range(4)))
    assert log == [f"{edge} {i}" for i in range(4) for edge in ("start", "end")]


async def test_connections_do_not_wait_for_each_other() -> None:
    # 8 connections, 4 threads: their calls meet four at a time (two rounds, not eight).
    meeting = _Meeting(4)
    with override_settings(REACTPY_QUERY_THREADS=4):
        await asyncio.gather(*(run_sync(meeting.call, _state()) for _ in range(8)))
    assert meeting.most == 4
    assert len(meeting.threads) == 4
    # asgiref's thread_sensitive=True runs them all on one thread (what the old library did).
    names = await asyncio.gather(
        *(sync_to_async(lambda: threading.current_thread().name)() for _ in range(8))
    )
    assert len(set(names)) == 1


async def test_a_slow_call_holds_up_only_its_own_connection() -> None:
    log: list[str] = []
    slow, other = _state(), _state()
    started, release = threading.Event(), threading.Event()

    def slow_call() -> None:
        started.set()
        release.wait(_WAIT)
        log.append("end slow")

    slow_future = asyncio.ensure_future(run_sync(slow_call, slow))
    try:
        await _started(started)
        others = (run_sync(_sleeper(0, log, f"o{i}"), other) for i in range(10))
        await asyncio.wait_for(asyncio.gather(*others), _WAIT)  # while the slow call holds on
        assert "end slow" not in log
        assert log.count("end o9") == 1
    finally:
        release.set()
        await slow_future


async def test_a_slow_call_stalls_the_event_loop_at_most_once_briefly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The loop lends its time to quick calls (it waits up to LEND_BUDGET for them); a call
    # that finishes nothing in that time is a slow one, and the loop stops waiting for it.
    pool = _executor._sensitive_pool()
    lend = pool.lend
    lends: list[float] = []

    def counted(budget: float) -> bool:
        lends.append(budget)
        return lend(budget)

    monkeypatch.setattr(pool, "lend", counted)
    turns = 0
    enough_turns = threading.Event()

    async def ticker() -> None:
        nonlocal turns
        while not enough_turns.is_set():
            await asyncio.sleep(0)
            turns += 1
            if turns == 200:
                enough_turns.set()

    ticks = asyncio.ensure_future(ticker())
    # The call ends only once the loop has turned 200 times while it ran.
    assert await run_sync(lambda: enough_turns.wait(_WAIT), _state())
    await ticks
    assert len(lends) == 1  # one lend met the slow call; the loop did not lend again


async def test_the_thread_count_follows_the_setting() -> None:
    meeting = _Meeting(2)
    with override_settings(REACTPY_QUERY_THREADS=2):
        await asyncio.gather(*(run_sync(meeting.call, _state()) for _ in range(6)))
    assert meeting.most == 2  # three rounds of two, never three at once
    assert len(meeting.threads) == 2


def _query_after(queued: int = 0) -> Callable[[], bool]:
    """A call that runs a query (and returns whether its connection is in autocommit); with
    `queued`, it first waits until that many calls are queued behind it."""

    def call() -> bool:
        deadline = time.monotonic() + 5
        while _executor._sensitive_pool().queued() < queued:
            assert time.monotonic() < deadline, "the calls were never queued"
            time.sleep(0.001)  # polling until the deadline
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return transaction.get_autocommit()

    return call


@pytest.fixture
def opened() -> Iterator[list[str]]:
    """The names of the threads that opened a database connection, in order."""
    names: list[str] = []

    def count(**kwargs: object) -> None:
        names.append(threading.current_thread().name)

    # django-stubs leaves the receiver's return type unknown in both signatures.
    connection_created.connect(count)  # pyright: ignore[reportUnknownMemberType]
    yield names
    connection_created.disconnect(count)  # pyright: ignore[reportUnknownMemberType]


@pytest.mark.backends
@pytest.mark.django_db(transaction=True)
async def test_queued_calls_share_a_connection_that_closes_once_the_thread_is_idle(
    opened: list[str],
) -> None:
    with override_settings(REACTPY_QUERY_THREADS=1):
        calls = [run_sync(_query_after(19), _state())]
        calls += [run_sync(_query_after(), _state()) for _ in range(19)]
        await asyncio.gather(*calls)
        # Django's default CONN_MAX_AGE (0): one connection for the busy spell, not twenty.
        assert len(opened) == 1
        # Once the thread has had no call for a moment, it closes the connection (each check
        # is a call, so checks are spaced wider than that moment).
        deadline = time.monotonic() + 5
        while not await run_sync(lambda: connection.connection is None, _state()):
            assert time.monotonic() < deadline, "the idle thread kept its connection"
            await asyncio.sleep(_executor.IDLE_AFTER * 2)


@pytest.mark.backends
@pytest.mark.django_db(transaction=True)
async def test_a_connection_left_in_a_transaction_is_not_handed_to_the_next_call(
    opened: list[str],
) -> None:
    def leave_a_transaction_open() -> bool:
        transaction.set_autocommit(False)
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return transaction.get_autocommit()

    with override_settings(REACTPY_QUERY_THREADS=1):
        results = await asyncio.gather(
            run_sync(_query_after(2), _state()),
            run_sync(leave_a_transaction_open, _state()),
            run_sync(_query_after(), _state()),
        )
    assert list(results) == [True, False, True]  # the third got a new connection, in autocommit
    assert len(opened) == 2


@pytest.mark.backends
@pytest.mark.django_db(transaction=True)
async def test_a_connection_that_cannot_be_checked_is_closed_and_the_thread_lives_on() -> None:
    def refuse() -> None:
        msg = "cannot check"
        raise RuntimeError(msg)

    def break_the_check() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        # A real connection cannot be made to fail its check on demand.
        setattr(connection, "close_if_unusable_or_obsolete", refuse)  # noqa: B010  # an instance attribute shadows the method

    def mend_the_check() -> None:
        delattr(connection, "close_if_unusable_or_obsolete")

    state = _state()
    with override_settings(REACTPY_QUERY_THREADS=1):
        await run_sync(break_the_check, state)
        try:
            # The next call on that thread finds the connection closed, not the call failed.
            assert await run_sync(lambda: connection.connection is None, state)
        finally:
            await run_sync(mend_the_check, state)
        assert await run_sync(_query_after(), state)  # the same thread, working


async def test_thread_sensitive_false_calls_are_not_ordered() -> None:
    state = _state()
    meeting = _Meeting(4)  # one connection's four calls, all running at once
    await asyncio.gather(*(run_sync(meeting.call, state, thread_sensitive=False) for _ in range(4)))
    assert meeting.most == 4


async def test_a_cancelled_call_that_has_not_started_never_runs() -> None:
    log: list[str] = []
    state = _state()
    started, release = threading.Event(), threading.Event()

    def blocking() -> None:
        log.append("start first")
        started.set()
        release.wait(_WAIT)
        log.append("end first")

    first = asyncio.ensure_future(run_sync(blocking, state))
    second = asyncio.ensure_future(run_sync(_sleeper(0, log, "second"), state))
    await _started(started)
    second.cancel()
    release.set()
    await first
    third = await run_sync(lambda: "third", state)
    assert third == "third"
    assert log == ["start first", "end first"]


async def test_a_cancelled_running_call_keeps_the_lane_until_its_thread_is_done() -> None:
    log: list[str] = []
    state = _state()
    started, release = threading.Event(), threading.Event()

    def blocking() -> None:
        log.append("start running")
        started.set()
        release.wait(_WAIT)
        log.append("end running")

    running = asyncio.ensure_future(run_sync(blocking, state))
    await _started(started)
    running.cancel()
    following = asyncio.ensure_future(run_sync(_sleeper(0, log, "next"), state))
    for _ in range(20):  # loop turns in which the next call could take a free lane
        await asyncio.sleep(0)
    assert _executor._lane(state).locked()  # still held for the thread's call
    assert log == ["start running"]
    release.set()
    await following
    assert log == ["start running", "end running", "start next", "end next"]


async def test_exceptions_and_context_variables_cross_the_thread() -> None:
    VARIABLE.set("from the caller")
    assert await run_sync(VARIABLE.get, _state()) == "from the caller"

    def fail() -> None:
        msg = "boom"
        raise KeyError(msg)

    with pytest.raises(KeyError, match="boom"):
        await run_sync(fail, _state())


def test_is_async_knows_coroutine_functions_and_callables() -> None:
    async def coroutine_function() -> None: ...

    class AsyncCallable:
        async def __call__(self) -> None: ...

    assert is_async(coroutine_function)
    assert is_async(AsyncCallable())
    assert not is_async(time.sleep)
    assert not is_async(AsyncCallable)
    assert not is_async(lambda: None)
