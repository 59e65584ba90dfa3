"""`DjangoResolver`: matches a route's Django-style path (`/book/<int:id>/`) against the URL."""

from __future__ import annotations

import re
from typing import ClassVar

from reactpy_router.resolvers import ReactPyResolver
from reactpy_router.types import ConversionInfo, MatchedRoute, Route

from reactpy_django.router._converters import CONVERTERS, current_converters

__all__ = ["DjangoResolver"]

_DJANGO_PARAM = r"<(?P<type>\w+:)?(?P<name>\w+)>"


class DjangoResolver(ReactPyResolver):
    """Compiles one route whose path uses Django's syntax: `<name>` (a `str`) or
    `<converter:name>` with a converter of `CONVERTERS` (`int`, `str`, `slug`, `uuid`, `path`,
    `any`) or one registered with `django.urls.register_converter`.

    Matched values are converted with the converter's `to_python`; one that raises
    `ValueError` means "no match", as in Django's URL resolver, and the next route is tried.
    """

    param_pattern: str = _DJANGO_PARAM
    converters: ClassVar[dict[str, ConversionInfo]] = CONVERTERS

    def __init__(
        self,
        route: Route,
        param_pattern: str = _DJANGO_PARAM,
        converters: dict[str, ConversionInfo] | None = None,
    ) -> None:
        self.param_pattern = param_pattern
        chosen = converters if converters is not None else current_converters()
        # Shadows the class's converters on purpose (both checkers object to it): each route
        # reads the ones given, or those registered by the time it is compiled.
        self.converters = chosen  # type: ignore[misc]  # pyright: ignore[reportAttributeAccessIssue]
        self._check_types(route.path)
        super().__init__(route)

    def _check_types(self, path: str) -> None:
        for match in re.finditer(self.param_pattern, path):
            kind = (match.group("type") or "str").strip(":")
            if kind not in self.converters:
                known = ", ".join(sorted(self.converters))
                msg = (
                    f"The route {path!r} uses the path converter {kind!r}, which is not "
                    f"registered. Known converters: {known}. Register it with "
                    "django.urls.register_converter, or add it to "
                    "reactpy_django.router.CONVERTERS."
                )
                raise ValueError(msg)

    def resolve(self, path: str) -> MatchedRoute | None:
        """The route's element and converted parameters if `path` matches it, else `None`."""
        try:
            return super().resolve(path)
        except ValueError:  # a converter's to_python refused the value: Django's "no match"
            return None
