"""Narrowing helpers for decoded JSON, so checkers know a dict's keys are strings."""

from __future__ import annotations

from typing import Any

from typing_extensions import TypeIs

__all__ = ["is_array", "is_object"]


def is_object(value: object) -> TypeIs[dict[str, Any]]:
    """Whether `value` is a decoded JSON object (a dict; JSON keys are always strings)."""
    return isinstance(value, dict)


def is_array(value: object) -> TypeIs[list[Any]]:
    """Whether `value` is a decoded JSON array."""
    return isinstance(value, list)
