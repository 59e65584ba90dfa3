"""Components of the connection-hooks demo page: each hook, as the hooks doc shows it."""

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

    def increment(event: object) -> None:
        set_count(count + 1)

    return html.div(
        html.button({"id": "increment", "on_click": increment}, "+1"),
        html.span({"id": "count"}, f"Count: {count}"),
    )


@component
def connection_example() -> VdomDict:
    """use_connection: the doc's example (its repr leaves the cookies out)."""
    connection = use_connection()

    return html.div({"id": "connection"}, str(connection))


@component
def scope_example() -> VdomDict:
    """use_scope: a few of the scope's keys (the whole scope would print the cookies)."""
    scope = use_scope()

    return html.ul(
        {"id": "scope"},
        html.li(f"type: {scope['type']}"),
        html.li(f"path: {scope['path']}"),
        html.li(f"user: {scope.get('user')}"),
    )


@component
def location_example() -> VdomDict:
    """use_location: the doc's example."""
    location = use_location()

    return html.div({"id": "location"}, location.pathname + location.search)


@component
def origin_example() -> VdomDict:
    """use_origin: the doc's example."""
    origin = use_origin()

    return html.div({"id": "origin"}, origin or "No origin")


@component
def root_id_example() -> VdomDict:
    """use_root_id: the doc's example."""
    root_id = use_root_id()

    return html.div({"id": "root-id"}, f"Root ID: {root_id}")


@component
def rerender_example() -> VdomDict:
    """use_rerender: the doc's example, whose click handler takes no argument."""
    rerender = use_rerender()

    def on_click() -> None:
        rerender()

    return html.div(
        {"id": "rerender"}, f"UUID: {uuid4()}", html.button({"onClick": on_click}, "Rerender")
    )


@component
def greeting(name: str, punctuation: str = ".") -> VdomDict:
    """Arguments from the template tag, prerendered into the HTTP response."""
    scope = use_scope()
    return html.p({"id": "greeting"}, f"Hello, {name}{punctuation} (rendered over {scope['type']})")


@component
def offline_notice() -> VdomDict:
    """Shown by the browser while the server is unreachable (the tag's `offline=`)."""
    return html.p({"id": "offline"}, "The server is unreachable; reconnecting...")
