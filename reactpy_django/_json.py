"""Narrowing helpers for decoded JSON and for values checked before they are stored or sent."""

from __future__ import annotations

from typing import Any

from typing_extensions import TypeIs

__all__ = ["is_array", "is_dict", "is_object", "is_sequence"]


def is_object(value: object) -> TypeIs[dict[str, Any]]:
    """Whether `value` is a decoded JSON object (a dict; JSON keys are always strings)."""
    return isinstance(value, dict)


def is_array(value: object) -> TypeIs[list[Any]]:
    """Whether `value` is a decoded JSON array."""
    return isinstance(value, list)


def is_sequence(value: object) -> TypeIs[list[object] | tuple[object, ...]]:
    """Whether `value` is a list or tuple (of items not yet checked)."""
    return isinstance(value, list | tuple)


def is_dict(value: object) -> TypeIs[dict[object, object]]:
    """Whether `value` is a dict (whose keys are not yet checked)."""
    return isinstance(value, dict)
