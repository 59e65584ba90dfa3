"""The WebSocket URL pattern (`REACTPY_WEBSOCKET_ROUTE`) for the project's `asgi.py`."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.urls import URLPattern
from django.urls.resolvers import RoutePattern

from reactpy_django.conf import reactpy_settings
from reactpy_django.consumer import ReactpyAsyncWebsocketConsumer

__all__ = ["REACTPY_WEBSOCKET_ROUTE", "websocket_path"]


def websocket_path(dotted_path: str, uuid: str, has_args: bool) -> str:
    """The path (no host) a browser opens to mount `dotted_path` for tag `uuid`."""
    return f"/{reactpy_settings().url_prefix}/{dotted_path}/{uuid}/{int(has_args)}/"


if TYPE_CHECKING:
    from channels.routing import _ExtendedURLPattern


def _route() -> _ExtendedURLPattern:
    pattern = RoutePattern(
        f"{reactpy_settings().url_prefix}/<str:dotted_path>/<str:uuid>/<int:has_args>/",
        name="reactpy_websocket",
        is_endpoint=True,
    )
    route = URLPattern(pattern, ReactpyAsyncWebsocketConsumer.as_asgi(), name="reactpy_websocket")
    # types-channels describes a route whose callback is an ASGI app as a stub-only
    # subclass of URLPattern; a Django URLPattern with an ASGI callback is exactly that.
    return cast("_ExtendedURLPattern", route)


REACTPY_WEBSOCKET_ROUTE = _route()
"""The WebSocket route; in asgi.py: `AuthMiddlewareStack(URLRouter([REACTPY_WEBSOCKET_ROUTE]))`."""
