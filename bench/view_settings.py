"""Settings of the `view_to_component` benchmark: the bench settings, the table's URLconf."""

from __future__ import annotations

from bench.settings import *  # noqa: F403

ROOT_URLCONF = "bench.view_table"
