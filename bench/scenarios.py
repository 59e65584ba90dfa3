"""The measurements, each run for reactpy_django and for its floor on the same server.

Each returns plain dicts of numbers (milliseconds, events per second, KiB, counts), which
`bench.report` turns into the table, the JSON file and the plot.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import statistics
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any
from uuid import uuid4

import orjson
from websockets.exceptions import WebSocketException

from bench import client
from bench.client import Errors, Session
from bench.floors import GREETING
from bench.server import BenchServer

__all__ = [
    "COUNTER",
    "KINDS",
    "QUERY",
    "RECEIVER",
    "SENDER",
    "control",
    "fanout",
    "idle_memory",
    "layer_refetches",
    "load",
    "open_at_once",
    "ready_sessions",
    "refetches",
    "round_trips",
    "run_action",
    "traced_memory",
]

COUNTER = "demo_app.pages.connection.counter"
QUERY = "bench.components.item_list"
RECEIVER = "bench.components.fanout_receiver"
SENDER = "bench.components.fanout_sender"

_AT_ONCE = 50
_WARM_TIMEOUT = 20.0
"""Seconds the fan-out warm-up may take to reach every receiver."""
"""Handshakes in flight at a time when opening many sessions for a load phase."""

Result = dict[str, Any]
"""A measurement's numbers by name (values: numbers, or dicts of them)."""


@dataclass(frozen=True, slots=True)
class _Kind:
    """How to open, ready and drive one kind of session."""

    name: str
    url: Callable[[int], str]
    ready: Callable[[Session], bool]
    """Whether the first frame shows a rendered session."""


_ECHO = _Kind("echo", lambda port: client.floor_url(port, "echo"), lambda s: s.first == GREETING)
_RAW = _Kind("raw", lambda port: client.floor_url(port, "raw-echo"), lambda s: s.first == GREETING)
_COUNTER = _Kind(
    "counter", lambda port: client.component_url(port, COUNTER), lambda s: "Count: 0" in s.first
)
_QUERY = _Kind(
    "query", lambda port: client.component_url(port, QUERY), lambda s: "Refetch" in s.first
)
KINDS = {kind.name: kind for kind in (_ECHO, _RAW, _COUNTER, _QUERY)}
"""The session kinds by name: `echo` (Channels floor), `raw` (raw-ASGI floor), `counter`,
`query`."""

_ECHO_FRAME = client.click_frame("0" * 32)


async def _echo(session: Session) -> None:
    await session.socket.send(_ECHO_FRAME)
    if await session.next_text() != _ECHO_FRAME:
        msg = "the echo differs from the frame sent"
        raise ValueError(msg)


async def _click_counter(session: Session) -> None:
    session.count += 1
    await session.socket.send(client.click_frame(session.target))
    update = await session.next_text()
    if f"Count: {session.count}" not in update:
        msg = f"expected Count: {session.count} in {update[:200]}"
        raise ValueError(msg)


async def _until(session: Session, text: str, timeout: float = client.REPLY_TIMEOUT) -> None:
    """Read frames until one contains `text` (bounded)."""
    deadline = time.monotonic() + timeout
    while text not in await session.next_text(max(deadline - time.monotonic(), 0.001)):
        pass


async def _refetch(session: Session) -> None:
    session.count += 1
    await session.socket.send(client.click_frame(session.target))
    await _until(session, f"Fetches: {session.count}")


async def _ready_query(session: Session, errors: Errors) -> bool:
    """Wait for the first result of the session's query (`Fetches: 1`)."""
    target = session.handler("refetch")
    if target is None:
        errors.add("protocol", ValueError("no refetch button in the first update"))
        return False
    session.target = target
    session.count = 1
    if "Fetches: 1" in session.first:
        return True
    try:
        await _until(session, "Fetches: 1")
    except (TimeoutError, WebSocketException) as error:
        errors.add("open", error)
        return False
    return True


def _ready_counter(session: Session, errors: Errors) -> bool:
    target = session.handler("increment")
    if target is None:
        errors.add("protocol", ValueError("no increment button in the first update"))
        return False
    session.target = target
    return True


async def open_at_once(port: int, count: int, rounds: int) -> Result:
    """Sessions opened at the same instant: open → first update latency, and how many render."""
    result: Result = {}
    for kind in (_ECHO, _COUNTER):
        latencies: list[float] = []
        worst = count
        errors = Errors()
        for _ in range(rounds):
            sessions = await client.open_sessions(
                functools.partial(kind.url, port), port, count, errors, at_once=count
            )
            rendered = [s for s in sessions if kind.ready(s)]
            worst = min(worst, len(rendered))
            latencies.extend(s.first_latency for s in rendered)
            await client.close_sessions(sessions)
        result[kind.name] = {
            **client.stats_ms(latencies),
            "rendered": worst,
            "opened": count,
            "errors": dict(errors.counts),
        }
    return result


async def _nothing() -> None:
    pass


_ACTIONS: dict[str, client.Action] = {
    "echo": _echo,
    "raw": _echo,
    "counter": _click_counter,
    "query": _refetch,
}


async def run_action(kind_name: str, session: Session, errors: Errors) -> bool:
    """One action of a `kind_name` session (click, refetch, echo), awaited until its reply;
    a failure is counted in `errors` and gives `False`."""
    return await client.attempt(_ACTIONS[kind_name](session), errors)


async def ready_sessions(
    port: int, kind: _Kind, count: int, errors: Errors, *, at_once: int = _AT_ONCE
) -> list[Session]:
    """Open `count` sessions of a kind (`at_once` handshakes in flight) and make them ready
    for their action; the ones that are (the others are closed, their failures counted)."""
    return await _open_ready(port, kind, count, errors, at_once)


async def _open_ready(
    port: int, kind: _Kind, level: int, errors: Errors, at_once: int = _AT_ONCE
) -> list[Session]:
    """Open `level` sessions of a kind and make them ready for their action."""
    sessions = await client.open_sessions(
        lambda: kind.url(port), port, level, errors, at_once=at_once
    )
    ready: list[Session] = []
    for session in sessions:
        if kind is _COUNTER and not _ready_counter(session, errors):
            continue
        ready.append(session)
    if kind is _QUERY:
        flags = await asyncio.gather(*(_ready_query(s, errors) for s in ready))
        ready = [s for s, ok in zip(ready, flags, strict=True) if ok]
    closing = [s for s in sessions if all(s is not r for r in ready)]
    await client.close_sessions(closing)
    return ready


async def load(
    port: int,
    kind_name: str,
    level: int,
    warmup: float,
    duration: float,
    *,
    measured: Callable[[], Awaitable[None]] = _nothing,
    finished: Callable[[], Awaitable[None]] = _nothing,
) -> tuple[client.RoundTrips, Errors, int]:
    """`level` sessions of a kind repeat their action; `measured` runs once all are ready,
    `finished` when the actions have stopped. The round trips, failures and ready sessions."""
    kind = KINDS[kind_name]
    errors = Errors()
    ready = await _open_ready(port, kind, level, errors)
    await measured()
    trips = await client.round_trips(
        ready, _ACTIONS[kind_name], errors, warmup=warmup, duration=duration
    )
    await finished()
    await client.close_sessions(ready)
    return trips, errors, len(ready)


def _summary(trips: client.RoundTrips, errors: Errors, ready: int, level: int) -> Result:
    return {
        **client.stats_ms(trips.latencies),
        "per_second": trips.per_second,
        "connections": level,
        "ready": ready,
        "errors": dict(errors.counts),
        "error_examples": dict(errors.examples),
    }


_SLICES = 3
"""Each side's measuring time is cut in this many slices, taken in turn with the other's, so
a change in the machine's load (shared CPUs) hits ours and the floor alike."""


async def _interleaved(
    server: BenchServer,
    level: int,
    warmup: float,
    duration: float,
    kinds: tuple[_Kind, ...] = (_RAW, _ECHO, _COUNTER),
) -> dict[str, Result]:
    port = server.port
    errors = {kind.name: Errors() for kind in kinds}
    sessions = {
        kind.name: await _open_ready(port, kind, level, errors[kind.name]) for kind in kinds
    }
    latencies: dict[str, list[float]] = {kind.name: [] for kind in kinds}
    window = dict.fromkeys(latencies, 0.0)
    completed = dict.fromkeys(latencies, 0)
    used = {name: _Usage() for name in latencies}
    for index in range(_SLICES):
        for kind in kinds:
            with used[kind.name].measure(server):
                trips = await client.round_trips(
                    sessions[kind.name],
                    _ACTIONS[kind.name],
                    errors[kind.name],
                    warmup=warmup if index == 0 else warmup / 4,
                    duration=duration / _SLICES,
                )
            latencies[kind.name].extend(trips.latencies)
            window[kind.name] += trips.window
            completed[kind.name] += trips.completed
    for kind in kinds:
        await client.close_sessions(sessions[kind.name])
    return {
        name: {
            **_summary(
                client.RoundTrips(latencies[name], window[name]),
                errors[name],
                len(sessions[name]),
                level,
            ),
            **used[name].shares(),
            "server_cpu_us_per_event": used[name].server / max(completed[name], 1) * 1e6,
        }
        for name in latencies
    }


@dataclass
class _Usage:
    """CPU seconds the server and this client used over some wall-clock time."""

    server: float = 0.0
    client: float = 0.0
    wall: float = 0.0

    @contextlib.contextmanager
    def measure(self, server: BenchServer) -> Iterator[None]:
        """Add the CPU and wall time of the `with` block."""
        before = (server.cpu_seconds(), time.process_time(), time.perf_counter())
        yield
        self.server += server.cpu_seconds() - before[0]
        self.client += time.process_time() - before[1]
        self.wall += time.perf_counter() - before[2]

    def shares(self) -> dict[str, float]:
        """Each side's CPU use as a share of one core (1.0: a core busy all the time)."""
        wall = self.wall or float("nan")
        return {"server_cpu": self.server / wall, "client_cpu": self.client / wall}


def round_trips(
    server: BenchServer, levels: tuple[int, ...], warmup: float, duration: float
) -> Result:
    """Click round trips at each concurrency: the counter, the Channels echo floor and the
    raw-ASGI echo floor, in turns."""
    result: Result = {}
    for level in levels:
        server.wait_idle()
        row: Result = asyncio.run(_interleaved(server, level, warmup, duration))
        row["server_alive"] = server.alive()
        result[str(level)] = row
    return result


def refetches(
    server: BenchServer, levels: tuple[int, ...], warmup: float, duration: float
) -> Result:
    """`use_query` refetches per second at each concurrency (click → new result rendered)."""
    result: Result = {}
    for level in levels:
        server.wait_idle()
        used = _Usage()
        with used.measure(server):
            trips, errors, ready = asyncio.run(load(server.port, "query", level, warmup, duration))
        result[str(level)] = {
            **_summary(trips, errors, ready, level),
            **used.shares(),
            "server_cpu_us_per_event": used.server / max(trips.completed, 1) * 1e6,
        }
    return result


def layer_refetches(server: BenchServer, level: int, warmup: float, duration: float) -> Result:
    """`use_query` refetches/s at `level` beside the Channels echo's frames/s on the same
    server, in turns (the floor of a run on one channel layer)."""
    server.wait_idle()
    return asyncio.run(_interleaved(server, level, warmup, duration, (_ECHO, _QUERY)))


async def control(session: Session, command: str, timeout: float = 120) -> dict[str, Any]:
    """Send a command to `/bench/control/` and decode its reply."""
    await session.socket.send(command)
    decoded: object = orjson.loads(await session.next_text(timeout))
    if not isinstance(decoded, dict):
        msg = f"unexpected control reply {decoded!r}"
        raise ValueError(msg)
    return decoded


async def _idle_memory(server: BenchServer, kind: _Kind, count: int) -> Result:
    errors = Errors()
    port = server.port
    switch = await client.open_control(port, errors)
    # Warm-up: imports, caches and the first query run before the baseline is taken.
    warm = await client.open_sessions(lambda: kind.url(port), port, 20, errors, at_once=20)
    if kind is _QUERY:
        await asyncio.gather(*(_ready_query(s, errors) for s in warm))
    await client.close_sessions(warm)
    await control(switch, "stats")  # its own first-call allocations land before the baseline
    before = await control(switch, "stats")
    baseline = await asyncio.to_thread(server.settled_rss_kib)
    sessions = await client.open_sessions(
        lambda: kind.url(port), port, count, errors, at_once=_AT_ONCE
    )
    if kind is _QUERY:
        flags = await asyncio.gather(*(_ready_query(s, errors) for s in sessions))
        mounted = sum(flags)
    else:
        mounted = sum(kind.ready(s) for s in sessions)
    loaded = await asyncio.to_thread(server.settled_rss_kib)
    during = await control(switch, "stats")
    await client.close_sessions(sessions)
    after = await asyncio.to_thread(server.settled_rss_kib)
    left = await control(switch, "stats")
    await control(switch, "trim")
    trimmed = await asyncio.to_thread(server.settled_rss_kib)
    await client.close_sessions([switch])
    return {
        "connections": count,
        "mounted": mounted,
        "baseline_kib": baseline,
        "loaded_kib": loaded,
        "after_kib": after,
        "trimmed_kib": trimmed,
        "per_connection_kib": (loaded - baseline) / max(mounted, 1),
        "residual_kib": after - baseline,
        "residual_trimmed_kib": trimmed - baseline,
        "blocks": [before["blocks"], during["blocks"], left["blocks"]],
        "tasks": [before["tasks"], during["tasks"], left["tasks"]],
        "errors": dict(errors.counts),
    }


def idle_memory(server: BenchServer, kind_name: str, count: int) -> Result:
    """RSS per idle mounted session of `kind_name` and RSS after they all disconnect."""
    return asyncio.run(_idle_memory(server, KINDS[kind_name], count))


@dataclass
class _FanRounds:
    """One side's rounds so far: the slowest and the median receiver of each, and failures."""

    received: int
    last: list[float]
    median: list[float]
    errors: Errors


async def _fanout_once(port: int, ours: bool, receivers: int, rounds: int) -> _FanRounds:
    errors = Errors()
    if ours:
        listeners = await client.open_sessions(
            lambda: client.component_url(port, RECEIVER), port, receivers, errors, at_once=_AT_ONCE
        )
        triggers = await client.open_sessions(
            lambda: client.component_url(port, SENDER), port, 1, errors, at_once=1
        )
    else:
        listeners = await client.open_sessions(
            lambda: client.floor_url(port, "group"), port, receivers, errors, at_once=_AT_ONCE
        )
        triggers = await client.open_sessions(
            lambda: client.floor_url(port, "group-send"), port, 1, errors, at_once=1
        )
    if not triggers:
        await client.close_sessions(listeners)
        return _FanRounds(0, [], [], errors)
    trigger = triggers[0]
    if ours:
        trigger.target = trigger.handler("send") or ""

    async def send(stamp: str) -> None:
        await trigger.socket.send(client.click_frame(trigger.target, stamp) if ours else stamp)

    async def arrival(session: Session, stamp: str, timeout: float) -> float | None:
        try:
            await _until(session, stamp, timeout)
        except (TimeoutError, WebSocketException):
            return None
        return time.perf_counter()

    # Warm-up: ours subscribes after its first render; resend until every listener has one.
    run = uuid4().hex[:8]
    warm_deadline = time.monotonic() + _WARM_TIMEOUT
    pending = list(listeners)
    attempt = 0
    while pending and time.monotonic() < warm_deadline:
        stamp = f"warm-{run}-{attempt}."
        attempt += 1
        await send(stamp)
        arrivals = await asyncio.gather(*(arrival(s, stamp, 2.0) for s in pending))
        pending = [s for s, at in zip(pending, arrivals, strict=True) if at is None]
    last: list[float] = []
    median: list[float] = []
    worst = len(listeners) - len(pending)
    if pending:
        errors.add("timeout", TimeoutError(f"{len(pending)} receivers got no warm-up message"))
    unreached = {id(session) for session in pending}
    listeners = [s for s in listeners if id(s) not in unreached]
    for index in range(rounds if listeners else 0):
        stamp = f"fan-{run}-{index}."
        started = time.perf_counter()
        await send(stamp)
        arrivals = await asyncio.gather(
            *(arrival(s, stamp, client.REPLY_TIMEOUT) for s in listeners)
        )
        got = [at - started for at in arrivals if at is not None]
        worst = min(worst, len(got))
        if got:
            last.append(max(got))
            median.append(statistics.median(got))
    await client.close_sessions([*listeners, *pending, trigger])
    return _FanRounds(worst, last, median, errors)


_FAN_BLOCKS = 4
"""Each side's rounds are cut in this many blocks, taken in turn with the other side's (the
first side swapping each block): the machine's speed can change within seconds, and a side
measured all at once could land in a slow spell that the other missed."""


def fanout(server: BenchServer, receivers: tuple[int, ...], rounds: int) -> Result:
    """Time for one group message to reach every one of N mounted receivers (ours, floor)."""
    result: Result = {}
    blocks = max(1, min(_FAN_BLOCKS, rounds))
    for count in receivers:
        sides: dict[bool, list[_FanRounds]] = {False: [], True: []}
        for block in range(blocks):
            share = rounds // blocks + (1 if block < rounds % blocks else 0)
            for ours in (False, True) if block % 2 == 0 else (True, False):
                server.wait_idle()
                sides[ours].append(asyncio.run(_fanout_once(server.port, ours, count, share)))
        row: Result = {}
        for ours, parts in sides.items():
            errors = Errors()
            for part in parts:
                errors.counts.update(part.errors.counts)
            row["ours" if ours else "floor"] = {
                "receivers": count,
                "received": min(part.received for part in parts),
                "all_ms": client.stats_ms([x for part in parts for x in part.last]),
                "median_receiver_ms": client.stats_ms([x for part in parts for x in part.median]),
                "errors": dict(errors.counts),
            }
        result[str(count)] = row
    return result


async def traced_memory(server: BenchServer, dotted_path: str, count: int) -> list[str]:
    """tracemalloc's top growth in the server while `count` sessions of a component sit idle."""
    errors = Errors()
    port = server.port
    switch = await client.open_control(port, errors)
    warm = await client.open_sessions(
        lambda: client.component_url(port, dotted_path), port, 20, errors, at_once=20
    )
    await client.close_sessions(warm)
    await asyncio.to_thread(server.wait_idle)
    census_before: dict[str, int] = (await control(switch, "census"))["census"]
    await control(switch, "trace-start")
    sessions = await client.open_sessions(
        lambda: client.component_url(port, dotted_path), port, count, errors, at_once=_AT_ONCE
    )
    await asyncio.to_thread(server.wait_idle)
    top: list[str] = [f"{count} sessions of {dotted_path}, errors {dict(errors.counts)}"]
    reply = await control(switch, "trace-top")
    census_after: dict[str, int] = (await control(switch, "census"))["census"]
    top.append("Live objects per session, by type:")
    grown = {
        name: (number - census_before.get(name, 0)) / count
        for name, number in census_after.items()
        if number - census_before.get(name, 0) >= count // 2
    }
    top.extend(f"  {per:6.2f}  {name}" for name, per in sorted(grown.items(), key=lambda i: -i[1]))
    top.extend(str(line) for line in reply.get("top", []))
    top.append("\nBy file:")
    top.extend(str(line) for line in reply.get("files", []))
    top.append("\nLargest by traceback:")
    top.extend(str(block) for block in reply.get("tracebacks", []))
    await client.close_sessions([*sessions, switch])
    return top
