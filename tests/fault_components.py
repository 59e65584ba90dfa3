"""Components for the hostile-input and fault tests: slow handlers, database-backed lists.

Tests and components share one process (`reactpy_django.testing.mount` runs the consumer
in-process), so module-level probes are how a test steers a handler and reads what it did.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from reactpy import component, hooks, html
from reactpy.core.types import VdomDict

from demo_app.models import TodoItem
from reactpy_django._json import is_object
from reactpy_django.hooks import use_mutation, use_query, use_user_data

__all__ = [
    "SLOW",
    "SlowProbe",
    "add_todo",
    "db_sleep",
    "get_todos",
    "sleeper",
    "slow_sink",
    "todo_list",
    "user_notes",
    "victim",
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


@component
def victim() -> VdomDict:
    """What a hostile client aims at: a counting sink that takes any data, a field whose
    handler indexes into its event (wrong data makes it raise), and a marker button."""
    count, set_count = hooks.use_state(0)
    typed, set_typed = hooks.use_state("")
    marker, set_marker = hooks.use_state(0)

    def on_sink(*data: object) -> None:
        set_count(lambda old: old + 1)

    def on_key_down(event: dict[str, Any]) -> None:
        set_typed(str(event["target"]["value"]) + str(event["key"]))

    def on_marker(*data: object) -> None:
        set_marker(lambda old: old + 1)

    return html.div(
        html.button({"id": "sink", "on_click": on_sink}, f"events:{count}"),
        html.input({"id": "field", "on_key_down": on_key_down}),
        html.span({"id": "typed"}, f"typed:{typed}"),
        html.button({"id": "marker", "on_click": on_marker}, f"marker:{marker}"),
    )


def _value(event: dict[str, Any]) -> str:
    """The typed value of a key or change event's target ("" if it has none)."""
    target = event.get("target")
    return str(target.get("value", "")) if is_object(target) else ""


def _name(error: Exception | None) -> str:
    return type(error).__name__ if error is not None else "None"


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

    def on_add(event: dict[str, Any]) -> None:
        mutation(_value(event))

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
            f"query loading={query.loading} error={_name(query.error)} items={items}",
        ),
        html.span(
            {"id": "mutation"},
            f"mutation loading={mutation.loading} error={_name(mutation.error)}",
        ),
    )


@component
def user_notes() -> VdomDict:
    """`use_user_data`: shows the stored notes and stores what is typed, replacing them."""
    query, mutation = use_user_data()

    def on_key_down(event: dict[str, Any]) -> None:
        mutation({"notes": _value(event)})

    def on_refetch(event: object) -> None:
        query.refetch()

    notes = query.data.get("notes") if query.data else None
    return html.div(
        html.input({"id": "notes", "on_key_down": on_key_down}),
        html.button({"id": "refetch", "on_click": on_refetch}, "Refetch"),
        html.span(
            {"id": "data"},
            f"notes={notes} loading={query.loading} error={_name(query.error)}",
        ),
        html.span(
            {"id": "write"},
            f"write loading={mutation.loading} error={_name(mutation.error)}",
        ),
    )


def db_sleep(seconds: float) -> str:
    """Sleep inside the database (PostgreSQL's `pg_sleep`), then answer."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(%s)", [seconds])
    return f"slept {seconds}"


@component
def sleeper() -> VdomDict:
    """A query that sleeps 30 s in the database until the "fast" button makes it 0 s."""
    seconds, set_seconds = hooks.use_state(30.0)
    query = use_query(db_sleep, {"seconds": seconds}, postprocessor=None)

    def on_fast(event: object) -> None:
        set_seconds(0.0)

    return html.div(
        html.button({"id": "fast", "on_click": on_fast}, "Fast"),
        html.span(
            {"id": "query"},
            f"data={query.data} loading={query.loading} error={_name(query.error)}",
        ),
    )
