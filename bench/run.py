"""Run the benchmark: `PYTHONPATH=.:demo python -m bench.run [--quick]`.

Starts uvicorn on 127.0.0.1 serving the demo site's components, the bench components and
the floor consumers (on a throwaway SQLite file; a redis-server for the Redis fan-out), drives
them with protocol-level WebSocket clients from this process, prints the table and writes
`results.json` and `benchmark.png` to `bench/out/` (or `--out`).
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import importlib.util
import os
import platform
import pstats
import re
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path
from typing import Any, cast

import orjson

from bench import client, report, scale, scenarios
from bench.server import (
    ROOT,
    SERVERS,
    BenchServer,
    pin_apart,
    prepare_database,
    server_args,
    server_name,
    unpin,
    use_server,
)
from tests import servers

__all__ = ["FULL", "QUICK", "Config", "main"]


@dataclass(frozen=True, slots=True)
class Config:
    """How much load each measurement puts on the server."""

    mode: str
    levels: tuple[int, ...]
    """Concurrent connections of the round-trip runs (the third is the events/s target's)."""
    warmup: float
    duration: float
    simultaneous: int
    open_rounds: int
    memory_sessions: int
    refetch_levels: tuple[int, ...]
    fanout_receivers: tuple[int, ...]
    fanout_rounds: int


FULL = Config(
    mode="full",
    levels=(1, 50, 200, 500),
    warmup=1.0,
    duration=6.0,
    simultaneous=50,
    open_rounds=3,
    memory_sessions=400,
    refetch_levels=(1, 50, 200),
    fanout_receivers=(50, 200, 500),
    fanout_rounds=20,
)
"""The issue's figures: 1/50/200/500 connections, 400 idle sessions, 500 receivers."""

QUICK = Config(
    mode="quick",
    levels=(1, 10, 25, 50),
    warmup=0.3,
    duration=1.0,
    simultaneous=50,
    open_rounds=1,
    memory_sessions=40,
    refetch_levels=(1, 25),
    fanout_receivers=(10, 50),
    fanout_rounds=3,
)
"""A smoke run of every measurement with small loads (its verdicts mean little)."""


def _phase(results: dict[str, Any], name: str, run: Callable[[], object]) -> None:
    """Run one measurement; a crash is recorded (and printed) instead of ending the run."""
    started = time.monotonic()
    print(f"[bench] {name} ...", file=sys.stderr, flush=True)
    try:
        value = run()
    except Exception as error:
        traceback.print_exc()
        results.setdefault("phase_errors", {})[name] = f"{type(error).__name__}: {error}"
        return
    keys = name.split(".")
    target = results
    for key in keys[:-1]:
        target = target.setdefault(key, {})
    target[keys[-1]] = value
    print(f"[bench] {name} done in {time.monotonic() - started:.1f}s", file=sys.stderr, flush=True)


_POSTPROCESSOR_LINE = re.compile(
    r"^(?P<variant>\S.*?)\s+(?P<postprocess>\d+)\s+(?P<render>\d+)\s+(?P<total>\d+)"
    r"\s+(?P<ms>[\d.]+)ms$"
)


def _postprocessor(quick: bool) -> dict[str, Any]:
    """Item 5 is `bench/postprocessor.py` (its own script): run it, read its table."""
    script = ROOT / "bench" / "postprocessor.py"
    if not script.exists():
        return {"skipped": "bench/postprocessor.py is not there"}
    command = [sys.executable, str(script), "--repeat", "1" if quick else "5"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "demo")])}
    completed = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    variants: dict[str, dict[str, float]] = {}
    for line in completed.stdout.splitlines():
        match = _POSTPROCESSOR_LINE.match(line.strip())
        if match:
            variants[match["variant"]] = {
                key: float(match[key]) for key in ("postprocess", "render", "total", "ms")
            }
    if completed.returncode != 0 or not variants:
        tail = (completed.stderr or completed.stdout).strip().splitlines()[-3:]
        return {"skipped": f"exit {completed.returncode}: {' | '.join(tail)}"[:300]}
    return {"variants": variants, "output": completed.stdout}


_TRACEBACK_LINES = ("Traceback", "The above exception", "During handling")
_FLOOR_MARKERS = ("bench/floors.py", "channels/utils.py")  # stock dispatch: not ours
"""A traceback through one of these files is the floor consumers' (stock Channels)."""


_LAYER_CLEANUP = "Unexpected exception while cleaning-up channel"
"""channels_redis' pub/sub layer logs this when a reader's unsubscribe on disconnect is cancelled
(seen under Daphne on mass disconnects, for stock consumers and ours alike): the layer's own."""


def _server_log_errors(run_dir: Path) -> dict[str, dict[str, int]]:
    """Errors and tracebacks in the servers' logs, per log file, split into ours, the floor's
    (stock Channels consumers fail too, e.g. Redis pool exhaustion on mass close) and the
    channel layer's own cleanup logs."""
    found: dict[str, dict[str, int]] = {}
    for log in sorted(run_dir.glob("server-*.log")):
        blocks: list[list[str]] = []
        for line in log.read_text(errors="replace").splitlines():
            if blocks and (
                not line
                or line[:1].isspace()
                or line.startswith(_TRACEBACK_LINES)
                or blocks[-1][-1][:1].isspace()  # the exception line after the frames
            ):
                blocks[-1].append(line)
            else:
                blocks.append([line])
        counts = {"ours": 0, "floor": 0, "layer": 0}
        for block in blocks:
            text = "\n".join(block)
            if "Traceback" in text or "ERROR" in block[0]:
                if _LAYER_CLEANUP in block[0]:
                    side = "layer"
                elif any(marker in text for marker in _FLOOR_MARKERS):
                    side = "floor"
                else:
                    side = "ours"
                counts[side] += 1
        if any(counts.values()):
            found[log.name] = counts
    return found


def _git_commit() -> str:
    completed = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return completed.stdout.strip()


def _event_loop() -> str:
    """The loop uvicorn picks (`--loop auto`): uvloop where it is installed, as
    `uvicorn[standard]` does."""
    return "uvloop" if importlib.util.find_spec("uvloop") else "asyncio loop"


_REDIS_LAYERS = {"core": "redis", "pubsub": "redis-pubsub"}
"""The Redis layers (`BENCH_REDIS_LAYER`) and their results' keys: `RedisChannelLayer`,
`RedisPubSubChannelLayer`."""


def _server_label() -> str:
    extra = f", {' '.join(server_args())}" if server_args() else ""
    if server_name() == "daphne":
        return f"Daphne (1 process, Twisted + autobahn, asyncio reactor{extra})"
    return f"uvicorn (1 worker, websockets-sansio, {_event_loop()}{extra})"


def _meta(mode: str) -> dict[str, Any]:
    return {
        "mode": mode,
        "cpus": os.cpu_count(),
        "load_before": round(os.getloadavg()[0], 2),
        "python": platform.python_version(),
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": _git_commit(),
        "server": f"{_server_label()}, SQLite, in-memory layer",
        "server_name": server_name(),
        "server_args": " ".join(server_args()),
        "gc_threshold": os.environ.get("BENCH_GC_THRESHOLD", ""),
        "experiments": os.environ.get("BENCH_EXPERIMENTS", ""),
        "conn_max_age": os.environ.get("BENCH_CONN_MAX_AGE") or "0",
    }


def _measure(config: Config, run_dir: Path, database: Path, redis: bool) -> dict[str, Any]:
    results: dict[str, Any] = {
        "meta": _meta(config.mode),
        "config": asdict(config),
    }
    with BenchServer(run_dir, database, "main") as server:
        _phase(
            results,
            "open",
            lambda: asyncio.run(
                scenarios.open_at_once(server.port, config.simultaneous, config.open_rounds)
            ),
        )
        _phase(
            results,
            "round_trips",
            lambda: scenarios.round_trips(server, config.levels, config.warmup, config.duration),
        )
        _phase(
            results,
            "refetch",
            lambda: scenarios.refetches(
                server, config.refetch_levels, config.warmup, config.duration
            ),
        )
        _phase(
            results,
            "fanout.in-memory",
            lambda: scenarios.fanout(server, config.fanout_receivers, config.fanout_rounds),
        )
    for kind in ("echo", "counter", "query"):
        # A fresh server per kind: one kind's freed memory cannot hide another's growth.
        with BenchServer(run_dir, database, f"memory-{kind}") as server:
            _phase(
                results,
                f"memory.{kind}",
                functools.partial(scenarios.idle_memory, server, kind, config.memory_sessions),
            )
    for layer, key in _REDIS_LAYERS.items():
        if not redis:
            results.setdefault("fanout", {})[key] = {"skipped": "--skip-redis"}
            continue
        if shutil.which("redis-server") is None:
            results.setdefault("fanout", {})[key] = {"skipped": "redis-server not installed"}
            continue
        redis_port = servers.free_port()
        with (
            servers.redis(redis_port) as redis_process,
            BenchServer(
                run_dir,
                database,
                key,
                {
                    "BENCH_REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
                    "BENCH_REDIS_LAYER": layer,
                },
            ) as server,
        ):
            unpin(redis_process.pid)  # Redis serves both sides: it may run on any CPU
            _phase(
                results,
                f"fanout.{key}",
                functools.partial(
                    scenarios.fanout, server, config.fanout_receivers, config.fanout_rounds
                ),
            )
            _phase(
                results,
                f"layer_refetch.{key}",
                functools.partial(
                    scenarios.layer_refetches,
                    server,
                    config.refetch_levels[-1],
                    config.warmup,
                    config.duration,
                ),
            )
    _phase(results, "postprocessor", lambda: _postprocessor(config.mode == "quick"))
    results["meta"]["load_after"] = round(os.getloadavg()[0], 2)
    results["server_log_errors"] = _server_log_errors(run_dir)
    return results


async def _profiled_load(port: int, kind: str, level: int, duration: float) -> int:
    errors = client.Errors()
    switch = await client.open_control(port, errors)

    async def flip(command: str) -> None:
        await scenarios.control(switch, command)

    trips, _, _ = await scenarios.load(
        port,
        kind,
        level,
        0.0,
        duration,
        measured=lambda: flip("profile-start"),
        finished=lambda: flip("profile-stop"),
    )
    await client.close_sessions([switch])
    return len(trips.latencies)


def _profile(
    run_dir: Path, database: Path, out: Path, kind: str, level: int, duration: float
) -> str:
    """cProfile of the server's event loop thread while `level` counters click for `duration`."""
    stats_file = run_dir / "server.pstats"
    with BenchServer(run_dir, database, "profile", {"BENCH_PROFILE": str(stats_file)}) as server:
        clicks = asyncio.run(_profiled_load(server.port, kind, level, duration))
    print(f"[bench] profiled {clicks} {kind} actions at {level} connections", file=sys.stderr)
    buffer = StringIO()
    stats = pstats.Stats(str(stats_file), stream=buffer)
    stats.strip_dirs().sort_stats("tottime").print_stats(35)
    stats.sort_stats("cumulative").print_stats(45)
    text = buffer.getvalue()
    out.mkdir(parents=True, exist_ok=True)
    (out / "profile.txt").write_text(text)
    shutil.copy(stats_file, out / "server.pstats")
    return text


def _scale(run_dir: Path, database: Path, out: Path, quick: bool, pinning: str) -> int:
    """`--scale`: sessions at scale in one process (`bench.scale`); writes `scale.json`, its
    table `scale.txt`, and redraws `benchmark.png` with the last full run's `results.json`."""
    counter_sizes = scale.SMALL_COUNTER_SIZES if quick else scale.COUNTER_SIZES
    query_sizes = (50,) if quick else scale.QUERY_SIZES
    results: dict[str, Any] = {"meta": _meta("scale-quick" if quick else "scale")}
    results["meta"]["pinning"] = pinning
    started = time.monotonic()
    _phase(
        results,
        "scale",
        lambda: scale.run(
            lambda name: BenchServer(run_dir, database, name),
            counter_sizes,
            query_sizes,
            scale.CLICK_SECONDS if quick else scale.FULL_CLICK_SECONDS,
        ),
    )
    results["meta"]["load_after"] = round(os.getloadavg()[0], 2)
    results["meta"]["seconds"] = round(time.monotonic() - started)
    results["server_log_errors"] = _server_log_errors(run_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "scale.json").write_text(client.as_json(results))
    meta = results["meta"]
    print(
        f"\nreactpy_django at scale ({meta['mode']}, {meta['seconds']} s): {meta['cpus']} CPUs, "
        f"load {meta['load_before']} -> {meta['load_after']}, commit {meta['commit']}, "
        f"{meta['server']}, {meta['pinning']}"
    )
    table = report.format_table(report.scale_rows(results))
    print(table)
    (out / "scale.txt").write_text(table + "\n")
    for name, problem in results.get("phase_errors", {}).items():
        print(f"phase {name} crashed: {problem}")
    for name, counts in results["server_log_errors"].items():
        print(f"server log {run_dir / name}: {counts['ours']} errors of ours")
    main_results = out / "results.json"
    if main_results.exists():
        report.plot(_load_json(main_results.read_text()), out / "benchmark.png", results)
    return 1 if results.get("phase_errors") else 0


def _load_json(text: str) -> dict[str, Any]:
    """A results file's JSON object."""
    decoded: object = orjson.loads(text)
    if not isinstance(decoded, dict):
        msg = f"Expected a JSON object in the results file, got {type(decoded).__name__}."
        raise TypeError(msg)
    return cast("dict[str, Any]", decoded)


def main(argv: list[str] | None = None) -> int:
    """Parse the command line, run, print the table; exit status 0 unless the run crashed."""
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small loads: a smoke run")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out", help="output folder")
    parser.add_argument("--skip-redis", action="store_true", help="no Redis fan-out run")
    parser.add_argument(
        "--server", choices=SERVERS, default="uvicorn", help="the ASGI server (default uvicorn)"
    )
    parser.add_argument(
        "--server-arg",
        action="append",
        default=[],
        metavar="ARG",
        help="a command-line argument for the server, repeated for each "
        "(say --server-arg=--ping-interval --server-arg=50 under Daphne)",
    )
    parser.add_argument(
        "--scale",
        action="store_true",
        help="instead of the table: 1 to 5,000 idle counter sessions and 2,000 use_query "
        "list sessions in one server process (with --quick: up to 200)",
    )
    parser.add_argument(
        "--no-pin",
        action="store_true",
        help="leave the server and the load generator on all CPUs (default: the server gets "
        "one CPU to itself, the load the others)",
    )
    parser.add_argument(
        "--profile",
        choices=["events", "memory"],
        help="instead of the table: cProfile the server's event loop while --level sessions "
        "of --kind act (events), or tracemalloc --level idle sessions of --component (memory)",
    )
    parser.add_argument(
        "--experiments",
        default="",
        help="candidate fixes to switch on in the server (bench/experiments.py): "
        "comma-separated names, or `all`",
    )
    parser.add_argument(
        "--conn-max-age",
        default="",
        help="the server's CONN_MAX_AGE (seconds or `none`; default Django's 0)",
    )
    parser.add_argument(
        "--gc-threshold",
        default="",
        help="the server's REACTPY_GC_THRESHOLD (a number, or `none` for Python's own 700; "
        "default the library's 20000)",
    )
    parser.add_argument(
        "--kind",
        choices=sorted(scenarios.KINDS),
        default="counter",
        help="the sessions --profile events drives (default: counter clicks)",
    )
    parser.add_argument(
        "--level", type=int, default=200, help="sessions for --profile (default 200)"
    )
    parser.add_argument(
        "--component",
        default=scenarios.COUNTER,
        help="the component --profile memory mounts (default: the demo's counter)",
    )
    args = parser.parse_args(argv)
    config = QUICK if args.quick else FULL
    # The servers inherit this process's environment (tests.servers.start_asgi).
    os.environ["BENCH_EXPERIMENTS"] = args.experiments
    os.environ["BENCH_CONN_MAX_AGE"] = args.conn_max_age
    os.environ["BENCH_GC_THRESHOLD"] = args.gc_threshold
    use_server(args.server, args.server_arg)
    # Every session is a socket here and one in the server (which inherits the limit).
    client.raise_file_limit(16384 if args.scale else 8192)
    pinning = "not pinned (--no-pin)" if args.no_pin else pin_apart()
    out: Path = args.out
    run_dir = Path(tempfile.mkdtemp(prefix="reactpy-bench-", dir=os.environ.get("BENCH_RUN_DIR")))
    database = run_dir / "bench.sqlite3"
    prepare_database(database)
    if args.scale:
        return _scale(run_dir, database, out, args.quick, pinning)
    if args.profile == "events":
        print(_profile(run_dir, database, out, args.kind, args.level, 8.0))
        print(f"[bench] profile: {out / 'profile.txt'} and {out / 'server.pstats'}")
        return 0
    if args.profile == "memory":
        with BenchServer(run_dir, database, "trace") as server:
            top = asyncio.run(scenarios.traced_memory(server, args.component, args.level))
        print("\n".join(top))
        return 0
    results = _measure(config, run_dir, database, redis=not args.skip_redis)
    results["meta"]["pinning"] = pinning
    rows = report.build_rows(results)
    results["rows"] = [row.as_dict() for row in rows]
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(client.as_json(results))
    print(f"\nreactpy_django benchmark ({config.mode}): ", end="")
    meta = results["meta"]
    print(
        f"{meta['cpus']} CPUs, load {meta['load_before']} -> {meta['load_after']}, "
        f"commit {meta['commit']}, {meta['server']}, {meta['pinning']}"
    )
    if meta["conn_max_age"] != "0":
        print(f"CONN_MAX_AGE = {meta['conn_max_age']} (Django's default is 0)")
    if meta["gc_threshold"]:
        print(f"REACTPY_GC_THRESHOLD = {meta['gc_threshold']} (BENCH_GC_THRESHOLD; default 20000)")
    if meta["experiments"]:
        print(f"EXPERIMENTS ON (not the library as it is): {meta['experiments']}")
    table = report.format_table(rows)
    print(table)
    (out / "table.txt").write_text(table + "\n")
    if config.mode == "quick":
        print("(quick mode: small loads; the verdicts are for full runs)")
    for name, problem in results.get("phase_errors", {}).items():
        print(f"phase {name} crashed: {problem}")
    for name, counts in results["server_log_errors"].items():
        print(
            f"server log {run_dir / name}: {counts['ours']} errors of ours, "
            f"{counts['floor']} of the floor consumers, {counts['layer']} the layer's own cleanup"
        )
    try:
        scale_file = out / "scale.json"
        scale_results = _load_json(scale_file.read_text()) if scale_file.exists() else None
        report.plot(results, out / "benchmark.png", scale_results)
    except Exception:
        traceback.print_exc()
        results.setdefault("phase_errors", {})["plot"] = "plot failed"
    print(f"results: {out / 'results.json'}  plot: {out / 'benchmark.png'}  logs: {run_dir}")
    return 1 if results.get("phase_errors") else 0


if __name__ == "__main__":
    raise SystemExit(main())
