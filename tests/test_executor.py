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


async def _wall_time(connections: int, seconds: float, *, thread_sensitive: bool = True) -> float:
    log: list[str] = []
    states = [_state() for _ in range(connections)]
    started = time.monotonic()
    await asyncio.gather(
        *(
            run_sync(_sleeper(seconds, log, str(i)), state, thread_sensitive=thread_sensitive)
            for i, state in enumerate(states)
        )
    )
    return time.monotonic() - started


async def test_one_connections_calls_run_one_at_a_time_in_order() -> None:
    log: list[str] = []
    state = _state()
    await asyncio.gather(*(run_sync(_sleeper(0.02, log, str(i)), state) for i in range(4)))
    assert log == [f"{edge} {i}" for i in range(4) for edge in ("start", "end")]


async def test_connections_do_not_wait_for_each_other() -> None:
    # 8 connections, each one 100 ms sync query, 4 threads: two rounds, not eight.
    elapsed = await _wall_time(8, 0.1)
    assert elapsed < 0.5
    # asgiref's thread_sensitive=True runs them all on one thread (what the old library did).
    started = time.monotonic()
    await asyncio.gather(*(sync_to_async(time.sleep)(0.1) for _ in range(8)))
    assert time.monotonic() - started >= 0.8


async def test_a_slow_call_holds_up_only_its_own_connection() -> None:
    log: list[str] = []
    slow, other = _state(), _state()
    slow_call = asyncio.ensure_future(run_sync(_sleeper(0.5, log, "slow"), slow))
    await asyncio.sleep(0)  # the slow call takes its thread first
    started = time.monotonic()
    await asyncio.gather(*(run_sync(_sleeper(0.01, log, f"o{i}"), other) for i in range(10)))
    assert time.monotonic() - started < 0.4
    assert "end slow" not in log
    await slow_call


async def test_a_slow_call_stalls_the_event_loop_at_most_once_briefly() -> None:
    # The loop lends its time to quick calls (it waits up to LEND_BUDGET for them); a call
    # that finishes nothing in that time is a slow one, and the loop stops waiting for it.
    stalls: list[float] = []
    running = True

    async def ticker() -> None:
        last = time.monotonic()
        while running:
            await asyncio.sleep(0.001)
            now = time.monotonic()
            if now - last > 0.003:
                stalls.append(now - last)
            last = now

    ticks = asyncio.ensure_future(ticker())
    await run_sync(lambda: time.sleep(0.3), _state())
    running = False
    await ticks
    assert sum(stalls) < 0.05, f"the loop stalled for {sum(stalls):.3f}s in {len(stalls)} stalls"


async def test_the_thread_count_follows_the_setting() -> None:
    with override_settings(REACTPY_QUERY_THREADS=2):
        elapsed = await _wall_time(4, 0.1)
    assert elapsed >= 0.2  # two rounds of two
    names: set[str] = set()
    log: list[str] = []
    with override_settings(REACTPY_QUERY_THREADS=2):
        names.update(
            await asyncio.gather(
                *(run_sync(_sleeper(0.05, log, str(i)), _state()) for i in range(6))
            )
        )
    assert len(names) == 2


def _query_after(queued: int = 0) -> Callable[[], bool]:
    """A call that runs a query (and returns whether its connection is in autocommit); with
    `queued`, it first waits until that many calls are queued behind it."""

    def call() -> bool:
        deadline = time.monotonic() + 5
        while _executor._sensitive_pool().queued() < queued:
            assert time.monotonic() < deadline, "the calls were never queued"
            time.sleep(0.001)
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
    started = time.monotonic()
    await asyncio.gather(
        *(run_sync(lambda: time.sleep(0.1), state, thread_sensitive=False) for _ in range(4))
    )
    assert time.monotonic() - started < 0.35


async def test_a_cancelled_call_that_has_not_started_never_runs() -> None:
    log: list[str] = []
    state = _state()
    first = asyncio.ensure_future(run_sync(_sleeper(0.2, log, "first"), state))
    second = asyncio.ensure_future(run_sync(_sleeper(0, log, "second"), state))
    await asyncio.sleep(0.05)
    second.cancel()
    await first
    third = await run_sync(lambda: "third", state)
    assert third == "third"
    assert log == ["start first", "end first"]


async def test_a_cancelled_running_call_keeps_the_lane_until_its_thread_is_done() -> None:
    log: list[str] = []
    state = _state()
    running = asyncio.ensure_future(run_sync(_sleeper(0.2, log, "running"), state))
    await asyncio.sleep(0.05)
    running.cancel()
    await run_sync(_sleeper(0, log, "next"), state)
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
