"""`view_to_component` of a 50-row table view beside its floor, the same view over plain HTTP.

    PYTHONPATH=.:demo python -m bench.views [--opens N] [--seconds S] [--no-pin]

One uvicorn (the bench settings, `bench.view_table` as URLconf) serves both sides. Each
measured unit is a cold open, as a browser does it for a page or a mounted component:

- floor: a new TCP connection, `GET /bench/table/`, the whole response read;
- ours: a new WebSocket to `bench.view_table.table_page`, frames read until the table's last
  row has arrived (the view runs in a query thread, its HTML becomes VDOM).

Latency: sequential opens, in alternating slices per side (the machine's speed drifts).
Throughput: `--concurrency` clients opening back to back for `--seconds` per slice. Server CPU
per open comes from /proc. Prints a table and the ratios (goal: at most 1.5x the floor).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from websockets.asyncio.client import connect
from websockets.typing import Origin

from bench.client import component_url, percentile
from bench.server import BenchServer, pin_apart, prepare_database
from bench.view_table import ROWS

__all__ = ["main"]

_LAST_ROW = f"Item {ROWS - 1}"
_TIMEOUT = 15.0


@dataclass
class Side:
    """What one side measured."""

    name: str
    latencies: list[float] = field(default_factory=list)
    opens: int = 0
    seconds: float = 0.0
    cpu: float = 0.0
    cpu_opens: int = 0
    errors: int = 0


async def _http_open(port: int) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(b"GET /bench/table/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        body = await asyncio.wait_for(reader.read(), _TIMEOUT)
    finally:
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()
    if not body.startswith(b"HTTP/1.1 200") or _LAST_ROW.encode() not in body:
        msg = f"The table page answered {body[:80]!r}."
        raise RuntimeError(msg)


async def _component_open(port: int) -> None:
    async with connect(
        component_url(port, "bench.view_table.table_page"),
        origin=Origin(f"http://127.0.0.1:{port}"),
        compression=None,
        ping_interval=None,
        close_timeout=2,
        max_size=None,
    ) as socket:
        deadline = time.monotonic() + _TIMEOUT
        while True:
            frame = await asyncio.wait_for(socket.recv(), deadline - time.monotonic())
            text = frame if isinstance(frame, str) else frame.decode()
            if _LAST_ROW in text:
                return


Open = Callable[[int], Awaitable[None]]


async def _sequential(open_: Open, port: int, count: int, side: Side) -> None:
    for _ in range(count):
        started = time.perf_counter()
        try:
            await open_(port)
        except Exception:
            side.errors += 1
            continue
        side.latencies.append(time.perf_counter() - started)


async def _throughput(open_: Open, port: int, clients: int, seconds: float, side: Side) -> None:
    stop = time.perf_counter() + seconds
    started = time.perf_counter()

    async def client() -> int:
        done = 0
        while time.perf_counter() < stop:
            try:
                await open_(port)
            except Exception:
                side.errors += 1
                continue
            done += 1
        return done

    side.opens += sum(await asyncio.gather(*(client() for _ in range(clients))))
    side.seconds += time.perf_counter() - started


async def _measure(server: BenchServer, args: argparse.Namespace) -> tuple[Side, Side]:
    floor, ours = Side("plain HTTP GET (floor)"), Side("view_to_component")
    pairs: list[tuple[Open, Side]] = [(_http_open, floor), (_component_open, ours)]
    for open_, side in pairs:  # warm-up: imports, template compile, query threads
        await _sequential(open_, server.port, 20, Side(side.name))
    slice_opens = max(args.opens // 3, 1)
    for _ in range(3):
        for open_, side in pairs:
            await asyncio.sleep(0.2)
            before = server.cpu_seconds()
            await _sequential(open_, server.port, slice_opens, side)
            side.cpu += server.cpu_seconds() - before
            side.cpu_opens += slice_opens
    for _ in range(2):
        for open_, side in pairs:
            await asyncio.sleep(0.2)
            await _throughput(open_, server.port, args.concurrency, args.seconds / 2, side)
    return floor, ours


def _report(floor: Side, ours: Side) -> str:
    def p(side: Side, fraction: float) -> float:
        return percentile(side.latencies, fraction) * 1000

    def rate(side: Side) -> float:
        return side.opens / side.seconds if side.seconds else 0.0

    def cpu(side: Side) -> float:
        return side.cpu / side.cpu_opens * 1e6 if side.cpu_opens else 0.0

    rows = [
        ("open -> rendered p50 ms", p(ours, 0.5), p(floor, 0.5)),
        ("open -> rendered p95 ms", p(ours, 0.95), p(floor, 0.95)),
        ("server CPU us per open", cpu(ours), cpu(floor)),
    ]
    lines = [f"{'figure':<32}{'ours':>10}{'floor':>10}{'ratio':>8}"]
    for label, mine, theirs in rows:
        ratio = mine / theirs if theirs else float("nan")
        verdict = "ok" if ratio <= 1.5 else "over 1.5x"
        lines.append(f"{label:<32}{mine:>10.2f}{theirs:>10.2f}{ratio:>7.2f}x  {verdict}")
    mine, theirs = rate(ours), rate(floor)
    ratio = theirs / mine if mine else float("nan")
    verdict = "ok" if ratio <= 1.5 else "over 1.5x"
    lines.append(
        f"{'opens/s (floor/ours)':<32}{mine:>10.0f}{theirs:>10.0f}{ratio:>7.2f}x  {verdict}"
    )
    lines.append(
        f"samples: {len(ours.latencies)} + {len(floor.latencies)} sequential opens; "
        f"errors: ours {ours.errors}, floor {floor.errors}; "
        f"median of means {statistics.mean(ours.latencies) * 1000:.2f} vs "
        f"{statistics.mean(floor.latencies) * 1000:.2f} ms"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its table; exit status 1 if any open failed."""
    parser = argparse.ArgumentParser(prog="python -m bench.views", description=__doc__)
    parser.add_argument("--opens", type=int, default=300, help="sequential opens per side")
    parser.add_argument("--seconds", type=float, default=6.0, help="throughput time per side")
    parser.add_argument("--concurrency", type=int, default=8, help="throughput clients")
    parser.add_argument("--no-pin", action="store_true", help="do not pin server and load")
    args = parser.parse_args(argv)
    print("CPUs:", "not pinned" if args.no_pin else pin_apart())
    run_dir = Path(os.environ.get("BENCH_RUN_DIR") or tempfile.mkdtemp(prefix="bench-views-"))
    run_dir.mkdir(parents=True, exist_ok=True)
    database = run_dir / "views.sqlite3"
    prepare_database(database, items=ROWS)
    env = {"DJANGO_SETTINGS_MODULE": "bench.view_settings"}
    with BenchServer(
        run_dir, database, "views", extra_env=env, application="bench.view_asgi:application"
    ) as server:
        floor, ours = asyncio.run(_measure(server, args))
    print(_report(floor, ours))
    return 1 if floor.errors or ours.errors or not ours.latencies else 0


if __name__ == "__main__":
    raise SystemExit(main())
