"""The load generator: asyncio WebSocket clients speaking ReactPy's wire protocol, no browser.

A client opens `/reactpy/<dotted.path>/<uuid>/0/`, reads the first `layout-update`, finds an
element's click handler id in the model and sends `layout-event` frames shaped like the ones
`@reactpy/client` sends. Every wait is bounded; failures are counted, never raised.
"""

from __future__ import annotations

import asyncio
import contextlib
import resource
import statistics
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import uuid4

import orjson
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import WebSocketException
from websockets.typing import Origin

__all__ = [
    "Action",
    "Errors",
    "RoundTrips",
    "Session",
    "as_json",
    "click_frame",
    "close_sessions",
    "component_url",
    "find_handler",
    "floor_url",
    "open_sessions",
    "percentile",
    "raise_file_limit",
    "round_trips",
    "stats_ms",
]

OPEN_TIMEOUT = 30.0
"""Seconds a WebSocket handshake plus its first frame may take."""
REPLY_TIMEOUT = 15.0
"""Seconds a reply to one event may take before it counts as an error."""


def raise_file_limit(wanted: int) -> int:
    """Raise this process's open-file limit toward `wanted` (hundreds of sockets); the new limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        return target
    return soft


def component_url(port: int, dotted_path: str) -> str:
    """A fresh mount point of `dotted_path` (a new tag uuid, no arguments, page `/`)."""
    return f"ws://127.0.0.1:{port}/reactpy/{dotted_path}/{uuid4().hex}/0/?http_pathname=/"


def floor_url(port: int, name: str) -> str:
    """The URL of a floor consumer: `echo`, `group` or `group-send`."""
    return f"ws://127.0.0.1:{port}/bench/{name}/"


def find_handler(
    model: object, element_id: str, events: tuple[str, ...] = ("onClick", "on_click")
) -> str | None:
    """The target id of a click handler on the element whose `id` attribute is `element_id`.

    ReactPy keeps the attribute's spelling: `on_click` and `onClick` are both clicks.
    """
    if isinstance(model, dict):
        attributes = model.get("attributes")
        handlers = model.get("eventHandlers")
        if (
            isinstance(attributes, dict)
            and attributes.get("id") == element_id
            and isinstance(handlers, dict)
        ):
            for event in events:
                handler = handlers.get(event)
                if isinstance(handler, dict):
                    target = handler.get("target")
                    if isinstance(target, str):
                        return target
        children = model.get("children")
        if isinstance(children, list):
            for child in children:
                found = find_handler(child, element_id, events)
                if found is not None:
                    return found
    return None


def click_frame(target: str, value: str = "") -> str:
    """A `layout-event` frame for a click on a button, as a browser's client serializes it."""
    element = {
        "tagName": "BUTTON",
        "value": value,
        "boundingClientRect": {
            "x": 8,
            "y": 8,
            "width": 25.5,
            "height": 21,
            "top": 8,
            "right": 33.5,
            "bottom": 29,
            "left": 8,
        },
    }
    event = {
        "type": "click",
        "altKey": False,
        "ctrlKey": False,
        "metaKey": False,
        "shiftKey": False,
        "button": 0,
        "buttons": 0,
        "detail": 1,
        "clientX": 20,
        "clientY": 18,
        "screenX": 20,
        "screenY": 99,
        "pageX": 20,
        "pageY": 18,
        "movementX": 0,
        "movementY": 0,
        "bubbles": True,
        "cancelable": True,
        "composed": True,
        "defaultPrevented": False,
        "eventPhase": 3,
        "isTrusted": True,
        "timeStamp": 1234.5,
        "target": element,
        "currentTarget": element,
        "relatedTarget": None,
    }
    return orjson.dumps({"type": "layout-event", "target": target, "data": [event]}).decode()


@dataclass
class Errors:
    """Failures by kind: `open` (handshake or first frame), `dropped`, `timeout`, `protocol`."""

    counts: Counter[str] = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)

    def add(self, kind: str, detail: object) -> None:
        """Count one failure of `kind`, keeping the first detail as an example."""
        self.counts[kind] += 1
        self.examples.setdefault(kind, f"{type(detail).__name__}: {detail}"[:200])

    @property
    def total(self) -> int:
        """How many failures of any kind."""
        return sum(self.counts.values())


@dataclass
class Session:
    """One open WebSocket: its connection, first frame and open → first-update latency."""

    socket: ClientConnection
    first: str
    first_latency: float
    target: str = ""
    """The click handler id the session's action uses."""
    count: int = 0
    """What the session's action counts (clicks, fetches)."""

    async def next_text(self, timeout: float = REPLY_TIMEOUT) -> str:
        """The next frame as text (bounded wait)."""
        frame = await asyncio.wait_for(self.socket.recv(), timeout)
        return frame if isinstance(frame, str) else frame.decode()

    def handler(self, element_id: str) -> str | None:
        """A click handler id from the first layout update."""
        decoded: object = orjson.loads(self.first)
        model = decoded.get("model") if isinstance(decoded, dict) else None
        return find_handler(model, element_id)


async def _open(url: str, port: int, errors: Errors) -> Session | None:
    try:
        socket = await connect(
            url,
            origin=Origin(f"http://127.0.0.1:{port}"),
            compression=None,
            open_timeout=OPEN_TIMEOUT,
            ping_interval=None,
            close_timeout=2,
            max_size=None,
        )
    except (OSError, WebSocketException, TimeoutError) as error:
        errors.add("open", error)
        return None
    opened = time.perf_counter()
    try:
        first = await asyncio.wait_for(socket.recv(), OPEN_TIMEOUT)
    except (WebSocketException, TimeoutError) as error:
        errors.add("open", error)
        await socket.close()
        return None
    latency = time.perf_counter() - opened
    return Session(socket, first if isinstance(first, str) else first.decode(), latency)


async def open_sessions(
    make_url: Callable[[], str], port: int, count: int, errors: Errors, *, at_once: int
) -> list[Session]:
    """Open `count` sessions, `at_once` handshakes in flight at a time; the ones that opened."""
    gate = asyncio.Semaphore(at_once)

    async def one() -> Session | None:
        async with gate:
            return await _open(make_url(), port, errors)

    opened = await asyncio.gather(*(one() for _ in range(count)))
    return [session for session in opened if session is not None]


async def close_sessions(sessions: Sequence[Session]) -> None:
    """Close every session (the server sees normal disconnects)."""

    async def one(session: Session) -> None:
        with contextlib.suppress(Exception):
            await session.socket.close()

    await asyncio.gather(*(one(session) for session in sessions))


Action = Callable[[Session], Awaitable[None]]
"""One measured action on a session: send, then wait until its reply has arrived."""


@dataclass
class RoundTrips:
    """Latencies (seconds) of the actions completed in the measured window, and its length."""

    latencies: list[float]
    window: float
    completed: int = 0
    """Actions completed in all, warm-up included."""

    @property
    def per_second(self) -> float:
        """Completed actions per second of the window."""
        return len(self.latencies) / self.window if self.window > 0 else 0.0


async def round_trips(
    sessions: Sequence[Session], action: Action, errors: Errors, *, warmup: float, duration: float
) -> RoundTrips:
    """Every session repeats `action` back to back; keep what started after `warmup`."""
    start = time.perf_counter()
    measure_from = start + warmup
    end = measure_from + duration
    latencies: list[float] = []
    completed = 0

    async def loop(session: Session) -> None:
        nonlocal completed
        while (begun := time.perf_counter()) < end:
            if not await attempt(action(session), errors):
                return
            done = time.perf_counter()
            completed += 1
            if begun >= measure_from and done <= end:
                latencies.append(done - begun)

    await asyncio.gather(*(loop(session) for session in sessions))
    return RoundTrips(latencies, duration, completed)


async def attempt(action: Awaitable[object], errors: Errors) -> bool:
    """Await one action of a session; a timeout, a dropped socket or a protocol error is
    counted in `errors` and gives `False` (the session stops)."""
    try:
        await action
    except TimeoutError as error:
        errors.add("timeout", error)
    except WebSocketException as error:
        errors.add("dropped", error)
    except ValueError as error:
        errors.add("protocol", error)
    else:
        return True
    return False


async def open_control(port: int, errors: Errors) -> Session:
    """The benchmark server's control socket (`/bench/control/`)."""
    controls = await open_sessions(lambda: floor_url(port, "control"), port, 1, errors, at_once=1)
    if not controls:
        msg = f"Could not open /bench/control/: {errors.examples}"
        raise RuntimeError(msg)
    return controls[0]


def percentile(values: Sequence[float], fraction: float) -> float:
    """The `fraction` quantile (0..1) of `values`, `nan` when empty."""
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    cuts = statistics.quantiles(values, n=1000, method="inclusive")
    return cuts[min(max(round(fraction * 1000) - 1, 0), len(cuts) - 1)]


def stats_ms(values: Sequence[float]) -> dict[str, float]:
    """p50/p95/p99/max of `values` (seconds) in milliseconds."""
    return {
        "p50": percentile(values, 0.50) * 1000,
        "p95": percentile(values, 0.95) * 1000,
        "p99": percentile(values, 0.99) * 1000,
        "max": (max(values) if values else float("nan")) * 1000,
        "n": float(len(values)),
    }


def as_json(value: Any) -> str:
    """Pretty JSON text for the results file (NaN becomes null)."""
    return orjson.dumps(value, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode()
