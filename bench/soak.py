"""The soak: hundreds of WebSockets clicking a counter for a minute against one uvicorn.

    PYTHONPATH=.:demo .venv/bin/python -m bench.soak --connections 500 --seconds 60
    PYTHONPATH=.:demo .venv/bin/python -m bench.soak --quick   # 20 connections, 3 seconds

Starts uvicorn (one worker) serving `bench.asgi` on a throwaway SQLite file, warms it up,
then opens `--connections` WebSockets to the demo's counter; each clicks in a loop (one
click, wait for its update, click again) until `--seconds` have passed, and then all close.
It prints and writes (`--out`, JSON) the events and their round trips, client errors by
kind, the ERROR and WARNING lines of the server's log, the server's RSS at baseline, every
`--interval` seconds under load and after the disconnect, and the Python heap blocks and
asyncio tasks the server holds before and after. `--rounds N` repeats open, click and close
on the same server: memory that grows round after round would be a leak. The exit status is
1 when anything failed: a client error, a server ERROR line, or tasks left behind.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import client
from bench.client import Errors, Session
from bench.scenarios import COUNTER, control
from bench.server import BenchServer, prepare_database

__all__ = ["SoakResult", "main", "soak"]

_AT_ONCE = 50
"""Handshakes in flight at a time while opening."""
_WARM_SESSIONS = 20
_COUNT = re.compile(r"Count: (\d+)")


@dataclass
class SoakResult:
    """What one soak measured (all sizes KiB, times seconds unless named otherwise)."""

    connections: int
    seconds: float
    rounds: int = 1
    opened: int = 0
    events: int = 0
    latencies_ms: dict[str, float] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    error_examples: dict[str, str] = field(default_factory=dict)
    still_open_at_end: int = 0
    rss_start: int = 0
    rss_baseline: int = 0
    rss_opened: int = 0
    rss_samples: list[dict[str, float]] = field(default_factory=list)
    rss_after_close: int = 0
    rss_after_trim: int = 0
    blocks_before: int = 0
    blocks_after: int = 0
    tasks_before: int = 0
    tasks_after: int = 0
    server_cpu_seconds: float = 0.0
    server_errors: list[str] = field(default_factory=list)
    server_warnings: int = 0
    per_round: list[dict[str, int]] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        """Whether anything went wrong (speed is not judged)."""
        return bool(
            sum(self.errors.values())
            or self.server_errors
            or self.opened < self.connections
            or self.tasks_after > self.tasks_before
        )


async def _read_count(session: Session, wanted: int) -> None:
    """Read frames until the counter shows `wanted` (bounded by the client's reply timeout)."""
    deadline = time.monotonic() + client.REPLY_TIMEOUT
    while True:
        frame = await session.next_text(max(deadline - time.monotonic(), 0.001))
        found = _COUNT.search(frame)
        if found is not None and int(found[1]) >= wanted:
            if int(found[1]) != wanted:
                msg = f"expected Count: {wanted}, got {found[0]}"
                raise ValueError(msg)
            return


def _ready(session: Session, errors: Errors) -> bool:
    target = session.handler("increment")
    if target is None:
        errors.add("protocol", ValueError("no increment button in the first update"))
        return False
    session.target = target
    return True


async def _click(session: Session) -> None:
    await session.socket.send(client.click_frame(session.target))
    await _read_count(session, session.count)


async def _click_until(
    session: Session, deadline: float, latencies: list[float], errors: Errors
) -> None:
    """Click, wait for the new count, repeat until `deadline`; a failure ends this session."""
    while time.perf_counter() < deadline:
        begun = time.perf_counter()
        session.count += 1
        if not await client.attempt(_click(session), errors):
            return
        latencies.append(time.perf_counter() - begun)


async def _sample(
    server: BenchServer,
    result: SoakResult,
    latencies: list[float],
    deadline: float,
    interval: float,
) -> None:
    started = time.perf_counter()
    while (left := deadline - time.perf_counter()) > 0:
        await asyncio.sleep(min(interval, left))
        result.rss_samples.append(
            {
                "round": len(result.per_round) + 1,
                "t": round(time.perf_counter() - started, 1),
                "rss_kib": server.rss_kib(),
                "events": len(latencies),
                "cpu_s": round(server.cpu_seconds(), 2),
            }
        )


async def _run(server: BenchServer, result: SoakResult, interval: float) -> None:
    errors = Errors()
    port = server.port
    switch = await client.open_control(port, errors)
    result.rss_start = server.rss_kib()
    # Warm-up (imports, caches, the first render) before the baseline.
    warm = await client.open_sessions(
        lambda: client.component_url(port, COUNTER), port, _WARM_SESSIONS, errors, at_once=20
    )
    for session in warm:
        if _ready(session, errors):
            await _click_until(session, time.perf_counter() + 0.2, [], errors)
    await client.close_sessions(warm)
    await control(switch, "stats")  # its own first-call allocations land before the baseline
    before = await control(switch, "stats")
    result.blocks_before, result.tasks_before = int(before["blocks"]), int(before["tasks"])
    result.rss_baseline = await asyncio.to_thread(server.settled_rss_kib)
    errors = Errors()  # the warm-up's are not the soak's
    latencies: list[float] = []
    cpu_before = server.cpu_seconds()
    for number in range(1, result.rounds + 1):
        await _round(server, switch, result, number, latencies, errors, interval)
    result.server_cpu_seconds = round(server.cpu_seconds() - cpu_before, 2)
    result.events = len(latencies)
    result.latencies_ms = {k: round(v, 2) for k, v in client.stats_ms(latencies).items()}
    await client.close_sessions([switch])
    result.errors = dict(errors.counts)
    result.error_examples = dict(errors.examples)


async def _round(
    server: BenchServer,
    switch: Session,
    result: SoakResult,
    number: int,
    latencies: list[float],
    errors: Errors,
    interval: float,
) -> None:
    """Open every connection, click until the time is up, close them all, measure."""
    port = server.port
    sessions = await client.open_sessions(
        lambda: client.component_url(port, COUNTER),
        port,
        result.connections,
        errors,
        at_once=_AT_ONCE,
    )
    ready = [session for session in sessions if _ready(session, errors)]
    result.opened = min(result.opened, len(ready)) if number > 1 else len(ready)
    result.rss_opened = server.rss_kib()
    before = len(latencies)
    deadline = time.perf_counter() + result.seconds
    await asyncio.gather(
        _sample(server, result, latencies, deadline, interval),
        *(_click_until(session, deadline, latencies, errors) for session in ready),
    )
    result.still_open_at_end = sum(session.socket.close_code is None for session in sessions)
    await client.close_sessions(sessions)
    result.rss_after_close = await asyncio.to_thread(server.settled_rss_kib)
    after = await control(switch, "stats")
    result.blocks_after, result.tasks_after = int(after["blocks"]), int(after["tasks"])
    await control(switch, "trim")
    result.rss_after_trim = await asyncio.to_thread(server.settled_rss_kib)
    result.per_round.append(
        {
            "round": number,
            "events": len(latencies) - before,
            "rss_opened": result.rss_opened,
            "rss_after_close": result.rss_after_close,
            "rss_after_trim": result.rss_after_trim,
            "blocks_after": result.blocks_after,
            "tasks_after": result.tasks_after,
        }
    )


def _scan_log(log: Path, result: SoakResult) -> None:
    if not log.exists():
        return
    for line in log.read_text(errors="replace").splitlines():
        if "Traceback" in line or "ERROR" in line or "Exception in ASGI" in line:
            result.server_errors.append(line[:300])
        elif "WARNING" in line or line.startswith("Dropped"):
            result.server_warnings += 1


def soak(
    connections: int, seconds: float, interval: float, run_dir: Path, rounds: int = 1
) -> SoakResult:
    """Run a soak of `rounds` rounds on one server in `run_dir` (its database and log)."""
    client.raise_file_limit(connections * 2 + 256)
    database = run_dir / "soak.sqlite3"
    prepare_database(database)
    result = SoakResult(connections=connections, seconds=seconds, rounds=rounds)
    server = BenchServer(run_dir, database, "soak")
    with server:
        asyncio.run(_run(server, result, interval))
        if not server.alive():
            result.server_errors.append("the server process died")
    _scan_log(server.log, result)
    return result


def _report(result: SoakResult) -> str:
    load = [int(sample["rss_kib"]) for sample in result.rss_samples]
    lines = [
        f"connections opened / asked:   {result.opened} / {result.connections}",
        f"clicking for:                 {result.rounds} x {result.seconds:g} s",
        f"events (click round trips):   {result.events} "
        f"({result.events / max(result.seconds * result.rounds, 1e-9):.0f}/s)",
        f"round trip ms p50/p95/p99/max: {result.latencies_ms.get('p50', 0):.1f} / "
        f"{result.latencies_ms.get('p95', 0):.1f} / {result.latencies_ms.get('p99', 0):.1f} / "
        f"{result.latencies_ms.get('max', 0):.1f}",
        f"client errors:                {result.errors or 0} {result.error_examples or ''}",
        f"sockets still open at the end: {result.still_open_at_end}",
        f"server log ERROR lines:       {len(result.server_errors)}",
        f"server log WARNING lines:     {result.server_warnings}",
        f"server CPU under load:        {result.server_cpu_seconds} s",
        f"RSS KiB at start / warm baseline / all open: {result.rss_start} / "
        f"{result.rss_baseline} / {result.rss_opened}",
        "RSS KiB under load (every sample): " + ", ".join(str(kib) for kib in load),
        *(
            f"round {row['round']}: {row['events']} events; RSS KiB all open "
            f"{row['rss_opened']}, after close {row['rss_after_close']}, after trim "
            f"{row['rss_after_trim']}; heap blocks {row['blocks_after']}; tasks "
            f"{row['tasks_after']}"
            for row in result.per_round
        ),
        f"RSS KiB after disconnect / after malloc_trim: {result.rss_after_close} / "
        f"{result.rss_after_trim}",
        f"Python heap blocks before / after: {result.blocks_before} / {result.blocks_after} "
        f"({result.blocks_after - result.blocks_before:+d})",
        f"asyncio tasks before / after:      {result.tasks_before} / {result.tasks_after}",
        "result: " + ("FAILED" if result.failed else "ok"),
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command line: run the soak, print the numbers, write `--out` if given."""
    parser = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__)
    parser.add_argument("--connections", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--interval", type=float, default=5.0, help="RSS sample period, s")
    parser.add_argument(
        "--rounds", type=int, default=1, help="open-click-close rounds on the same server"
    )
    parser.add_argument("--quick", action="store_true", help="20 connections for 3 seconds")
    parser.add_argument("--out", type=Path, help="write the numbers as JSON here")
    args = parser.parse_args(argv)
    connections: int = args.connections
    seconds: float = args.seconds
    interval: float = args.interval
    if args.quick:
        connections, seconds, interval = 20, 3.0, 1.0
    run_dir = Path(tempfile.mkdtemp(prefix="reactpy-soak-", dir=os.environ.get("BENCH_RUN_DIR")))
    result = soak(connections, seconds, interval, run_dir, rounds=args.rounds)
    print(_report(result))
    out: Path | None = args.out
    if out is not None:
        data: dict[str, Any] = {**result.__dict__, "failed": result.failed}
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(client.as_json(data))
    return 1 if result.failed else 0


if __name__ == "__main__":
    sys.exit(main())
