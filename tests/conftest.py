"""Shared fixtures: database access for async tests, servers started from Debian packages."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _reset_reactpy_caches() -> None:
    from reactpy_django.conf import reactpy_settings

    reactpy_settings.cache_clear()
