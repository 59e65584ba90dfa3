"""The WebSocket URL pattern (`REACTPY_WEBSOCKET_ROUTE`) for the project's `asgi.py`."""

from __future__ import annotations

from django.urls import URLPattern, path

from reactpy_django.conf import reactpy_settings
from reactpy_django.consumer import ReactpyAsyncWebsocketConsumer

__all__ = ["REACTPY_WEBSOCKET_ROUTE", "websocket_path"]


def websocket_path(dotted_path: str, uuid: str, has_args: bool) -> str:
    """The path (no host) a browser opens to mount `dotted_path` for tag `uuid`."""
    return f"/{reactpy_settings().url_prefix}/{dotted_path}/{uuid}/{int(has_args)}/"


REACTPY_WEBSOCKET_ROUTE: URLPattern = path(
    f"{reactpy_settings().url_prefix}/<str:dotted_path>/<str:uuid>/<int:has_args>/",
    ReactpyAsyncWebsocketConsumer.as_asgi(),
    name="reactpy_websocket",
)
"""Route it under Channels' auth stack: `AuthMiddlewareStack(URLRouter([REACTPY_WEBSOCKET_ROUTE]))`."""
