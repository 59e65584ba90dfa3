"""The ReactPy hot-path fixes of `reactpy_django._patches`: no per-render leak, same behaviour."""

from __future__ import annotations

import asyncio
import gc
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from typing import Any

import pytest
from reactpy import component, create_context, hooks, html
from reactpy.core import layout, vdom
from reactpy.core._life_cycle_hook import current_hook
from reactpy.core.types import ComponentType, VdomDict

from reactpy_django._patches import _LightSemaphore, _RenderQueue
from reactpy_django.testing import DEFAULT_TIMEOUT, mount
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


# --- one test per fix: each fails with that fix alone reverted (tests/fixes.py) ----------------

_LABEL = create_context("none")
_UNMOUNTING: list[str] = []
_BOTH_UNMOUNTING: list[asyncio.Event] = []


@component
def _unmount_waits_for_the_other_session(label: str) -> VdomDict:
    async def effect(stop: asyncio.Event) -> None:  # a task, as an effect added this way is
        await stop.wait()
        _UNMOUNTING.append(label)
        gate = _BOTH_UNMOUNTING[0]
        if len(_UNMOUNTING) == 2:
            gate.set()
        await asyncio.wait_for(gate.wait(), DEFAULT_TIMEOUT)

    current_hook().add_effect(effect)
    return html.p("child")


@component
def _label_probe() -> VdomDict:
    return html.p({"id": "label"}, f"label:{hooks.use_context(_LABEL)}")


@component
def _context_tree(label: str) -> VdomDict:
    shown, set_shown = hooks.use_state(True)

    def hide() -> None:
        set_shown(False)

    body = html.div(
        html.button({"id": "hide", "on_click": hide}, "hide"),
        _unmount_waits_for_the_other_session(label) if shown else html.p("gone"),
        _label_probe(),
    )
    return html.div(_LABEL(body, value=label))


async def test_two_sessions_suspended_mid_render_keep_their_own_context() -> None:
    # Each session's render stops halfway (unmounting a child whose effect task waits for
    # the other session's) with its components' hooks pushed; the other session then renders.
    # On ReactPy's one stack per thread, the first session's next child would read the
    # second's context and its parent's pop would find the wrong hook.
    _UNMOUNTING.clear()
    _BOTH_UNMOUNTING[:] = [asyncio.Event()]
    async with mount(_context_tree, "a") as first, mount(_context_tree, "b") as second:
        await first.wait_for_text("label:a")
        await second.wait_for_text("label:b")
        await first.click(id="hide")
        await second.click(id="hide")
        await first.wait_for_text("gone")
        await second.wait_for_text("gone")
        assert sorted(_UNMOUNTING) == ["a", "b"]
        assert first.find(id="label").text == "label:a"
        assert second.find(id="label").text == "label:b"


@component
def _no_parameter_handler() -> VdomDict:
    count, set_count = hooks.use_state(0)

    def increment() -> None:  # the hooks doc's own form: no event parameter
        set_count(count + 1)

    return html.button({"id": "plain", "on_click": increment}, f"plain:{count}")


async def test_a_handler_without_parameters_takes_effect() -> None:
    async with mount(_no_parameter_handler) as page:
        await page.click(id="plain")
        await page.wait_for_text("plain:1")  # ReactPy passes the event: a TypeError, no update


@component
def _wide(children: int) -> VdomDict:
    count, set_count = hooks.use_state(0)

    def increment() -> None:
        set_count(count + 1)

    return html.div(
        html.button({"id": "wide", "on_click": increment}, f"wide:{count}"),
        [_leaf(index, key=str(index)) for index in range(children)],
    )


@component
def _leaf(index: int) -> VdomDict:
    value, _ = hooks.use_state(index)
    return html.span(str(value))


class _LoopTurns:
    """Counts event-loop iterations: a callback that schedules itself again each turn."""

    def __init__(self) -> None:
        self.turns = 0
        self._handle: asyncio.Handle | None = None

    def _tick(self) -> None:
        self.turns += 1
        self._handle = asyncio.get_running_loop().call_soon(self._tick)

    def __enter__(self) -> _LoopTurns:
        self._handle = asyncio.get_running_loop().call_soon(self._tick)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._handle is not None:
            self._handle.cancel()


async def test_rendering_many_children_takes_few_loop_turns() -> None:
    children = 300
    async with mount(_wide, children) as page:
        await page.wait_for_text("wide:0")
        with _LoopTurns() as loop_turns:
            await page.click(id="wide")
            await page.wait_for_text("wide:1")
    # anyio's semaphore yields a loop turn per component render even when free: 300 here.
    assert loop_turns.turns < children / 4


async def test_the_component_check_runs_once_per_class_not_per_child(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    children = 300
    metaclass = type(ComponentType)
    original: Callable[[object, object], bool] = metaclass.__dict__["__instancecheck__"]
    checks: list[object] = []

    def counted(cls: object, instance: object) -> bool:
        if cls is ComponentType:
            checks.append(instance)
        return original(cls, instance)

    async with mount(_wide, children) as page:
        await page.wait_for_text("wide:0")
        monkeypatch.setattr(metaclass, "__instancecheck__", counted)
        await page.click(id="wide")
        await page.wait_for_text("wide:1")
        monkeypatch.undo()
    # ReactPy's layout checks the protocol for every child on every render: 300 here.
    assert len(checks) < 10


async def test_set_state_on_the_loop_thread_does_not_wake_the_loop(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    loop = asyncio.get_running_loop()
    original = loop.call_soon_threadsafe
    wakeups: list[object] = []

    def counted(callback: Callable[..., object], *args: object, **kwargs: Any) -> asyncio.Handle:
        wakeups.append(callback)
        return original(callback, *args, **kwargs)

    async with mount(components.counter) as page:
        await page.wait_for_text("Count: 0")
        monkeypatch.setattr(loop, "call_soon_threadsafe", counted)
        clicks = 50
        for count in range(1, clicks + 1):
            await page.click(id="increment")
            await page.wait_for_text(f"Count: {count}")
        monkeypatch.undo()
    # ReactPy queues each render with call_soon_threadsafe (a wake-up pipe write): 50 here.
    assert len(wakeups) < clicks / 5


_HOOKS: dict[str, Any] = {}


@component
def _two_states() -> VdomDict:
    count, set_count = hooks.use_state(0)
    label, set_label = hooks.use_state(lambda: "made once")
    _HOOKS.setdefault("setters", []).append((set_count, set_label))
    _HOOKS["hook"] = current_hook()

    def click(event: object) -> None:
        set_count(lambda old: old + 1)
        set_label(label)  # an equal value: no render of its own

    return html.button({"id": "click", "on_click": click}, f"{label} {count}")


async def test_state_setters_and_render_callbacks_hold_no_closures() -> None:
    # Each mounted component keeps its render callback and each use_state its setter until
    # unmount; ReactPy's are closures with two cells each (about 260 bytes, 0.8 KiB for a
    # counter session).
    _HOOKS.clear()
    async with mount(_two_states) as page:
        await page.wait_for_text("made once 0")
        await page.click(id="click")
        await page.wait_for_text("made once 1")
        await page.click(id="click")
        await page.wait_for_text("made once 2")
    renders: list[tuple[Callable[..., None], Callable[..., None]]] = _HOOKS.pop("setters")
    callback = _HOOKS.pop("hook")._schedule_render_callback  # nothing of the session stays
    assert len(renders) == 3  # the equal label set no render
    set_count, set_label = renders[0]
    assert all(count is set_count and label is set_label for count, label in renders)
    assert getattr(set_count, "__closure__", None) is None
    assert getattr(set_label, "__closure__", None) is None
    assert getattr(callback, "__closure__", None) is None


def test_plain_attribute_dicts_skip_reactpys_mapping_check(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    original: Callable[[object], bool] = getattr(vdom, "_is_attributes")  # noqa: B009  # private to ReactPy
    probed: list[object] = []

    def counted(value: object) -> bool:
        probed.append(value)
        return original(value)

    monkeypatch.setattr(vdom, "_is_attributes", counted)
    elements = [html.div({"id": str(index)}, "text") for index in range(100)]
    assert elements[7] == {"tagName": "div", "attributes": {"id": "7"}, "children": ["text"]}
    # ReactPy's constructor tests every first argument against the Mapping ABC: 100 here.
    assert len(probed) == 0


def test_a_site_on_another_reactpy_version_refuses_to_start() -> None:
    # The fixes replace private names of ReactPy 1.1.0 exactly; on any other version the app
    # must stop at startup with the fix, not patch what it does not know.
    script = (
        "import reactpy; reactpy.__version__ = '1.2.0'\n"
        "import django; django.setup()\n"
        "print('started')\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    done = subprocess.run(  # this interpreter, a fixed script
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode != 0
    assert "started" not in done.stdout
    assert (
        "RuntimeError: reactpy_django needs reactpy==1.1.0, found 1.2.0. "
        "Install the pinned version: pip install 'reactpy==1.1.0'."
    ) in done.stderr
