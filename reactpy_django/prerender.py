"""Rendering a component once to HTML for the HTTP response (`prerender="true"`)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import MutableMapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.http import HttpRequest
from reactpy.backend.types import Location
from reactpy.core.hooks import ConnectionContext
from reactpy.core.layout import Layout
from reactpy.core.types import ComponentType

from reactpy_django._connection import new_connection
from reactpy_django._html import vdom_to_html
from reactpy_django._state import SCOPE_KEY, ConnectionState
from reactpy_django.types import Connection

__all__ = ["prerender_component"]

logger: logging.Logger = logging.getLogger(__name__)

# Template rendering is sync and may itself run under an event loop, so the one-shot
# layout gets a thread (and a fresh loop) of its own.
_executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="reactpy-prerender")


def _scope_for(request: HttpRequest, root_id: str) -> MutableMapping[str, Any]:
    base: dict[str, Any] = dict(getattr(request, "scope", {}) or {})
    if not base:
        base = {
            "type": "http",
            "path": request.path,
            "query_string": request.META.get("QUERY_STRING", "").encode(),
            "headers": [
                (name.lower().encode(), str(value).encode())
                for name, value in request.headers.items()
            ],
        }
    base["user"] = getattr(request, "user", None)
    base["session"] = getattr(request, "session", None)
    base[SCOPE_KEY] = ConnectionState(root_id=root_id, live=False)
    return base


async def _render_once(root: ComponentType, connection: Connection) -> str:
    layout = Layout(ConnectionContext(root, value=connection))
    async with layout:
        update = await layout.render()
    return vdom_to_html(update["model"])


def prerender_component(root: ComponentType, request: HttpRequest, root_id: str) -> str:
    """The component's first render as HTML; its hooks see `request` as the carrier."""
    user = getattr(request, "user", None)
    if user is not None:
        # Load the lazy user here: the render thread runs an event loop, where the ORM refuses.
        _ = user.is_authenticated
    search = request.META.get("QUERY_STRING", "")
    location = Location(pathname=request.path, search=f"?{search}" if search else "")
    connection = new_connection(_scope_for(request, root_id), location, request)
    future = _executor.submit(asyncio.run, _render_once(root, connection))
    return future.result()
