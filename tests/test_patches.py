"""The ReactPy hot-path fixes of `reactpy_django._patches`: no per-render leak, same behaviour."""

from __future__ import annotations

import asyncio
import gc
import threading
from collections.abc import Callable

import pytest
from reactpy import component, hooks, html
from reactpy.core import layout
from reactpy.core.types import VdomDict

from reactpy_django._patches import _LightSemaphore, _RenderQueue
from reactpy_django.testing import mount
from tests import components

pytestmark = [pytest.mark.backends, pytest.mark.django_db(transaction=True)]


def _live_events() -> int:
    gc.collect()
    return sum(1 for obj in gc.get_objects() if isinstance(obj, asyncio.Event))


async def test_re_rendering_a_component_without_effects_keeps_no_events() -> None:
    async with mount(components.counter) as page:
        await page.click(id="increment")
        await page.wait_for_text("Count: 1")
        before = _live_events()
        for count in range(2, 502):
            await page.click(id="increment")
            await page.wait_for_text(f"Count: {count}")
        after = _live_events()
    # ReactPy 1.1 alone keeps one asyncio.Event per render until unmount: 500 more here.
    assert after - before < 20


_RUNS: list[str] = []


@component
def _effect_per_click() -> VdomDict:
    count, set_count = hooks.use_state(0)

    @hooks.use_effect(dependencies=[count])
    def record() -> None:
        _RUNS.append(f"run {count}")

    @hooks.use_effect(dependencies=[])
    async def until_unmount() -> None:
        try:
            await asyncio.Event().wait()
        finally:
            _RUNS.append("unmounted")

    def increment(event: object) -> None:
        set_count(count + 1)

    return html.button({"id": "more", "on_click": increment}, f"clicks:{count}")


async def test_effects_of_every_render_run_and_stop_at_unmount() -> None:
    _RUNS.clear()
    async with mount(_effect_per_click) as page:
        for count in range(1, 4):
            await page.click(id="more")
            await page.wait_for_text(f"clicks:{count}")
        await page.wait_for(lambda: len(_RUNS) == 4)
        assert _RUNS == ["run 0", "run 1", "run 2", "run 3"]
    assert _RUNS[-1] == "unmounted"  # the shared stop event still ends the endless effect


_CLEANUPS: list[str] = []


@component
def _effects_with_cleanups() -> VdomDict:
    count, set_count = hooks.use_state(0)

    @hooks.use_effect(dependencies=[count])
    def follow_count() -> Callable[[], None]:
        _CLEANUPS.append(f"start {count}")
        return lambda: _CLEANUPS.append(f"clean {count}")

    @hooks.use_effect(dependencies=[])
    def once() -> Callable[[], None]:
        return lambda: _CLEANUPS.append("clean once")

    @hooks.use_effect(dependencies=[count])
    def fails() -> None:
        if count == 1:
            msg = "this effect fails once"
            raise ValueError(msg)

    def increment(event: object) -> None:
        set_count(count + 1)

    return html.button({"id": "more", "on_click": increment}, f"clicks:{count}")


@component
def _toggle_effects() -> VdomDict:
    shown, set_shown = hooks.use_state(True)

    def hide(event: object) -> None:
        set_shown(False)

    return html.div(
        html.button({"id": "toggle", "on_click": hide}, "hide"),
        _effects_with_cleanups() if shown else html.p("hidden"),
    )


async def test_sync_effects_run_and_clean_up_without_a_task_each(
    caplog: pytest.LogCaptureFixture,
) -> None:
    _CLEANUPS.clear()
    async with mount(_toggle_effects) as page:
        await page.wait_for(lambda: _CLEANUPS == ["start 0"])
        tasks_before = len(asyncio.all_tasks())
        for count in (1, 2):
            await page.click(id="more")
            await page.wait_for_text(f"clicks:{count}")
        await page.wait_for(lambda: _CLEANUPS[-1] == "start 2")
        # ReactPy 1.1 alone starts a task for every effect run, kept until unmount.
        assert len(asyncio.all_tasks()) == tasks_before
        assert _CLEANUPS == ["start 0", "clean 0", "start 1", "clean 1", "start 2"]
        failures = [r for r in caplog.records if r.getMessage() == "Error in effect"]
        assert len(failures) == 1
        assert failures[0].exc_info is not None
        assert str(failures[0].exc_info[1]) == "this effect fails once"

        await page.click(id="toggle")  # unmounts the component: every cleanup runs, once
        await page.wait_for_text("hidden")
        await page.wait_for(lambda: len(_CLEANUPS) == 7)
    assert _CLEANUPS[5:] == ["clean once", "clean 2"]


async def test_the_semaphore_serves_waiters_in_order_and_passes_on_a_cancelled_hand_over() -> None:
    semaphore = _LightSemaphore(1)
    await semaphore.acquire()  # free: taken at once
    order: list[str] = []

    async def take(name: str) -> None:
        await semaphore.acquire()
        order.append(name)

    first = asyncio.create_task(take("first"))
    second = asyncio.create_task(take("second"))
    third = asyncio.create_task(take("third"))
    await asyncio.sleep(0)  # let all three queue up
    semaphore.release()  # handed to `first`...
    first.cancel()  # ...which is cancelled before it runs: the permit must go to `second`
    await asyncio.wait_for(second, 5)
    assert order == ["second"]
    assert first.cancelled()
    semaphore.release()
    await asyncio.wait_for(third, 5)
    assert order == ["second", "third"]


async def test_the_render_queue_takes_items_from_the_loop_and_from_other_threads() -> None:
    queue: _RenderQueue[str] = _RenderQueue()
    queue.put("a")
    queue.put("a")  # already waiting: not queued twice
    queue.put("b")
    assert [await queue.get(), await queue.get()] == ["a", "b"]
    getting = asyncio.create_task(queue.get())
    worker = threading.Thread(target=queue.put, args=("from a thread",))
    worker.start()
    worker.join()
    assert await asyncio.wait_for(getting, 5) == "from a thread"


def test_the_cached_component_check_answers_like_reactpy() -> None:
    check: type = getattr(layout, "ComponentType")  # noqa: B009  # the name install() replaced
    assert isinstance(components.counter(), check)
    assert isinstance(components.counter(start=2), check)
    assert not isinstance("text", check)
    assert not isinstance({"tagName": "div"}, check)
    assert not isinstance(3, check)
