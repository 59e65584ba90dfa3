"""ASGI application for browser tests (the demo's, with test settings)."""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

from demo_site.asgi import application

if "REACTPY_TEST_MAX_DEFER" in os.environ:
    # tests/test_multiprocess.py: a burst's refetch waits for the burst's last mutation however
    # slow the machine is, so the refetches it causes are counted, not bounded by its duration.
    from reactpy_django import _refetch

    _refetch._MAX_DEFER = float(os.environ["REACTPY_TEST_MAX_DEFER"])

__all__ = ["application"]
