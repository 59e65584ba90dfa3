"""reactpy_django.config: 5.2.1's module of values, typed; a misspelt name is an error."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import assert_type

from reactpy_django import config
from reactpy_django.registry import ComponentConstructor
from reactpy_django.types import AsyncPostprocessor, SyncPostprocessor


def values() -> None:
    assert_type(config.REACTPY_DATABASE, str)
    assert_type(config.REACTPY_URL_PREFIX, str)
    assert_type(config.REACTPY_CLEAN_INTERVAL, int | None)
    assert_type(config.REACTPY_DEFAULT_HOSTS, itertools.cycle[str] | None)
    assert_type(
        config.REACTPY_DEFAULT_QUERY_POSTPROCESSOR, SyncPostprocessor | AsyncPostprocessor | None
    )
    assert_type(config.REACTPY_REGISTERED_COMPONENTS, Mapping[str, ComponentConstructor])
    assert_type(config.DJANGO_DEBUG, bool)
    config.REACTPY_DATABSE  # E: attr-defined reportAttributeAccessIssue
    registered = config.REACTPY_REGISTERED_COMPONENTS
    registered["x"] = registered["y"]  # E: index reportIndexIssue
