"""Frame validation: `frames.parse_event` fuzzed, and malformed frames sent to a live consumer."""

from __future__ import annotations

import contextlib
import json
from typing import Any

import orjson
import pytest
from asgiref.sync import async_to_sync
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reactpy_django.frames import FrameError, parse_event
from reactpy_django.testing import mount
from tests import components

_json: st.SearchStrategy[Any] = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
_browser_json: st.SearchStrategy[Any] = st.recursive(  # what a browser can send: doubles
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53), max_value=2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
_near_valid: st.SearchStrategy[Any] = st.fixed_dictionaries(
    {},
    optional={
        "type": st.sampled_from(["layout-event", "layout-update", "", "LAYOUT-EVENT"]) | _json,
        "target": st.text(max_size=200) | _json,
        "data": st.lists(_json, max_size=3) | _json,
        "extra": _json,
    },
)


def _encode(value: Any) -> str:
    return json.dumps(value)


_frames: st.SearchStrategy[str | bytes] = st.one_of(
    st.text(),
    st.binary(),
    _json.map(_encode),
    _near_valid.map(_encode),
    _near_valid.map(_encode).map(str.encode),
)


@given(_frames)
@settings(max_examples=500, deadline=None)
def test_parse_event_accepts_only_layout_events(frame: str | bytes) -> None:
    try:
        event = parse_event(frame)
    except FrameError as error:
        message = str(error)
        assert message  # always says what was wrong
        return
    assert event["type"] == "layout-event"
    assert isinstance(event["target"], str)
    assert 0 < len(event["target"]) <= 128
    assert isinstance(event["data"], list)
    assert set(event) == {"type", "target", "data"}  # extra keys are not passed on


@given(st.text(min_size=1, max_size=128), st.lists(_browser_json, max_size=4))
@settings(max_examples=200, deadline=None)
def test_valid_events_round_trip(target: str, data: list[Any]) -> None:
    frame = json.dumps({"type": "layout-event", "target": target, "data": data})
    assert parse_event(frame) == {"type": "layout-event", "target": target, "data": data}


@pytest.mark.parametrize(
    ("frame", "reason"),
    [
        ("not json", "not JSON"),
        ("[1, 2]", "expected a JSON object, got list"),
        ('{"type": "hello"}', 'expected "type": "layout-event", got \'hello\''),
        ('{"type": "layout-event", "data": []}', '"target" must be a handler id string'),
        ('{"type": "layout-event", "target": "", "data": []}', '"target" must be'),
        ('{"type": "layout-event", "target": "t", "data": {}}', '"data" must be a list'),
        (b"\xff\xfe", "not JSON"),
    ],
)
def test_each_fault_is_named(frame: str | bytes, reason: str) -> None:
    with pytest.raises(FrameError, match=reason.replace("(", r"\(")):
        parse_event(frame)


def _live_frames(sink_target: str) -> st.SearchStrategy[list[str | bytes]]:
    aimed = st.fixed_dictionaries(
        {
            "type": st.just("layout-event"),
            "target": st.just(sink_target),
            "data": st.lists(_json, max_size=3) | _json,
        }
    ).map(_encode)
    return st.lists(_frames | aimed, min_size=1, max_size=60)


async def _fuzz_live(frames: list[str | bytes], sink_target: str) -> None:
    async with mount(components.event_sink) as victim, mount(components.counter) as bystander:
        await bystander.click(id="increment")
        await bystander.wait_for_text("Count: 1")
        target = victim.find(id="sink").handlers["on_click"]
        expected = 0
        for frame in frames:
            raw = frame.replace(sink_target, target) if isinstance(frame, str) else frame
            with contextlib.suppress(FrameError):
                expected += parse_event(raw)["target"] == target
            await victim.send_raw(raw)
        await victim.click(id="sink")  # the session still works, and saw every valid event
        await victim.wait_for_text(f"events:{expected + 1}")
        assert victim.close_code is None
        await bystander.click(id="increment")  # the other session never noticed
        await bystander.wait_for_text("Count: 2")
        assert bystander.close_code is None


@pytest.mark.backends
@pytest.mark.django_db(transaction=True)
@given(st.data())
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_malformed_frames_never_end_the_session(data: st.DataObject) -> None:
    placeholder = "SINK-TARGET"  # swapped for the live handler id once mounted
    frames = data.draw(_live_frames(placeholder))
    async_to_sync(_fuzz_live)(frames, placeholder)


@pytest.mark.backends
@pytest.mark.django_db(transaction=True)
async def test_a_frame_over_the_size_limit_is_dropped(caplog: pytest.LogCaptureFixture) -> None:
    with override_settings(REACTPY_MAX_MESSAGE_SIZE=1024):
        async with mount(components.event_sink) as page:
            target = page.find(id="sink").handlers["on_click"]
            big = orjson.dumps({"type": "layout-event", "target": target, "data": ["x" * 2000]})
            await page.send_raw(big)
            await page.click(id="sink")
            await page.wait_for_text("events:1")  # only the click counted
            assert page.close_code is None
    assert "REACTPY_MAX_MESSAGE_SIZE is 1024" in caplog.text


@pytest.mark.backends
@pytest.mark.django_db(transaction=True)
async def test_a_dropped_frame_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    async with mount(components.counter) as page:
        await page.send_raw('{"type": "hello"}')
        await page.click(id="increment")
        await page.wait_for_text("Count: 1")
    assert "Dropped a frame on WebSocket" in caplog.text
    assert 'expected "type": "layout-event", got \'hello\'' in caplog.text
