"""Client-side routing with Django's path syntax: `django_router`, on reactpy-router.

    from reactpy_router import link, route, use_params
    from reactpy_django.router import django_router

    django_router(
        route("/books/", book_list()),
        route("/books/<int:book_id>/", book_detail()),
        route("<any:rest>", not_found()),
    )

Following a `link` changes the browser's URL without a page load: the WebSocket stays open,
and `use_location()` / `use_connection().location` inside the router give the new URL.
"""

from __future__ import annotations

from reactpy_router import create_router
from reactpy_router.types import Route, Router

from reactpy_django.router._converters import CONVERTERS
from reactpy_django.router._resolver import DjangoResolver

__all__ = ["CONVERTERS", "DjangoResolver", "django_router"]

django_router: Router[Route] = create_router(DjangoResolver)
"""A router component for `reactpy_router.route(...)`s whose paths use Django's syntax
(`/books/<int:book_id>/`); the first route matching the URL renders. `use_params()` gives the
converted values (`{"book_id": 7}`); a route `<any:name>` last catches every other URL."""
