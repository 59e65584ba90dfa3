"""1,000 sessions in one real server process (`bench.scale`): all render, nothing is left.

A real uvicorn on 127.0.0.1 serves the benchmark site (`bench.asgi`, the demo's counter) on a
migrated SQLite file; 1,000 WebSocket clients, each its own socket, open counters and keep
them open while single clicks go through. The checks are structural (every session mounted,
every click answered, the server's Python blocks and asyncio tasks back at their baseline after
the close) and ratios, never times. First pass only: the figures do not depend on the database.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import client, scale
from bench.server import BenchServer, prepare_database

SESSIONS = 1000


@pytest.mark.timeout(180)
def test_a_thousand_counters_render_and_leave_nothing_after_they_close(tmp_path: Path) -> None:
    client.raise_file_limit(4 * SESSIONS)
    database = tmp_path / "scale.sqlite3"
    prepare_database(database)
    with BenchServer(tmp_path, database, "scale") as server:
        result = scale.grow(server, "counter", (SESSIONS,))
        assert server.alive()
    step = result["steps"][str(SESSIONS)]
    assert result["errors"] == {}, result["error_examples"]
    assert step["mounted"] == SESSIONS
    assert step["click_ms"]["n"] == step["clicks_sent"] >= scale.CLICKS  # every click came back
    before, during, left = result["blocks"]
    tasks_before, tasks_during, tasks_left = result["tasks"]
    # Each open session holds live state in the server: at least one task and many blocks.
    assert tasks_during - tasks_before >= SESSIONS
    assert during - before >= 100 * SESSIONS
    # After the close: no task is left, and under 2% of the Python blocks they took.
    assert tasks_left <= tasks_before
    assert left - before <= 0.02 * (during - before)  # ratio: blocks left to blocks taken
    # Nothing polls: idle, the server uses well under a twentieth of a core.
    assert step["idle_cpu"] < 0.05  # ratio: CPU seconds per idle second
