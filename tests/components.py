"""Test-only components."""

from __future__ import annotations

from reactpy import component, hooks, html
from reactpy.core.types import VdomDict

from reactpy_django.hooks import use_location, use_root_id

Theme = hooks.create_context("none")


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
def root_id_view() -> VdomDict:
    """Shows the root id."""
    return html.span({"id": "root"}, use_root_id())
