"""The runtime's side of login sync: how the auth machinery reaches every live connection.

The connection root owns this interface and knows nothing of sessions or tokens; the auth
machinery (`_auth_session.connect`, run by the app's `ready()`) registers its implementation,
as a contrib app plugs into Django's core. Until one is registered, no connection is linked.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from typing import Any, Protocol

from reactpy_django._state import ConnectionState

__all__ = ["AttachConnection", "attach_connection", "register"]


class AttachConnection(Protocol):
    """Link one live connection to login sync; called on every render of its root, so it
    must be idempotent (and undo itself through `state.closers`)."""

    def __call__(
        self,
        scope: MutableMapping[str, Any],
        state: ConnectionState,
        redeem: Callable[[str], None],
        /,
    ) -> None:
        """`redeem(url)` has the browser POST a login token to `url` over HTTP."""
        ...


_registered: AttachConnection | None = None


def register(attach: AttachConnection) -> None:
    """Make `attach` the implementation the root calls (the last one registered wins)."""
    global _registered
    _registered = attach


def attach_connection(
    scope: MutableMapping[str, Any], state: ConnectionState, redeem: Callable[[str], None]
) -> None:
    """Link this connection to login sync through the registered implementation, if any."""
    if _registered is not None:
        _registered(scope, state, redeem)
