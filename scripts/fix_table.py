"""The fix table: each runtime fix's tests must fail with that fix alone reverted, and pass
with every fix in place.

For each fix in tests/fixes.py, runs each of its tests in a subprocess (two at a time, each
with a run directory and so a test database of its own) with
`REACTPY_REVERT_FIX=<fix>` (the suite's conftest reverts it around each test) and requires
pytest to report failed tests (exit code 1: an error collecting or setting up does not
count). Then runs every fix's tests with no fix reverted and requires a pass. Prints one
row per test and exits non-zero unless every row says "yes" and the final run passed.
In-process tests only, no browser.

    python scripts/fix_table.py
"""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fixes import FIX_TESTS  # noqa: E402  # the repository root is put on the path first

_TESTS_FAILED = 1  # pytest's exit code when tests ran and some failed
_WORKERS = 2  # pytest processes at once, each with a test database of its own
_RUN_DIR = Path(os.environ.get("REACTPY_TEST_RUN_DIR", "/tmp/reactpy-django-tests"))
_slots: queue.Queue[Path] = queue.Queue()
for _slot in range(_WORKERS):
    _slots.put(_RUN_DIR / f"fix-table-{_slot}")


def _pytest(tests: list[str], revert: str | None) -> tuple[int, str]:
    env = {key: value for key, value in os.environ.items() if key != "REACTPY_REVERT_FIX"}
    if revert is not None:
        env["REACTPY_REVERT_FIX"] = revert
    run_dir = _slots.get()  # the SQLite test database lives in the run directory
    env["REACTPY_TEST_RUN_DIR"] = str(run_dir)
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider"]
    try:
        done = subprocess.run(  # our own interpreter running pytest on our tests
            [*command, *tests], cwd=ROOT, env=env, capture_output=True, text=True, check=False
        )
    finally:
        _slots.put(run_dir)
    return done.returncode, done.stdout + done.stderr


def _row(fix: str, test: str) -> tuple[str, str, bool]:
    code, output = _pytest([test], fix)
    failed = code == _TESTS_FAILED
    if not failed:
        print(f"--- {test}: pytest exited {code} with {fix} reverted (expected 1)")
        print(output[-3000:])
    return fix, test.split("::")[-1], failed


def main() -> int:
    """Run the table; 0 when every fix's tests fail without it and pass with it."""
    started = time.monotonic()
    pairs = [(fix, test) for fix, tests in FIX_TESTS.items() for test in tests]
    with ThreadPoolExecutor(_WORKERS) as pool:
        rows = list(pool.map(_row, [fix for fix, _ in pairs], [test for _, test in pairs]))
    every = sorted({test for tests in FIX_TESTS.values() for test in tests})
    code, output = _pytest(every, None)
    passed = code == 0
    if not passed:
        print(f"--- with every fix in place, pytest exited {code} (expected 0)")
        print(output[-5000:])

    fix_width = max(len(fix) for fix, _, _ in rows)
    test_width = max(len(test) for _, test, _ in rows)
    print(f"{'fix':<{fix_width}}  {'test':<{test_width}}  failed when reverted")
    for fix, test, failed in rows:
        print(f"{fix:<{fix_width}}  {test:<{test_width}}  {'yes' if failed else 'no'}")
    print(f"every fix in place: {'pass' if passed else 'FAIL'} ({len(every)} tests)")
    print(f"fix table took {time.monotonic() - started:.0f} s")
    return 0 if passed and all(failed for _, _, failed in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
