"""Sessions at scale in one server process: memory, first update, click p99 and idle CPU.

`grow` opens sessions of one kind in steps (say 50, then up to 1,000, 2,000 and 5,000) on one
server, every session its own socket from 127.0.0.1, and keeps them all open. At each step it
records the server's RSS, the open -> first update latencies of the step's new sessions (while
the earlier ones stay open), the CPU the server uses while they all sit idle, and the round
trip of single clicks (one at a time, on sessions spread over the open ones). At the end it
closes them all and records what is left (RSS, Python blocks, asyncio tasks).

The clicks are spaced by random gaps over at least `CLICK_SECONDS`, so they land at random
moments as users' clicks do: a server's periodic work (Daphne walks every connection each
second and each 2 s) delays the share of clicks that its pauses cover, whatever their length.
Back-to-back clicks would meet such a pause once each, and a window shorter than its period
would meet it or not by chance. `run` grows the raw-ASGI echo floor too, to the counters'
sizes on the same kind of server: its clicks show what the server alone adds as sessions grow.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable
from typing import Any

from bench import client
from bench.client import Errors, Session
from bench.scenarios import KINDS, Result, control, ready_sessions, run_action
from bench.server import BenchServer

__all__ = [
    "CLICKS",
    "CLICK_SECONDS",
    "COUNTER_SIZES",
    "FULL_CLICK_SECONDS",
    "QUERY_SIZES",
    "SMALL_COUNTER_SIZES",
    "grow",
    "run",
]

COUNTER_SIZES = (1, 50, 1000, 2000, 5000)
"""Idle counter sessions open at each step of `--scale` (50 is the click p99's reference)."""
QUERY_SIZES = (50, 2000)
"""Idle `use_query` list sessions at each step of `--scale`."""
SMALL_COUNTER_SIZES = (1, 50, 200)
"""The steps of `--scale --quick` (a smoke run)."""

_AT_ONCE = 50
"""Handshakes in flight at a time while opening a step's sessions."""
CLICKS = 400
"""Least single clicks timed at each step, one at a time."""
CLICK_SECONDS = 4.0
"""Least seconds the clicks of a step span by default (two of Daphne's 2 s connection walks)."""
FULL_CLICK_SECONDS = 22.0
"""Least seconds the clicks of a step span in a full `--scale` run: one whole cycle of
Daphne's keepalive pings (each connection every 20 s), so each open session's ping and pong
falls in the window once."""
_GAP_SECONDS = 0.005
"""Mean pause after each click's reply (uniform from 0 to twice this)."""
_IDLE_SECONDS = 5.0
"""How long the server's CPU is watched while every session sits idle."""


async def _clicks(
    kind: str, sessions: list[Session], errors: Errors, seed: int, seconds: float
) -> tuple[list[float], int]:
    """Single actions, one at a time with random gaps, at least `CLICKS` of them over at least
    `seconds`, each on the next of `sessions` taken with a fixed stride (so they spread
    over all of them); the latencies, and how many were sent."""
    gaps = random.Random(seed)
    stride = max(len(sessions) // CLICKS, 1)
    latencies: list[float] = []
    sent = 0
    until = time.perf_counter() + seconds
    while sent < CLICKS or time.perf_counter() < until:
        session = sessions[sent * stride % len(sessions)]
        sent += 1
        started = time.perf_counter()
        if await run_action(kind, session, errors):
            latencies.append(time.perf_counter() - started)
        await asyncio.sleep(gaps.uniform(0.0, 2 * _GAP_SECONDS))
    return latencies, sent


async def _settled_stats(switch: Session, timeout: float = 15.0) -> dict[str, Any]:
    """The server's stats once its Python blocks stop falling: Daphne lets go of a closed
    connection at its next walk (each second), and only once its application has ended."""
    deadline = time.monotonic() + timeout
    stats = await control(switch, "stats")
    while time.monotonic() < deadline:
        await asyncio.sleep(1.0)
        newer = await control(switch, "stats")
        if newer["blocks"] >= stats["blocks"] - 0.001 * abs(stats["blocks"]):
            return newer
        stats = newer
    return stats


def _idle_cpu(server: BenchServer) -> float:
    """The server's CPU use over `_IDLE_SECONDS` as a share of one core."""
    before_cpu, before = server.cpu_seconds(), time.perf_counter()
    time.sleep(_IDLE_SECONDS)
    return (server.cpu_seconds() - before_cpu) / (time.perf_counter() - before)


async def _grow(
    server: BenchServer, kind_name: str, sizes: tuple[int, ...], click_seconds: float
) -> Result:
    kind = KINDS[kind_name]
    port = server.port
    errors = Errors()
    switch = await client.open_control(port, errors)
    # Warm-up: imports, caches and the first query run before the baseline is taken.
    warm = await ready_sessions(port, kind, 20, errors, at_once=20)
    await client.close_sessions(warm)
    await control(switch, "stats")  # its own first-call allocations land before the baseline
    before = await control(switch, "stats")
    baseline = await asyncio.to_thread(server.settled_rss_kib)
    sessions: list[Session] = []
    steps: dict[str, Any] = {}
    for size in sizes:
        wanted = size - len(sessions)
        step_errors = Errors()
        added = await ready_sessions(port, kind, wanted, step_errors, at_once=_AT_ONCE)
        sessions.extend(added)
        rss = await asyncio.to_thread(server.settled_rss_kib, 60.0)
        idle = await asyncio.to_thread(_idle_cpu, server)
        clicks, sent = await _clicks(kind_name, sessions, step_errors, size, click_seconds)
        errors.counts.update(step_errors.counts)
        for name, example in step_errors.examples.items():
            errors.examples.setdefault(name, example)
        steps[str(size)] = {
            "sessions": size,
            "mounted": len(sessions),
            "rss_kib": rss,
            "per_session_kib": (rss - baseline) / max(len(sessions), 1),
            "first_update_ms": client.stats_ms([s.first_latency for s in added]),
            "click_ms": client.stats_ms(clicks),
            "clicks_sent": sent,
            "idle_cpu": idle,
            "errors": dict(step_errors.counts),
            "server_alive": server.alive(),
        }
    during = await control(switch, "stats")
    await client.close_sessions(sessions)
    after = await asyncio.to_thread(server.settled_rss_kib, 60.0)
    left = await _settled_stats(switch)
    await client.close_sessions([switch])
    return {
        "kind": kind_name,
        "baseline_kib": baseline,
        "after_kib": after,
        "steps": steps,
        "blocks": [before["blocks"], during["blocks"], left["blocks"]],
        "tasks": [before["tasks"], during["tasks"], left["tasks"]],
        "errors": dict(errors.counts),
        "error_examples": dict(errors.examples),
    }


def grow(
    server: BenchServer,
    kind_name: str,
    sizes: tuple[int, ...],
    click_seconds: float = CLICK_SECONDS,
) -> Result:
    """Open `kind_name` sessions up to each of `sizes` on `server`, measure at each step (its
    clicks over at least `click_seconds`), then close them all and measure what is left (see
    the module docstring)."""
    return asyncio.run(_grow(server, kind_name, sizes, click_seconds))


def run(
    start: Callable[[str], BenchServer],
    counter_sizes: tuple[int, ...],
    query_sizes: tuple[int, ...],
    click_seconds: float = CLICK_SECONDS,
) -> dict[str, Result]:
    """The `--scale` measurements: counters, the raw-ASGI echo floor at the counters' sizes,
    then `use_query` lists, each on a fresh server from `start(name)` (a `BenchServer`
    factory)."""
    results: dict[str, Result] = {}
    for kind, sizes in (("counter", counter_sizes), ("raw", counter_sizes), ("query", query_sizes)):
        with start(f"scale-{kind}") as server:
            results[kind] = grow(server, kind, sizes, click_seconds)
    return results
