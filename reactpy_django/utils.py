"""Helpers users may name in settings, e.g. the default `use_query` postprocessor."""

from __future__ import annotations

from typing import TypeVar

__all__ = ["django_query_postprocessor"]

_T = TypeVar("_T")


def django_query_postprocessor(data: _T, many_to_many: bool = True, many_to_one: bool = True) -> _T:
    """Placeholder until the query issue lands: returns `data` unchanged."""
    return data
