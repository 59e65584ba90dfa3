"""The settings object: each `REACTPY_*` setting typed, and frozen."""

from __future__ import annotations

from typing import assert_type

from reactpy_django.conf import ReactPySettings, reactpy_settings


def settings_are_typed() -> None:
    config = reactpy_settings()
    assert_type(config.gc_threshold, int | None)
    assert_type(config.query_threads, int)
    assert_type(config.refetch_layer, str | None)


def settings_mistakes() -> None:
    config = reactpy_settings()
    config.gc_threshold = 1  # E: misc reportAttributeAccessIssue
    ReactPySettings(gc_threshold="20000")  # E: arg-type reportArgumentType
