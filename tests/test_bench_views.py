"""`python -m bench.views` runs end to end (a smoke run: every figure printed, no failed open)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.timeout(300)
def test_views_benchmark_prints_every_figure_without_errors(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "demo")]),
        "BENCH_RUN_DIR": str(tmp_path),
    }
    completed = subprocess.run(
        [sys.executable, "-m", "bench.views", "--opens", "30", "--seconds", "1", "--no-pin"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=280,
        check=False,
    )
    report = completed.stdout + completed.stderr[-4000:]
    assert completed.returncode == 0, report
    for label in ["open -> rendered p50 ms", "server CPU us per open", "opens/s"]:
        assert label in completed.stdout, report
    assert "errors: ours 0, floor 0" in completed.stdout, report
