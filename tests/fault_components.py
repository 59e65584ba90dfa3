"""Components for the hostile-input and fault tests: slow handlers, database-backed lists.

Tests and components share one process (`reactpy_django.testing.mount` runs the consumer
in-process), so module-level probes are how a test steers a handler and reads what it did.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from reactpy import component, hooks, html
from reactpy.core.types import VdomDict

from demo_app.models import TodoItem
from reactpy_django.hooks import use_mutation, use_query, use_user_data
from reactpy_django.types import ChannelMessage

__all__ = [
    "SLOW",
    "SlowProbe",
    "add_todo",
    "get_todos",
    "slow_sink",
    "todo_list",
    "user_notes",
]


@dataclass
class SlowProbe:
    """What the `slow_sink` handlers of one root did; `gate` holds them until it is set."""

    gate: asyncio.Event = field(default_factory=asyncio.Event)
    running: int = 0
    most_running: int = 0
    finished: int = 0
    cancelled: int = 0


SLOW: dict[str, SlowProbe] = {}
"""`slow_sink` probes by the test's `name` argument."""


@component
def slow_sink(name: str) -> VdomDict:
    """A button whose async handler waits for the test's gate: a flood piles up handlers."""
    probe = SLOW.setdefault(name, SlowProbe())
    done, set_done = hooks.use_state(0)

    async def on_click(event: object) -> None:
        probe.running += 1
        probe.most_running = max(probe.most_running, probe.running)
        try:
            await probe.gate.wait()
        except asyncio.CancelledError:
            probe.cancelled += 1
            raise
        finally:
            probe.running -= 1
        probe.finished += 1
        set_done(lambda old: old + 1)

    return html.button({"id": "slow", "on_click": on_click}, f"done:{done}")


def get_todos() -> list[str]:
    """Every todo item's text, in insertion order (a sync query: runs in a query thread)."""
    return [item.text for item in TodoItem.objects.order_by("pk")]


def add_todo(text: str) -> None:
    """Store one todo item."""
    TodoItem.objects.create(text=text)


@component
def todo_list() -> VdomDict:
    """A `use_query` list, a refetch button, and a `use_mutation` that adds an item."""
    query = use_query(get_todos, postprocessor=None)
    mutation = use_mutation(add_todo, refetch=get_todos)
    clicks, set_clicks = hooks.use_state(0)

    def on_refetch(event: object) -> None:
        query.refetch()

    def on_add(event: ChannelMessage) -> None:
        target = event.get("target")
        value = target.get("value", "") if isinstance(target, dict) else ""
        mutation(str(value))

    def on_click(event: object) -> None:
        set_clicks(clicks + 1)

    items = ",".join(query.data) if query.data is not None else "-"
    return html.div(
        html.button({"id": "refetch", "on_click": on_refetch}, "Refetch"),
        html.input({"id": "add", "on_key_down": on_add}),
        html.button({"id": "click", "on_click": on_click}, "Click"),
        html.span({"id": "clicks"}, f"clicks:{clicks}"),
        html.span(
            {"id": "query"},
            f"query loading={query.loading} error={type(query.error).__name__ if query.error else None} "
            f"items={items}",
        ),
        html.span(
            {"id": "mutation"},
            f"mutation loading={mutation.loading} "
            f"error={type(mutation.error).__name__ if mutation.error else None}",
        ),
    )


@component
def user_notes() -> VdomDict:
    """`use_user_data`: shows the stored notes and stores what is typed, replacing them."""
    query, mutation = use_user_data()

    def on_key_down(event: ChannelMessage) -> None:
        target = event.get("target")
        value = target.get("value", "") if isinstance(target, dict) else ""
        mutation({"notes": str(value)})

    def on_refetch(event: object) -> None:
        query.refetch()

    notes = query.data.get("notes") if query.data else None
    return html.div(
        html.input({"id": "notes", "on_key_down": on_key_down}),
        html.button({"id": "refetch", "on_click": on_refetch}, "Refetch"),
        html.span(
            {"id": "data"},
            f"notes={notes} loading={query.loading} "
            f"error={type(query.error).__name__ if query.error else None}",
        ),
        html.span(
            {"id": "write"},
            f"write loading={mutation.loading} "
            f"error={type(mutation.error).__name__ if mutation.error else None}",
        ),
    )
