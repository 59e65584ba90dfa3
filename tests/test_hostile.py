"""Hostile clients against a live consumer: fuzzed frame sequences, floods, huge frames,
guessed and replayed argument ids, unknown components, guessed login tokens.

Each test checks what the issue asks of a server holding a socket to every visitor: the
attacked session stays up (a click still works) or is closed with its documented code, a
second session keeps rendering and counting, and once both disconnect nothing of theirs is
left running (asyncio tasks, `ConnectionState`, layouts, consumers).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import logging
import re
import sys
from collections import Counter
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

import orjson
import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.conf import settings as django_settings
from django.test import AsyncClient, override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reactpy.core.layout import Layout

from reactpy_django._auth_session import digest
from reactpy_django._state import ConnectionState
from reactpy_django.arguments import save_arguments
from reactpy_django.consumer import CloseCode, ReactpyAsyncWebsocketConsumer
from reactpy_django.models import AuthToken
from reactpy_django.registry import register_component
from reactpy_django.testing import MountedComponent, connect, mount, new_session
from tests import components, fault_components
from tests.fault_components import SLOW

pytestmark = [pytest.mark.backends, pytest.mark.django_db(transaction=True)]

_LIMIT = 4096
"""REACTPY_MAX_MESSAGE_SIZE in the fuzz test: small, so huge frames are cheap to make."""
_SINK = "@@SINK@@"
_FIELD = "@@FIELD@@"
_FUZZ_SETTINGS = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


# --- Helpers ----------------------------------------------------------------------------------


def _live_objects() -> Counter[str]:
    """How many connection-owned objects are alive (after a full collection)."""
    gc.collect()
    wanted = (ConnectionState, Layout, ReactpyAsyncWebsocketConsumer)
    return Counter(type(obj).__name__ for obj in gc.get_objects() if isinstance(obj, wanted))


@dataclass
class _Baseline:
    """Tasks and connection objects before a test's sessions opened."""

    tasks: int
    objects: Counter[str]

    @classmethod
    def now(cls) -> _Baseline:
        """Measure the current process."""
        return cls(len(asyncio.all_tasks()), _live_objects())

    def assert_restored(self) -> None:
        """Nothing a session started is still running or alive."""
        assert len(asyncio.all_tasks()) == self.tasks, sorted(
            task.get_name() for task in asyncio.all_tasks()
        )
        assert _live_objects() == self.objects


class _Records(logging.Handler):
    """Messages logged by `reactpy_django` and `reactpy`, kept for the test to read.

    Only the text is kept: a record's traceback would keep the connection it came from alive.
    """

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))

    def messages(self, level: int = logging.DEBUG, name: str = "") -> list[str]:
        """Messages at `level` or above from loggers under `name`."""
        return [
            message
            for logger, levelno, message in self.records
            if levelno >= level and logger.startswith(name)
        ]


@contextlib.contextmanager
def _recorded() -> Generator[_Records]:
    """Send `reactpy_django`'s and `reactpy`'s messages only here for the block.

    pytest's log capture keeps whole records, and a record's traceback keeps the connection
    it came from alive: the tests that count live connections would count those.
    """
    handler = _Records()
    loggers = [logging.getLogger("reactpy_django"), logging.getLogger("reactpy")]
    saved = [(logger.level, logger.propagate, list(logger.handlers)) for logger in loggers]
    for logger in loggers:
        logger.handlers = [handler]
        logger.setLevel(logging.DEBUG)
        logger.propagate = False
    try:
        yield handler
    finally:
        for logger, (level, propagate, handlers) in zip(loggers, saved, strict=True):
            logger.handlers = handlers
            logger.setLevel(level)
            logger.propagate = propagate


def _event(target: str, *data: Any) -> str:
    return orjson.dumps({"type": "layout-event", "target": target, "data": list(data)}).decode()


async def _wait_for_events(page: MountedComponent, count: int) -> None:
    await page.wait_for(lambda: page.find(id="sink").text == f"events:{count}")


def _dropped_in_all(records: _Records) -> int:
    """The total a connection logs when it closes after more drops than it logs singly."""
    totals = [
        int(found[1])
        for message in records.messages(logging.WARNING, "reactpy_django.consumer")
        if (found := re.search(r"dropped (\d+) frames in all", message))
    ]
    return sum(totals)


# --- Fuzzed frame sequences ---------------------------------------------------------------------

_json: st.SearchStrategy[Any] = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53), max_value=2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=10,
)


@dataclass(frozen=True)
class _Move:
    """Frames a hostile client sends in one go, and how many of them are valid sink clicks."""

    kind: str
    frames: tuple[str | bytes, ...]
    clicks: int = 0


def _garbage() -> st.SearchStrategy[_Move]:
    frame: st.SearchStrategy[str | bytes] = st.one_of(
        st.text(max_size=200),
        st.binary(max_size=200),
        _json.map(json.dumps),
        st.fixed_dictionaries(
            {},
            optional={
                "type": st.sampled_from(["layout-event", "layout-update", ""]) | _json,
                "target": st.just(_FIELD) | _json,  # a valid event here is wrong data
                "data": _json,
            },
        ).map(json.dumps),
    )
    return frame.map(lambda raw: _Move("garbage", (raw,)))


def _aimed(target: str, data: list[Any]) -> _Move:
    return _Move("unknown target", (_event(target, *data),))


def _unknown_target() -> st.SearchStrategy[_Move]:
    return st.builds(
        _aimed,
        st.text(min_size=1, max_size=128).filter(lambda t: _SINK not in t and _FIELD not in t),
        st.lists(_json, max_size=3),
    )


def _wrong_data() -> st.SearchStrategy[_Move]:
    # The field's handler reads event["target"]["value"] and event["key"]: this data makes
    # it raise (logged by ReactPy), and the connection must not care.
    return st.lists(_json, max_size=3).map(
        lambda data: _Move("wrong data", (_event(_FIELD, *data),))
    )


def _huge() -> st.SearchStrategy[_Move]:
    # Over the limit in UTF-8 bytes; with multi-byte characters, under it in characters.
    def build(char: str, extra: int) -> _Move:
        count = _LIMIT // len(char.encode()) + extra
        return _Move("huge", (_event(_SINK, char * count),))

    return st.builds(build, st.sampled_from(["a", "é", "€", "😀"]), st.integers(1, 64))


def _burst() -> st.SearchStrategy[_Move]:
    return st.integers(1, 200).map(
        lambda count: _Move("burst", tuple(_event(_SINK, {"n": n}) for n in range(count)), count)
    )


_moves: st.SearchStrategy[list[_Move]] = st.lists(
    st.one_of(_garbage(), _unknown_target(), _wrong_data(), _huge(), _burst()),
    min_size=1,
    max_size=25,
)


async def _fuzz(moves: list[_Move]) -> None:
    with _recorded() as records:
        baseline = _Baseline.now()
        async with (
            mount(fault_components.victim) as victim,
            mount(components.counter) as bystander,
        ):
            sink = victim.find(id="sink").handlers["on_click"]
            field = victim.find(id="field").handlers["on_key_down"]
            await bystander.click(id="increment")
            await bystander.wait_for_text("Count: 1")
            clicks = 0
            for move in moves:
                for frame in move.frames:
                    if isinstance(frame, str):
                        frame = frame.replace(_SINK, sink).replace(_FIELD, field)
                    await victim.send_raw(frame)
                if move.clicks:
                    clicks += move.clicks
                    await _wait_for_events(victim, clicks)
            await victim.click(id="marker")  # everything sent before it has been handled
            await victim.wait_for(lambda: victim.find(id="marker").text == "marker:1")
            # Huge frames aimed at the sink were dropped, not counted.
            assert victim.find(id="sink").text == f"events:{clicks}"
            await victim.click(id="sink")
            await _wait_for_events(victim, clicks + 1)
            assert victim.close_code is None
            await bystander.click(id="increment")
            await bystander.wait_for_text("Count: 2")
            assert bystander.close_code is None
        baseline.assert_restored()
    # Only the handler the bad data broke logs an error (ReactPy's own log line).
    errors = records.messages(logging.ERROR)
    assert all(message.startswith("Failed to execute event handler") for message in errors)


@given(_moves)
@_FUZZ_SETTINGS
def test_fuzzed_frame_sequences_never_reach_past_the_session(moves: list[_Move]) -> None:
    with override_settings(REACTPY_MAX_MESSAGE_SIZE=_LIMIT):
        async_to_sync(_fuzz)(moves)


# --- Floods ------------------------------------------------------------------------------------


async def _click_steadily(page: MountedComponent, times: int) -> None:
    for count in range(1, times + 1):
        await page.click(id="increment")
        await page.wait_for_text(f"Count: {count}")


async def test_a_flood_of_5000_events_is_bounded_and_the_neighbour_counts_on() -> None:
    with _recorded() as records:
        baseline = _Baseline.now()
        async with (
            mount(fault_components.victim) as victim,
            mount(components.counter) as bystander,
        ):
            sink = _event(victim.find(id="sink").handlers["on_click"], {})

            async def flood() -> None:
                for _ in range(5000):  # back to back, as fast as the socket takes them
                    await victim.send_raw(sink)

            await asyncio.gather(flood(), _click_steadily(bystander, 20))
            await victim.click(id="marker")
            await victim.wait_for(lambda: victim.find(id="marker").text == "marker:1")
            handled = int(victim.find(id="sink").text.removeprefix("events:"))
            await victim.click(id="sink")  # the flooded session still works
            await _wait_for_events(victim, handled + 1)
            assert victim.close_code is None
            assert bystander.find(id="count").text == "Count: 20"
        baseline.assert_restored()
    dropped = _dropped_in_all(records)
    # A sync handler runs as its frame arrives, so this flood may be handled whole.
    assert 0 < handled <= 5000
    assert handled + dropped == 5000  # every event was either handled or counted as dropped


async def _paced_flood(page: MountedComponent, frame: str, total: int) -> None:
    """`total` frames, 50 at a time with the event loop turning between: a fast client."""
    for sent in range(0, total, 50):
        for _ in range(min(50, total - sent)):
            await page.send_raw(frame)
        await asyncio.sleep(0.002)  # pacing the sender, not waiting for a result


async def test_a_flood_on_a_slow_handler_runs_a_bounded_number_at_once() -> None:
    name = f"slow-{uuid4().hex}"
    most_tasks = 0
    with _recorded() as records:
        baseline = _Baseline.now()
        async with mount(fault_components.slow_sink, name=name) as page:
            probe = SLOW[name]
            frame = _event(page.find(id="slow").handlers["on_click"], {})
            for _ in range(10):
                await _paced_flood(page, frame, 500)
                most_tasks = max(most_tasks, len(asyncio.all_tasks()))
            assert probe.most_running <= 256  # ReactPy alone would run all 5000 at once
            assert most_tasks < baseline.tasks + 300
            probe.gate.set()
            await page.wait_for(
                lambda: probe.running == 0 and page.text == f"done:{probe.finished}", 10
            )
            finished = probe.finished
            await page.click(id="slow")
            await page.wait_for_text(f"done:{finished + 1}")
            assert page.close_code is None
        baseline.assert_restored()
    assert 256 <= finished < 5000
    assert finished + _dropped_in_all(records) == 5000
    singly = [m for m in records.messages(logging.WARNING) if m.startswith("Dropped an event")]
    assert len(singly) == min(10, 5000 - finished)  # a flood does not flood the log


async def test_disconnecting_mid_flood_cancels_every_handler_and_leaves_nothing() -> None:
    name = f"stuck-{uuid4().hex}"
    with _recorded():
        baseline = _Baseline.now()
        async with mount(fault_components.slow_sink, name=name) as page:
            probe = SLOW[name]
            frame = _event(page.find(id="slow").handlers["on_click"], {})
            await _paced_flood(page, frame, 1000)
            await page.wait_for(lambda: probe.running == 256)
        # The gate never opened: the disconnect cancelled every waiting handler.
        assert probe.running == 0
        assert probe.cancelled == 256
        assert probe.finished == 0
        baseline.assert_restored()


# --- Single pathological frames ----------------------------------------------------------------


_NESTED = "[" * 500 + "]" * 500


@pytest.mark.parametrize(
    ("frame", "counted"),
    [
        pytest.param("[" * 100_000 + "]" * 100_000, False, id="nested past the parser's limit"),
        pytest.param(_event(_SINK).replace("[]", f"[{_NESTED}]"), True, id="nested data"),
        pytest.param(_event(_SINK, "[" * 900), True, id="brackets in a string"),
        pytest.param(_event(_SINK).replace("[]", "[NaN]"), False, id="NaN"),
        pytest.param('{"type": "layout-event", "target": 1e999, "data": []}', False, id="inf"),
        pytest.param(_event(_SINK).replace("[]", f"[{'9' * 5000}]"), False, id="huge int"),
        pytest.param(_event(_SINK) + _event(_SINK), False, id="two frames in one"),
        pytest.param('{"type": "layout-event", "type": "x"}', False, id="duplicate keys"),
        pytest.param('"\\ud800"', False, id="lone surrogate"),
        pytest.param("\x00" * 1000, False, id="nul bytes"),
        pytest.param(b"\xff" * 1000, False, id="not utf-8"),
        pytest.param(" " * 500_000, False, id="whitespace"),
        pytest.param(b"", False, id="empty bytes"),
        pytest.param("", False, id="empty text"),
    ],
)
async def test_a_pathological_frame_is_dropped_or_handled_and_the_session_goes_on(
    frame: str | bytes, counted: bool
) -> None:
    async with mount(fault_components.victim) as page:
        sink = page.find(id="sink").handlers["on_click"]
        await page.send_raw(frame.replace(_SINK, sink) if isinstance(frame, str) else frame)
        await page.click(id="sink")
        await _wait_for_events(page, 1 + counted)
        assert page.close_code is None


@override_settings(REACTPY_MAX_MESSAGE_SIZE=1024)
async def test_the_size_limit_counts_utf8_bytes_not_characters() -> None:
    with _recorded() as records:
        async with mount(fault_components.victim) as page:
            sink = page.find(id="sink").handlers["on_click"]
            await page.send_raw(_event(sink, "😀" * 300))  # 300 characters, 1,200+ bytes
            await page.send_raw(_event(sink, "x" * 900))  # under the limit
            await page.click(id="marker")
            await page.wait_for(lambda: page.find(id="marker").text == "marker:1")
            assert page.find(id="sink").text == "events:1"
    assert any("REACTPY_MAX_MESSAGE_SIZE is 1024" in m for m in records.messages(logging.WARNING))


async def test_frames_to_a_refused_socket_reach_nothing() -> None:
    register_component(components.counter)
    refused = [
        ("/reactpy/os.system/" + str(uuid4()) + "/0/", CloseCode.UNKNOWN_COMPONENT),
        ("/reactpy/tests.components.counter/not-a-uuid/0/", CloseCode.BAD_REQUEST),
        ("/reactpy/tests.components.counter/" + str(uuid4()) + "/1/", CloseCode.ARGUMENTS_REFUSED),
    ]
    with _recorded():
        baseline = _Baseline.now()
        for path, code in refused:
            async with connect(path) as page:
                assert page.close_code == code
                for frame in ("junk", _event("x" * 32, {}), b"\x00"):
                    await page.send_raw(frame)
                assert page.text == ""
        baseline.assert_restored()


# --- Component paths and argument ids ----------------------------------------------------------

_segment = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,12}", fullmatch=True)
_dotted: st.SearchStrategy[str] = st.one_of(
    st.lists(_segment, min_size=1, max_size=4).map(".".join),
    st.sampled_from(
        [
            "os.system",
            "builtins.eval",
            "subprocess.run",
            "django.core.management.call_command",
            "reactpy_django.consumer.ReactpyAsyncWebsocketConsumer",
            "tests.components",  # a module, not a component
            "tests.components.LIFECYCLE",
            "..",
            "tests..components.counter",
        ]
    ),
)


async def _unknown_path_refused(path: str) -> None:
    modules = set(sys.modules)
    async with mount(path, register=False) as page:
        assert page.close_code == CloseCode.UNKNOWN_COMPONENT
        assert page.text == ""
    imported = set(sys.modules) - modules
    assert not [name for name in imported if path == name or path.startswith(name + ".")]


@given(_dotted.filter(lambda path: not path.startswith("tests.fault_components")))
@_FUZZ_SETTINGS
def test_unregistered_component_paths_are_refused_unimported(path: str) -> None:
    async_to_sync(_unknown_path_refused)(path)


def _formats(uuid: str) -> list[str]:
    """Spellings of the same uuid that Python's `UUID()` accepts."""
    value = UUID(uuid)
    return [str(value), str(value).upper(), value.hex, "{" + str(value) + "}", value.urn]


_save = sync_to_async(save_arguments)


async def _argument_ids(guess: UUID, has_args: int) -> None:
    counter = register_component(components.counter)
    owner = await new_session()
    stranger = await new_session()
    uuid = str(uuid4())
    await _save(uuid, counter, str(owner.session_key), (41,), {"label": "Private"})
    # A guessed id (any has_args value the route accepts): nothing is stored for it.
    async with connect(f"/reactpy/{counter}/{guess}/{has_args}/", session=owner) as page:
        assert page.close_code == CloseCode.ARGUMENTS_REFUSED
    for spelling in _formats(uuid):
        path = f"/reactpy/{counter}/{spelling}/{has_args}/"
        # The real id, however spelled, replayed by another browser or with no cookie.
        for session, cookies in ((stranger, True), (None, False)):
            async with connect(path, session=session, cookies=cookies) as page:
                assert page.close_code == CloseCode.ARGUMENTS_REFUSED
                assert "Private" not in page.text
        # The owner's mount works whichever spelling its page used.
        async with connect(path, session=owner) as page:
            assert page.find(id="count").text == "Private: 41"
    # The id reused for another component: refused even for the owner.
    other = register_component(components.arguments_view)
    async with connect(f"/reactpy/{other}/{uuid}/1/", session=owner) as page:
        assert page.close_code == CloseCode.ARGUMENTS_REFUSED
        assert "41" not in page.text


@given(st.uuids(), st.integers(1, 2**31 - 1))
@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_guessed_replayed_and_reused_argument_ids_are_refused(guess: UUID, has_args: int) -> None:
    async_to_sync(_argument_ids)(guess, has_args)


# --- Login tokens ------------------------------------------------------------------------------

_token_text = st.text(
    alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~",
    min_size=1,
    max_size=120,
)


async def _issue_and_guess(guesses: list[str]) -> None:
    async with mount("tests.auth_components.auth_view") as page:
        assert page.session is not None
        cookie = str(page.session.session_key)
        await page.click(id="login")
        await page.wait_for(lambda: bool(page.find_all("HttpRequest")))
        url = str(page.find("HttpRequest").attributes["url"])
    token = url.rstrip("/").rsplit("/", 1)[-1]
    client = AsyncClient()
    client.cookies[django_settings.SESSION_COOKIE_NAME] = cookie
    for guess in [*guesses, token[:-1], token + "A", token.upper(), token[::-1]]:
        if guess == token:
            continue
        response = await client.post(f"/reactpy/auth/{guess}/")
        assert response.status_code == 404, guess
        assert django_settings.SESSION_COOKIE_NAME not in response.cookies
    assert await AuthToken.objects.filter(value=digest(token)).aexists()  # not used up
    response = await client.post(url)
    assert response.status_code == 204  # the owner still can


@given(st.lists(_token_text, min_size=1, max_size=20))
@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_guessed_login_tokens_are_not_found_and_spoil_nothing(guesses: list[str]) -> None:
    async_to_sync(_issue_and_guess)(guesses)
