"""The hidden components around every mounted component (the connection root and auth
manager), and what debug mode mounts in place of one that could not be built."""

from __future__ import annotations

import logging
from collections.abc import MutableMapping
from functools import cache
from pathlib import Path
from typing import Any

from reactpy import component, hooks, html, web
from reactpy.backend.types import Connection as ReactPyConnection
from reactpy.core._life_cycle_hook import current_hook
from reactpy.core.hooks import ConnectionContext
from reactpy.core.types import ComponentType, Context, Key, VdomDict
from reactpy.web.module import WebModule

from reactpy_django._login_sync import attach_connection
from reactpy_django._state import ConnectionState
from reactpy_django.types import Connection

__all__ = ["ConnectionRoot", "auth_manager", "mount_error"]

logger: logging.Logger = logging.getLogger(__name__)

_CLIENT = Path(__file__).parent / "static" / "reactpy_django" / "client.js"


@cache
def client_module() -> WebModule:
    """The browser bundle as a ReactPy web module, written (once per process) to
    REACTPY_WEB_MODULES_DIR, from where `reactpy:web_modules` serves it to the browser."""
    return web.module_from_file("reactpy_django_client", _CLIENT, resolve_exports=False)


_http_request = web.export(client_module(), "HttpRequest")
"""`HttpRequest({method, url, body, callback})`: one `fetch` with the page's cookies, then
`callback(status, text)` (status 520 on a network error)."""

_REDEEMED = 204


class ConnectionRoot:
    """The layout's root component: provides `ConnectionContext` (as `ConnectionContext(...)`
    would) and renders the mounted component beside the auth manager.

    `state.rerender()` re-renders it, and with it the whole tree. It is the context provider
    itself rather than a component inside one: one hidden component less per connection.
    """

    __slots__ = ("children", "key", "state", "type", "value")

    def __init__(
        self,
        child: ComponentType,
        state: ConnectionState,
        scope: MutableMapping[str, Any],
        connection: Connection,
    ) -> None:
        self.children: tuple[ComponentType, ComponentType] = (child, auth_manager(state, scope))
        """The mounted component and the auth manager."""
        self.key: Key | None = None
        self.type: Context[ReactPyConnection[Any] | None] = ConnectionContext
        """The context this root provides (what `use_connection()` reads)."""
        self.value: Connection = connection
        """The connection every hook of the tree sees."""
        self.state: ConnectionState = state
        """The connection's shared state; its `rerender` re-renders this root."""

    def render(self) -> VdomDict:
        """Provide the connection to the tree and render its children."""
        hook = current_hook()
        hook.set_context_provider(self)
        if self.state.live:  # a closed connection's state is left alone
            self.state.rerender = hook.schedule_render
        return {"tagName": "", "children": self.children}


@component
def auth_manager(state: ConnectionState, scope: MutableMapping[str, Any]) -> VdomDict | None:
    """Connects this connection to login sync, and has the browser redeem login tokens.

    A sibling of the root rather than its parent, so redeeming a token re-renders only this
    (`use_auth().login(rerender=False)` leaves the page as it is). It attaches while rendering
    (undone when the connection closes) rather than from an effect, whose task every idle
    connection would keep. Each pending token renders one hidden `HttpRequest` that POSTs it to
    the auth view, whose response sets the session cookie; the element goes away when the
    browser reports back.
    """
    pending, set_pending = hooks.use_state(tuple[str, ...]())
    if state.live:

        def redeem(url: str) -> None:
            set_pending(lambda urls: (*urls, url))

        attach_connection(scope, state, redeem)
    if not pending:
        return None

    def request_for(url: str) -> VdomDict:
        def done(status: int, text: str = "") -> None:
            if status != _REDEEMED:
                logger.warning(
                    "The browser could not redeem a login token (HTTP %s): the last login or "
                    "logout holds on this page, but a reload may not show it.",
                    status,
                )
            set_pending(lambda urls: tuple(other for other in urls if other != url))

        return _http_request(
            {"method": "POST", "url": url, "body": None, "callback": done, "key": url}
        )

    return html._([request_for(url) for url in pending])


@component
def mount_error(message: str) -> VdomDict:
    """What debug mode mounts in place of a component that could not be built: the error, as
    ReactPy's debug mode shows a component that raised while rendering."""
    return html.pre(message)
