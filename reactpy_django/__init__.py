"""ReactPy components in Django, with typed hooks for the ORM, users, Channels and the connection.

Wiring: `"reactpy_django"` in `INSTALLED_APPS`; in asgi.py
`AuthMiddlewareStack(URLRouter([REACTPY_WEBSOCKET_ROUTE]))`; in urls.py
`path("reactpy/", include("reactpy_django.http.urls"))`; in templates `{% load reactpy %}`
and `{% component "dotted.path" %}`. Hooks live in `reactpy_django.hooks`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from channels.routing import _ExtendedURLPattern

    from reactpy_django.registry import register_component as register_component

__all__ = ["REACTPY_WEBSOCKET_ROUTE", "register_component"]

__version__ = "0.1.0"


def __getattr__(name: str) -> object:
    # Django imports this package before its apps are ready; the route and the registry
    # import models and settings, so they load on first use.
    if name == "REACTPY_WEBSOCKET_ROUTE":
        from reactpy_django.routing import REACTPY_WEBSOCKET_ROUTE

        return REACTPY_WEBSOCKET_ROUTE
    if name == "register_component":
        from reactpy_django.registry import register_component

        return register_component
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)


if TYPE_CHECKING:
    REACTPY_WEBSOCKET_ROUTE: _ExtendedURLPattern
    """The WebSocket route: `AuthMiddlewareStack(URLRouter([REACTPY_WEBSOCKET_ROUTE]))`."""
