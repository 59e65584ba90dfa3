"""The benchmark (`python -m bench.run`) runs end to end in its quick mode.

A smoke test: it checks that every figure is measured and that nothing failed (every session
opened and rendered, no event lost, every receiver reached). It never looks at speed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.bench_process import run_bench

# Each figure's row label starts with one of these, as often as listed.
ROWS = {
    "sessions opened at the same instant that render": 1,
    "open -> first update p50 ms": 1,
    "open -> first update p95 ms": 1,
    "click round trip p50/p95/p99 ms @": 4,
    "counter events/s @": 4,
    "counter events/s vs raw-ASGI echo @": 4,
    "server CPU us per event @": 4,
    "errors + dropped connections @": 1,
    "KiB per idle counter session": 1,
    "KiB per idle use_query list session": 1,
    "KiB RSS above baseline after the counter sessions close": 1,
    "KiB RSS above baseline after the use_query list sessions close": 1,
    "left after the counter sessions close": 1,
    "left after the use_query list sessions close": 1,
    "use_query refetches/s @": 4,  # 2 levels, then each Redis layer's run
    "use_query server CPU us per refetch @": 2,
    "group fan-out p50 ms to": 6,  # in-memory, Redis core and Redis pub/sub
    "postprocessor": 1,
}


@pytest.mark.timeout(900)
@pytest.mark.parametrize("server", ["uvicorn", "daphne"])
def test_quick_benchmark_measures_every_figure_without_errors(tmp_path: Path, server: str) -> None:
    out = tmp_path / "out"
    run = run_bench(
        "bench.run", "--quick", "--server", server, "--out", str(out), timeout=840, run_dir=tmp_path
    )
    report = run.report

    lines = run.stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("figure"))
    assert lines[header].split() == ["figure", "ours", "floor", "ratio", "target", "result"]
    for prefix, count in ROWS.items():
        found = [line for line in lines[header:] if line.startswith(prefix)]
        assert len(found) >= count, f"{prefix!r}: {len(found)} rows\n{report}"
        assert not any("n/a" in line for line in found), f"{prefix!r} not measured\n{report}"

    results: dict[str, Any] = json.loads((out / "results.json").read_text())
    assert "phase_errors" not in results, results.get("phase_errors")
    logged = results["server_log_errors"]
    assert all(counts["ours"] == 0 for counts in logged.values()), logged
    opened = results["open"]
    for kind in ("counter", "echo"):
        assert opened[kind]["rendered"] == opened[kind]["opened"], opened
    for level, row in results["round_trips"].items():
        for kind in ("counter", "echo", "raw"):
            assert row[kind]["errors"] == {}, (level, kind, row[kind]["error_examples"])
            assert row[kind]["ready"] == int(level), (level, kind)
            assert row[kind]["n"] > 0, (level, kind)
    for level, row in results["refetch"].items():
        assert row["errors"] == {}, (level, row)
        assert row["ready"] == int(level), (level, row)
        assert row["n"] > 0, level
    for kind, memory in results["memory"].items():
        assert memory["mounted"] == memory["connections"], (kind, memory)
        assert memory["errors"] == {}, (kind, memory)
    for layer, by_count in results["fanout"].items():
        if "skipped" in by_count:
            assert layer.startswith("redis"), by_count  # only without redis-server
            continue
        for count, row in by_count.items():
            for side in ("ours", "floor"):
                assert row[side]["received"] == int(count), (layer, count, side, row[side])
    for layer, row in results.get("layer_refetch", {}).items():
        for kind in ("query", "echo"):
            assert row[kind]["errors"] == {}, (layer, kind, row[kind]["error_examples"])
            assert row[kind]["ready"] == row[kind]["connections"], (layer, kind)
    assert (out / "benchmark.png").stat().st_size > 10_000


FORM_SMOKE = ["--submits", "20", "--clients", "3", "--seconds", "1", "--no-pin"]


@pytest.mark.timeout(300)
def test_form_benchmark_measures_both_sides() -> None:
    run = run_bench("bench.forms", *FORM_SMOKE, timeout=240)
    assert "plain Django POST (HTTP)" in run.stdout, run.report
    assert "django_form (WebSocket)" in run.stdout, run.report
    assert "ratio (django_form / floor): latency p50" in run.stdout, run.report


@pytest.mark.timeout(600)
def test_scale_quick_opens_every_session_and_leaves_nothing_behind(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_bench("bench.run", "--scale", "--quick", "--out", str(out), timeout=540, run_dir=tmp_path)
    results: dict[str, Any] = json.loads((out / "scale.json").read_text())
    assert set(results["scale"]) == {"counter", "raw", "query"}  # raw: the raw-ASGI floor
    for kind, entry in results["scale"].items():
        assert entry["errors"] == {}, (kind, entry["error_examples"])
        assert entry["tasks"][2] <= entry["tasks"][0], (kind, entry["tasks"])
        for size, step in entry["steps"].items():
            assert step["mounted"] == int(size), (kind, size)
            assert step["click_ms"]["n"] == step["clicks_sent"] > 0, (kind, size)
    table = (out / "scale.txt").read_text()
    assert "counter @200: server RSS MiB" in table
    assert "use_query list: errors and sessions not mounted" in table
    assert "raw-ASGI echo (floor) @200: one click round trip" in table
    assert "one click p99 growth @200 / @50: counter vs raw-ASGI echo (floor)" in table
    assert "n/a" not in table, table
