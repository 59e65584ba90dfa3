"""`python -m bench.views` runs end to end (a smoke run: every figure printed, no failed open)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.bench_process import run_bench


@pytest.mark.timeout(300)
def test_views_benchmark_prints_every_figure_without_errors(tmp_path: Path) -> None:
    run = run_bench(
        "bench.views", "--opens", "30", "--seconds", "1", "--no-pin", timeout=280, run_dir=tmp_path
    )
    for label in ["open -> rendered p50 ms", "server CPU us per open", "opens/s"]:
        assert label in run.stdout, run.report
    assert "errors: ours 0, floor 0" in run.stdout, run.report
