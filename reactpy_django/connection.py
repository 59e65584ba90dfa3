"""Hooks that read the connection: carrier, scope, location, origin, root id, re-render."""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from typing import Any

from django.http import HttpRequest
from reactpy.core.hooks import ConnectionContext, use_context

from reactpy_django._connection import OwnConnection, new_connection
from reactpy_django._state import ConnectionState, connection_state
from reactpy_django.types import Connection, Location

__all__ = [
    "use_connection",
    "use_location",
    "use_origin",
    "use_rerender",
    "use_root_id",
    "use_scope",
]


def use_connection() -> Connection:
    """The active connection: `carrier` (the consumer, or the `HttpRequest` while
    prerendering), the ASGI `scope`, and the browser's `location` (inside `django_router`,
    the URL the router navigated to).

    Returns:
        Connection: `carrier`, `scope` and `location` of this connection.
    """
    connection = use_context(ConnectionContext)
    if connection is None:
        msg = (
            "No connection: this component was not mounted by reactpy_django. Render it with "
            "{% component %} in a template, or mount it with reactpy_django.testing.mount."
        )
        raise RuntimeError(msg)
    if type(connection) is not OwnConnection:
        # A plain ReactPy Connection: reactpy-router's router (`django_router`) provides one
        # with the location it navigated to. Same values, with the repr that hides cookies.
        connection = new_connection(connection.scope, connection.location, connection.carrier)
    return connection


def use_scope() -> MutableMapping[str, Any]:
    """The connection's ASGI scope: for a WebSocket the consumer's own scope (`"type"` is
    `"websocket"`); while prerendering a copy of the HTTP request's (`"type"` is `"http"`).

    Returns:
        MutableMapping[str, Any]: The connection's ASGI scope.
    """
    return use_connection().scope


def use_location() -> Location:
    """The browser's URL when the component mounted: `pathname` and `search` (with its `?`,
    or `""` when the URL has no query). Inside `reactpy_django.router.django_router` it
    follows the router's navigation: the URL after the last `link` click or back/forward.

    Returns:
        Location: `pathname` and `search` of the browser's URL.
    """
    return use_connection().location


def use_origin() -> str | None:
    """The page's origin, e.g. `"http://example.com"`: the WebSocket `Origin` header, or
    scheme and host of the HTTP request while prerendering; `None` if there is none.

    Returns:
        str | None: The origin (`scheme://host[:port]`), or `None`.
    """
    connection = use_connection()
    carrier = connection.carrier
    if isinstance(carrier, HttpRequest):
        try:
            return f"{carrier.scheme}://{carrier.get_host()}"
        except Exception:  # DisallowedHost: no trustworthy origin to report
            return None
    headers: list[tuple[bytes, bytes]] = connection.scope.get("headers", [])
    for name, value in headers:
        if name == b"origin":
            origin = value.decode("latin-1")
            return origin if origin and origin != "null" else None
    return None


def _state() -> ConnectionState:
    return connection_state(use_connection().scope)


def use_root_id() -> str:
    """The root component's id: a uuid4 string, the same for the page's lifetime
    (reconnects included) and new after a reload.

    Returns:
        str: The page's root id, a uuid4 string.
    """
    return _state().root_id


def use_rerender() -> Callable[[], None]:
    """A function that re-renders the whole component tree, keeping every hook's state.

    It takes no arguments, so it can be an event handler itself; while prerendering it does
    nothing (the HTML is rendered once).

    Returns:
        Callable[[], None]: Call it (or use it as an event handler) to re-render the whole tree.
    """
    state = _state()

    def rerender(*_: object) -> None:
        state.rerender()

    return rerender
