"""The consumer, through reactpy_django.testing: mount, events, refusals, teardown, memory."""

from __future__ import annotations

import asyncio
import gc
import logging
import tracemalloc
from collections import Counter
from typing import Any

import pytest
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.test import override_settings
from reactpy import component, html, use_state
from reactpy.core import _life_cycle_hook
from reactpy.core._life_cycle_hook import LifeCycleHook
from reactpy.core.layout import Layout
from reactpy.core.types import LayoutUpdateMessage, VdomDict

from reactpy_django._debug import debug_mode
from reactpy_django._patches import _TaskLocalHookStack
from reactpy_django._state import ConnectionState
from reactpy_django.consumer import CloseCode, ReactpyAsyncWebsocketConsumer
from reactpy_django.registry import register_component
from reactpy_django.routing import websocket_path
from reactpy_django.testing import connect, mount, new_session
from tests import components

_MEMORY = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.backends]


async def test_counter_renders_and_counts() -> None:
    async with mount("tests.components.counter", start=3) as page:
        assert page.find(id="count").text == "Count: 3"
        await page.click(id="increment")
        await page.wait_for_text("Count: 4")


async def test_a_sync_handler_runs_in_place_and_an_async_one_in_a_task_of_its_own() -> None:
    # A plain function needs no task of its own: the consumer runs it as the frame arrives.
    components.HANDLER_TASKS["sync"].clear()
    components.HANDLER_TASKS["async"].clear()
    async with mount("tests.components.handler_tasks") as page:
        for clicks, button in enumerate(["sync", "async", "sync", "async"], start=1):
            await page.click(id=button)
            await page.wait_for_text(f"clicks:{clicks}")
    first_sync, second_sync = components.HANDLER_TASKS["sync"]
    first_async, second_async = components.HANDLER_TASKS["async"]
    assert first_sync is second_sync  # the connection's own task, both times
    assert first_async is not second_async
    assert first_sync not in (first_async, second_async)


async def test_unregistered_component_is_refused(caplog: pytest.LogCaptureFixture) -> None:
    # A path no template names and nobody registered: importing it from a URL is refused.
    async with mount("os.system", register=False) as page:
        assert page.close_code == CloseCode.UNKNOWN_COMPONENT
        assert page.text == ""
    assert "Refused WebSocket for 'os.system'" in caplog.text


async def test_unknown_path_is_refused_without_importing_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async with mount("tests.no_such_module.thing", register=False) as page:
        assert page.close_code == CloseCode.UNKNOWN_COMPONENT
    assert "tests.no_such_module" not in __import__("sys").modules


async def test_a_root_id_that_is_not_a_uuid_is_refused() -> None:
    register_component(components.counter)
    async with connect(websocket_path("tests.components.counter", "abc", False)) as page:
        assert page.close_code == CloseCode.BAD_REQUEST


async def test_registered_component_needs_no_template() -> None:
    async with mount(components.counter, register=True) as page:
        assert page.find(id="count").text == "Count: 0"


async def test_a_component_that_cannot_be_built_closes_for_a_retry(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken() -> None:
        raise ValueError("no database today")

    async with mount(broken) as page:  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]  # deliberately not a component
        assert page.close_code == CloseCode.INTERNAL_ERROR
    assert "no database today" in caplog.text


async def test_a_failing_send_closes_the_socket_and_logs_why(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    original = ReactpyAsyncWebsocketConsumer._send_update
    sent = 0

    async def flaky(self: ReactpyAsyncWebsocketConsumer, update: LayoutUpdateMessage) -> None:
        nonlocal sent
        sent += 1
        if sent > 1:
            raise ConnectionResetError("peer went away")
        await original(self, update)

    monkeypatch.setattr(ReactpyAsyncWebsocketConsumer, "_send_update", flaky)
    async with mount(components.counter) as page:
        await page.click(id="increment")
        assert await page.wait_for_close() == CloseCode.INTERNAL_ERROR
    assert "peer went away" in caplog.text


async def test_concurrent_layouts_keep_their_own_hook_state() -> None:
    async def one(index: int) -> str:
        async with mount("tests.components.themed_tree", url=f"/?theme=t{index}") as page:
            await page.wait_for(lambda: page.text.count("ready") == 4)
            return page.text

    texts = await asyncio.gather(*(one(i) for i in range(8)))
    for index, text in enumerate(texts):
        assert text == "".join(f"t{index}:{leaf}:ready" for leaf in range(4))


async def test_disconnect_cancels_effects_and_background_tasks() -> None:
    async with mount(components.lifecycle_probe) as page:
        log = components.LIFECYCLE[page.root_id]
        await page.wait_for(lambda: "started" in log)
        assert log == ["started"]
    # Leaving the block disconnected; the consumer awaited its teardown before returning.
    assert sorted(log) == ["effect cancelled", "started", "task cancelled"]


async def test_sessions_do_not_see_each_others_events() -> None:
    async with mount(components.counter) as first, mount(components.counter) as second:
        for expected in ("Count: 1", "Count: 2"):
            await first.click(id="increment")
            await first.wait_for_text(expected)
        # A frame naming first's handler, sent on second's socket, reaches nothing there.
        await second.fire(first.find(id="increment"), "onClick", {})
        await second.click(id="increment")
        await second.wait_for_text("Count: 1")
        assert first.find(id="count").text == "Count: 2"


def _live_objects() -> Counter[str]:
    wanted = (ConnectionState, Layout, LifeCycleHook, ReactpyAsyncWebsocketConsumer)
    counts: Counter[str] = Counter()
    for obj in gc.get_objects():
        if isinstance(obj, wanted):
            counts[type(obj).__name__] += 1
    return counts


_NOISE = 32 * 1024
"""Bytes 200 connections may leave behind: allocator and cache noise, not a leaked layout."""


async def test_connect_disconnect_cycles_leave_nothing_behind() -> None:
    session = await new_session()

    async def cycle() -> None:
        async with mount(components.counter, 1, session=session) as page:
            await page.click(id="increment")
            await page.wait_for_text("Count: 2")

    async def measure(cycles: int) -> int:
        gc.collect()
        before = tracemalloc.take_snapshot()
        for _ in range(cycles):
            await cycle()
        gc.collect()
        after = tracemalloc.take_snapshot()
        return sum(stat.size_diff for stat in after.compare_to(before, "filename"))

    for _ in range(20):  # warm up: imports, the database connection
        await cycle()
    gc.collect()
    tasks_before = len(asyncio.all_tasks())
    objects_before = _live_objects()
    hook_stack = _life_cycle_hook._HOOK_STATE
    assert isinstance(hook_stack, _TaskLocalHookStack)
    hook_stacks_before = len(hook_stack._by_task)
    tracemalloc.start()
    try:
        # The first round also fills bounded caches (urllib's URL cache, CPython's
        # attribute-name cache, sqlite3's statements); a leak grows in every round.
        first = await measure(200)
        second = await measure(200)
        if second >= _NOISE:
            # A busy spell (PostgreSQL and Redis clients filling their buffers, a loaded
            # machine) can land in one round; a leak grows in every round, so look once more.
            second = min(second, await measure(200))
    finally:
        tracemalloc.stop()
    logging.getLogger(__name__).warning(
        "memory after 200 connections: %+d bytes, after 200 more: %+d bytes (%+.1f B each)",
        first,
        second,
        second / 200,
    )
    gc.collect()
    assert _live_objects() == objects_before
    assert objects_before["ReactpyAsyncWebsocketConsumer"] == 0
    assert objects_before["ConnectionState"] == 0
    assert len(asyncio.all_tasks()) == tasks_before
    assert len(hook_stack._by_task) == hook_stacks_before
    # One leaked layout is tens of KiB; 200 would be megabytes. Allow noise, not a leak.
    assert second < _NOISE, f"{second} bytes kept by 200 connections"


@component
def _handler_kinds() -> VdomDict:
    log, set_log = use_state(list[str]())

    def add(entry: str) -> None:
        set_log(lambda old: [*old, entry])

    async def first() -> None:  # takes effect as its task starts
        add("async")

    def second() -> None:
        add("sync")

    def plain() -> None:
        add("plain")

    return html.div(
        html.button({"id": "async", "on_click": first}, "async"),
        html.button({"id": "sync", "on_click": second}, "sync"),
        html.button({"id": "plain", "on_click": plain}, "plain"),
        html.p({"id": "log"}, "log:" + ",".join(log)),
    )


async def test_a_sync_event_after_an_async_one_takes_effect_after_it() -> None:
    async with mount(_handler_kinds) as page:
        await page.wait_for_text("log:")
        # Both frames are queued before the consumer reads either: the async handler's task
        # is created but has not run when the sync event arrives.
        await page.click(id="async")
        await page.click(id="sync")
        await page.wait_for(lambda: page.find(id="log").text.count(",") == 1)
        assert page.find(id="log").text == "log:async,sync"


async def test_sync_handlers_run_without_a_task_each() -> None:
    loop = asyncio.get_running_loop()
    delivered: list[str] = []
    factory = loop.get_task_factory()

    def counting(
        loop: asyncio.AbstractEventLoop, coro: Any, context: Any = None
    ) -> asyncio.Future[Any]:
        delivered.append(getattr(coro, "__qualname__", ""))
        return asyncio.Task(coro, loop=loop, context=context)

    async with mount(_handler_kinds) as page:
        await page.wait_for_text("log:")
        loop.set_task_factory(counting)
        try:
            clicks = 30
            for _ in range(clicks):
                await page.click(id="plain")
            await page.wait_for(lambda: page.find(id="log").text.count("plain") == clicks)
        finally:
            loop.set_task_factory(factory)
    # Without running them in place, each event gets a `Layout.deliver` task: 30 here.
    assert delivered.count("Layout.deliver") == 0


def _render_tasks() -> list[asyncio.Task[Any]]:
    return [task for task in asyncio.all_tasks() if task.get_name().startswith("reactpy:")]


async def _no_render_task_within(timeout: float) -> bool:
    """Whether every render task has ended within `timeout` seconds (each ends right after
    sending its update, which the page may read first)."""
    running = _render_tasks()
    if running:
        await asyncio.wait(running, timeout=timeout)
    return not _render_tasks()


async def test_an_idle_session_keeps_no_render_task() -> None:
    # ReactPy's serve loop keeps a task per session waiting for renders (with four coroutines
    # and a future: about 1.5 KiB); here a render task runs only while a component waits.
    async with mount(components.counter, 0) as first, mount(components.counter, 5) as second:
        await first.wait_for_text("Count: 0")
        await second.wait_for_text("Count: 5")
        assert await _no_render_task_within(5.0), _render_tasks()
        await first.click(id="increment")
        await second.click(id="increment")
        await first.wait_for_text("Count: 1")
        await second.wait_for_text("Count: 6")
        assert await _no_render_task_within(5.0), _render_tasks()
        await first.click(id="increment")  # renders on demand again
        await first.wait_for_text("Count: 2")


async def test_a_session_opens_no_channel_layer_channel() -> None:
    with override_settings(CHANNEL_LAYERS=_MEMORY):
        layer = get_channel_layer()
        assert isinstance(layer, InMemoryChannelLayer)
        async with mount(components.counter) as first, mount(components.counter) as second:
            await first.click(id="increment")
            await second.click(id="increment")
            await first.wait_for_text("Count: 1")
            await second.wait_for_text("Count: 1")
            # Channels' own consumer call opens (and reads) a layer channel per socket.
            assert dict(layer.channels) == {}


@override_settings(DEBUG=True)
async def test_debug_mode_shows_a_render_error_in_the_page(
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert debug_mode()  # DEBUG turned it on
    async with mount(components.broken_render, message="no stock") as page:
        await page.wait_for_text("RuntimeError: no stock")
        assert page.close_code is None
    assert "no stock" in caplog.text  # and it is logged


async def test_without_debug_a_render_error_shows_nothing_and_is_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert not debug_mode()
    async with mount(components.broken_render, message="no stock") as page:
        await page.wait_for(lambda: "no stock" in caplog.text)
        assert page.text == ""
        assert page.close_code is None


@override_settings(DEBUG=True)
async def test_debug_mode_shows_a_component_that_cannot_be_built(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async with mount(components.broken_constructor) as page:  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]  # deliberately not a component
        await page.wait_for_text("ValueError: no database today")
        assert page.find("pre").text == "ValueError: no database today"
        assert page.close_code is None  # no reconnect loop while the developer looks
    assert "Could not build component" in caplog.text
