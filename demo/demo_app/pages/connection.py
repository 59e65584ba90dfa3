"""Components of the connection-hooks demo page (the hooks doc's examples)."""

from __future__ import annotations

from uuid import uuid4

from reactpy import component, hooks, html
from reactpy.core.types import VdomDict

from reactpy_django.hooks import (
    use_connection,
    use_location,
    use_origin,
    use_rerender,
    use_root_id,
    use_scope,
)


@component
def counter(start: int = 0) -> VdomDict:
    """A button that counts its clicks."""
    count, set_count = hooks.use_state(start)
    return html.div(
        html.button({"id": "increment", "on_click": lambda event: set_count(count + 1)}, "+1"),
        html.span({"id": "count"}, f"Count: {count}"),
    )


@component
def connection_info() -> VdomDict:
    """What each connection hook returns."""
    connection = use_connection()
    scope = use_scope()
    location = use_location()
    origin = use_origin()
    root_id = use_root_id()
    return html.dl(
        html.dt("use_connection().carrier"),
        html.dd({"id": "carrier"}, type(connection.carrier).__name__),
        html.dt("use_scope()['type']"),
        html.dd({"id": "scope-type"}, str(scope.get("type"))),
        html.dt("use_location()"),
        html.dd({"id": "location"}, location.pathname + location.search),
        html.dt("use_origin()"),
        html.dd({"id": "origin"}, origin or "No origin"),
        html.dt("use_root_id()"),
        html.dd({"id": "root-id"}, f"Root ID: {root_id}"),
    )


@component
def rerender_demo() -> VdomDict:
    """The hooks doc's use_rerender example: a zero-argument click handler."""
    rerender = use_rerender()

    def on_click() -> None:
        rerender()

    return html.div(
        html.span({"id": "uuid"}, f"UUID: {uuid4()}"),
        html.button({"id": "rerender", "onClick": on_click}, "Rerender"),
    )


@component
def greeting(name: str, punctuation: str = ".") -> VdomDict:
    """Arguments from the template tag, prerendered into the HTTP response."""
    scope = use_scope()
    return html.p({"id": "greeting"}, f"Hello, {name}{punctuation} (rendered over {scope['type']})")
