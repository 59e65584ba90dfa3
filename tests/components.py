"""Test-only components: the runtime's (mount, arguments, connection hooks, lifecycle)."""

from __future__ import annotations

import asyncio
from typing import Any
from uuid import uuid4

from reactpy import component, hooks, html
from reactpy.core.types import VdomDict

from reactpy_django._state import connection_state
from reactpy_django.hooks import (
    use_connection,
    use_location,
    use_origin,
    use_rerender,
    use_root_id,
    use_scope,
)

Theme = hooks.create_context("none")

LIFECYCLE: dict[str, list[str]] = {}
"""What `lifecycle_probe` instances did, by root id (read by the tests)."""


@component
def counter(start: int = 0, label: str = "Count") -> VdomDict:
    """A button that counts its clicks."""
    count, set_count = hooks.use_state(start)

    def increment(event: object) -> None:
        set_count(count + 1)

    return html.div(
        html.button({"id": "increment", "on_click": increment}, "+1"),
        html.span({"id": "count"}, f"{label}: {count}"),
    )


@component
def themed_leaf(index: int) -> VdomDict:
    """Reads the context and sets its own state in an effect."""
    theme = hooks.use_context(Theme)
    ready, set_ready = hooks.use_state(False)

    @hooks.use_effect(dependencies=[])
    def mark_ready() -> None:
        set_ready(True)

    return html.span({"id": f"leaf-{index}"}, f"{theme}:{index}:{'ready' if ready else 'wait'}")


@component
def themed_tree() -> VdomDict:
    """A context provider whose value is this connection's own location, over nested leaves."""
    location = use_location()
    value = location.search.removeprefix("?theme=") or "none"
    return html.div(Theme(html.div([themed_leaf(i, key=str(i)) for i in range(4)]), value=value))


@component
def broken_render(message: str = "the render failed") -> VdomDict:
    """Raises while rendering (ReactPy's debug mode shows the error in the page)."""
    raise RuntimeError(message)


def broken_constructor() -> VdomDict:
    """A registered root that is no component and raises when the consumer builds it."""
    raise ValueError("no database today")


@component
def root_id_view() -> VdomDict:
    """Shows the root id."""
    return html.span({"id": "root"}, use_root_id())


@component
def hook_report() -> VdomDict:
    """What every connection hook returns, one element each."""
    connection = use_connection()
    scope = use_scope()
    location = use_location()
    origin = use_origin()
    return html.dl(
        html.dd({"id": "carrier"}, type(connection.carrier).__name__),
        html.dd({"id": "dotted-path"}, getattr(connection.carrier, "dotted_path", "-")),
        html.dd({"id": "scope-type"}, str(scope.get("type"))),
        html.dd({"id": "scope-is-carriers"}, str(scope is getattr(connection.carrier, "scope", 0))),
        html.dd({"id": "location"}, location.pathname + location.search),
        html.dd({"id": "search"}, repr(location.search)),
        html.dd({"id": "origin"}, origin or "No origin"),
        html.dd({"id": "root-id"}, use_root_id()),
        html.dd({"id": "connection-str"}, str(connection)),
    )


@component
def uuid_leaf(name: str) -> VdomDict:
    """A fresh uuid on every render: shows whether this component rendered again."""
    return html.span({"id": f"{name}-uuid"}, f"{name}:{uuid4()}")


@component
def uuid_branch() -> VdomDict:
    """A child with its own uuid and a grandchild: neither's state changes on a rerender."""
    return html.div(uuid_leaf("child"), html.div(uuid_leaf("grandchild")))


@component
def rerender_tree() -> VdomDict:
    """`use_rerender` at the top, a counter whose state must survive it, nested uuid leaves."""
    rerender = use_rerender()
    count, set_count = hooks.use_state(0)

    def on_click() -> None:  # the hooks doc's zero-argument handler
        rerender()

    def bump(event: object) -> None:
        set_count(count + 1)

    return html.div(
        html.button({"id": "rerender", "onClick": on_click}, "Rerender"),
        html.button({"id": "bump", "onClick": bump}, "Bump"),
        html.span({"id": "bumps"}, f"bumps:{count}"),
        html.span({"id": "parent-uuid"}, f"parent:{uuid4()}"),
        uuid_branch(),
    )


@component
def arguments_view(*args: Any, **kwargs: Any) -> VdomDict:
    """Shows the positional and keyword arguments it received, with their types."""
    return html.div(
        html.pre({"id": "args"}, repr(args)),
        html.pre({"id": "kwargs"}, repr(dict(sorted(kwargs.items())))),
    )


@component
def greeting(name: str, punctuation: str = ".") -> VdomDict:
    """Arguments from the template tag; the scope type tells prerender from WebSocket."""
    scope = use_scope()
    origin = use_origin()
    return html.p(
        {"id": "greeting", "class_name": "greeting"},
        f"Hello, {name}{punctuation} ",
        html.span({"id": "rendered-over"}, str(scope.get("type"))),
        html.span({"id": "greeting-origin"}, origin or "No origin"),
    )


@component
def offline_notice() -> VdomDict:
    """Shown by the browser while the WebSocket is down."""
    return html.p({"id": "offline"}, "Offline: reconnecting...")


HANDLER_TASKS: dict[str, list[asyncio.Task[Any] | None]] = {"sync": [], "async": []}
"""The task each click of `handler_tasks` ran in, by the kind of handler."""


@component
def handler_tasks() -> VdomDict:
    """Two buttons, a sync and an async handler, each noting the task it runs in."""
    clicks, set_clicks = hooks.use_state(0)

    def on_sync(event: object) -> None:
        HANDLER_TASKS["sync"].append(asyncio.current_task())
        set_clicks(lambda current: current + 1)

    async def on_async(event: object) -> None:
        HANDLER_TASKS["async"].append(asyncio.current_task())
        set_clicks(lambda current: current + 1)

    return html.div(
        html.button({"id": "sync", "on_click": on_sync}, "sync"),
        html.button({"id": "async", "on_click": on_async}, "async"),
        html.span({"id": "clicks"}, f"clicks:{clicks}"),
    )


@component
def event_sink() -> VdomDict:
    """A button counting the events it got; its handler accepts any data."""
    count, set_count = hooks.use_state(0)

    def on_click(*data: object) -> None:
        set_count(lambda current: current + 1)

    return html.button({"id": "sink", "on_click": on_click}, f"events:{count}")


@component
def form_echo() -> VdomDict:
    """An input that shows what was typed (key down) and what changed (change)."""
    typed, set_typed = hooks.use_state("")
    changed, set_changed = hooks.use_state("")

    def on_key_down(event: dict[str, Any]) -> None:
        if event["key"] == "Enter":
            set_typed(str(event["target"]["value"]))

    def on_change(event: dict[str, Any]) -> None:
        set_changed(str(event["target"]["value"]))

    return html.div(
        html.input({"id": "field", "on_key_down": on_key_down, "on_change": on_change}),
        html.span({"id": "typed"}, f"typed:{typed}"),
        html.span({"id": "changed"}, f"changed:{changed}"),
    )


@component
def lifecycle_probe() -> VdomDict:
    """An endless async effect and a background task; both record how they ended."""
    root_id = use_root_id()
    scope = use_scope()
    log = LIFECYCLE.setdefault(root_id, [])

    @hooks.use_effect(dependencies=[])
    async def wait_forever() -> None:
        try:
            await asyncio.Event().wait()
        finally:
            log.append("effect cancelled")

    @hooks.use_effect(dependencies=[])
    def start_background_work() -> None:
        async def work() -> None:
            try:
                await asyncio.Event().wait()
            finally:
                log.append("task cancelled")

        connection_state(scope).spawn(work(), name="probe")
        log.append("started")

    return html.p({"id": "probe"}, "probing")


# The hooks doc's connection-hook examples, exactly as written there (types added).


@component
def doc_use_connection() -> VdomDict:
    """Doc example: Use Connection."""
    connection = use_connection()

    return html.div(str(connection))


@component
def doc_use_scope() -> VdomDict:
    """Doc example: Use Scope."""
    scope = use_scope()

    return html.div(str(scope))


@component
def doc_use_location() -> VdomDict:
    """Doc example: Use Location."""
    location = use_location()

    return html.div(location.pathname + location.search)


@component
def doc_use_origin() -> VdomDict:
    """Doc example: Use Origin."""
    origin = use_origin()

    return html.div(origin or "No origin")


@component
def doc_use_root_id() -> VdomDict:
    """Doc example: Use Root ID."""
    root_id = use_root_id()

    return html.div(f"Root ID: {root_id}")


@component
def doc_use_rerender() -> VdomDict:
    """Doc example: Use Re-render (its click handler takes no argument)."""
    rerender = use_rerender()

    def on_click() -> None:
        rerender()

    return html.div(f"UUID: {uuid4()}", html.button({"onClick": on_click}, "Rerender"))
