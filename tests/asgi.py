"""ASGI application for browser tests (the demo's, with test settings)."""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

from demo_site.asgi import application

__all__ = ["application"]
