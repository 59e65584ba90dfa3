"""Runs a `bench` module as a child process, for the benchmark smoke tests."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class BenchRun:
    """What a benchmark run printed."""

    stdout: str
    report: str
    """stdout and the tail of stderr: the message of a failed assertion."""


def run_bench(module: str, *args: str, timeout: float, run_dir: Path | None = None) -> BenchRun:
    """Run `python -m <module> <args>` from the repository root and require exit status 0.

    `run_dir` becomes `BENCH_RUN_DIR` (where the benchmark keeps its servers' files).
    """
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "demo")])}
    if run_dir is not None:
        env["BENCH_RUN_DIR"] = str(run_dir)
    completed = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    report = completed.stdout + completed.stderr[-4000:]
    assert completed.returncode == 0, report
    return BenchRun(completed.stdout, report)
