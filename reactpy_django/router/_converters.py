"""`CONVERTERS`: Django's path converters, plus `any`, in the form reactpy-router reads."""

from __future__ import annotations

from django.urls.converters import get_converters
from reactpy_router.types import ConversionInfo

__all__ = ["CONVERTERS", "current_converters"]

_ANY: ConversionInfo = {"regex": r".*", "func": str}

CONVERTERS: dict[str, ConversionInfo] = {
    name: {"regex": converter.regex, "func": converter.to_python}
    for name, converter in get_converters().items()
}
"""Path converters by name: `int`, `str`, `slug`, `uuid` and `path` (Django's own, with the
same patterns and `to_python`), and `any`, which matches everything (even `""`), for a
catch-all route. Add an entry to make a name usable in every `django_router`."""
CONVERTERS["any"] = _ANY


def current_converters() -> dict[str, ConversionInfo]:
    """Converters for a new route: those registered with Django's `register_converter` since
    this module loaded, overridden by `CONVERTERS`."""
    found: dict[str, ConversionInfo] = {
        name: {"regex": converter.regex, "func": converter.to_python}
        for name, converter in get_converters().items()
    }
    found.update(CONVERTERS)
    return found
