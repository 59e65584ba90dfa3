"""The `Connection` object the consumer and prerender provide to a layout's tree."""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from reactpy.backend.types import Connection as _ReactPyConnection

from reactpy_django.types import Carrier, Connection, Location

__all__ = ["OwnConnection", "new_connection"]


class OwnConnection(_ReactPyConnection[Carrier]):
    """ReactPy's `Connection`, with a repr that leaves out the scope's cookies and headers.

    The hooks doc renders `str(use_connection())` into the page; the dataclass repr would put
    the session cookie (HttpOnly for a reason) into the DOM.
    """

    def __repr__(self) -> str:
        scope_type = self.scope.get("type", "?")
        scope_path = self.scope.get("path", "?")
        return (
            f"Connection(carrier={type(self.carrier).__name__}, "
            f"scope=<{scope_type} {scope_path}>, location={self.location!r})"
        )


def new_connection(
    scope: MutableMapping[str, Any], location: Location, carrier: Carrier
) -> Connection:
    """The `Connection` a layout's `ConnectionContext` provides (consumer and prerender)."""
    return OwnConnection(scope=scope, location=location, carrier=carrier)
