"""The `view_to_component` benchmark's server: `bench.asgi` with the table page registered."""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.view_settings")

from bench.asgi import application
from reactpy_django import register_component

__all__ = ["application"]

register_component("bench.view_table.table_page")
