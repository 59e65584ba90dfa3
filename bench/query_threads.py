"""Wall time for N connections that each mount a `use_query` of a 100 ms sync query function.

    PYTHONPATH=.:demo .venv/bin/python bench/query_threads.py [--connections 1 4 8 16]

Each connection goes through the real consumer in-process (`reactpy_django.testing.mount`)
and its component waits for its query's result; the time shown runs from the first query's
start to the last one's end (connecting is not counted). With `thread_sensitive=True` the query
threads (`REACTPY_QUERY_THREADS`, default 4) serve all connections, so N connections take
about ceil(N / 4) x 100 ms. The "asgiref" column is the same N calls through
`sync_to_async(thread_sensitive=True)` (Channels' `database_sync_to_async`), which sends
every call of the process to one thread: N x 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

from reactpy import component, html
from reactpy.core.types import VdomDict

_ROOT = Path(__file__).resolve().parent.parent
QUERY_SECONDS = 0.1
SPANS: list[tuple[float, float]] = []
"""Start and end of every query function call."""


def slow_query() -> str:
    """A sync query function that takes 100 ms (as a slow ORM call would)."""
    started = time.perf_counter()
    time.sleep(QUERY_SECONDS)
    SPANS.append((started, time.perf_counter()))
    return "done"


def _span() -> float:
    """From the first query's start to the last one's end."""
    span = max(end for _, end in SPANS) - min(start for start, _ in SPANS)
    SPANS.clear()
    return span


@component
def slow_component() -> VdomDict:
    """Shows `done` once its query returned."""
    from reactpy_django.hooks import use_query

    query = use_query(slow_query, postprocessor=None)
    return html.p(f"query {query.data}")


def _setup(database: Path) -> None:
    for path in (_ROOT, _ROOT / "demo"):
        if str(path) not in sys.path:
            sys.path.insert(0, str(path))
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    os.environ["REACTPY_TEST_DB_NAME"] = str(database)
    os.environ.setdefault("REACTPY_TEST_RUN_DIR", str(database.parent))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


async def _connections(count: int) -> float:
    from reactpy_django.testing import mount, new_session

    sessions = [await new_session() for _ in range(count)]

    async def one(index: int) -> None:
        async with mount(slow_component, session=sessions[index]) as page:
            await page.wait_for_text("query done", timeout=60)

    await asyncio.gather(*(one(index) for index in range(count)))
    return _span()


async def _asgiref(count: int) -> float:
    from asgiref.sync import sync_to_async

    await asyncio.gather(*(sync_to_async(slow_query)() for _ in range(count)))
    return _span()


async def _main(counts: list[int]) -> None:
    from reactpy_django.conf import reactpy_settings

    threads = reactpy_settings().query_threads
    print(f"N connections, each one use_query of a {QUERY_SECONDS * 1000:.0f} ms sync function")
    print(f"REACTPY_QUERY_THREADS={threads}; 'asgiref' = sync_to_async(thread_sensitive=True)")
    header = f"{'N':>4} {'reactpy_django':>15} {'asgiref':>9} {'ideal':>7}"
    print(header)
    print("-" * len(header))
    await _connections(1)  # warm up imports and the thread pool
    SPANS.clear()
    for count in counts:
        ours = await _connections(count)
        theirs = await _asgiref(count)
        ideal = -(-count // threads) * QUERY_SECONDS
        print(f"{count:>4} {ours * 1000:>13.0f}ms {theirs * 1000:>7.0f}ms {ideal * 1000:>5.0f}ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, nargs="+", default=[1, 4, 8, 16])
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="reactpy-bench-") as directory:
        _setup(Path(directory) / "bench.sqlite3")
        asyncio.run(_main(options.connections))


if __name__ == "__main__":
    main()
