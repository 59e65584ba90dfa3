"""Components of the database-hooks demo page: the hooks doc's todo list.

`todo_list` is the doc's "Can use_mutation trigger a refetch of use_query?" example with the
reset button of "Can I make a failed mutation try again?": adding a blank item fails the
model's validation, shows the error, and "Try again" resets it. `todo_summary` is another
component using the same query function, so every add refreshes it too (and the list in any
other tab). `todo_done` toggles an item with a mutation that refetches both.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from reactpy import component, html
from reactpy.core.types import VdomDict

from demo_app.models import TodoItem
from reactpy_django.hooks import use_mutation, use_query


def get_items() -> QuerySet[TodoItem]:
    """The query function: every item, oldest first."""
    return TodoItem.objects.order_by("pk")


def add_item(text: str) -> None:
    """The mutation function: a blank or over-long text fails validation."""
    item = TodoItem(text=text.strip())
    item.full_clean()
    item.save()


def toggle_item(pk: int) -> None:
    """Mark an item done, or not done."""
    item = TodoItem.objects.get(pk=pk)
    item.done = not item.done
    item.save(update_fields=["done"])


@component
def todo_list() -> VdomDict:
    """Add items; the list refetches after each successful add."""
    item_query = use_query(get_items)
    item_mutation = use_mutation(add_item, refetch=get_items)
    toggle_mutation = use_mutation(toggle_item, refetch=get_items)

    def reset_event(event: object) -> None:
        item_mutation.reset()

    def submit_event(event: dict[str, Any]) -> None:
        if event["key"] == "Enter":
            item_mutation(text=event["target"]["value"])

    def toggle_event(pk: int) -> Callable[[], None]:
        return lambda: toggle_mutation(pk)

    # Handle all possible query states
    if item_query.loading and item_query.data is None:
        rendered_items = html.h2("Loading...")
    elif item_query.error or item_query.data is None:
        rendered_items = html.h2("Error when loading!")
    elif not item_query.data:
        rendered_items = html.p({"id": "empty"}, "Nothing to do yet.")
    else:
        rendered_items = html.ul(
            {"id": "items"},
            [
                html.li(
                    {"key": item.pk},
                    html.label(
                        html.input(
                            {
                                "type": "checkbox",
                                "checked": item.done,
                                "on_change": toggle_event(item.pk),
                            }
                        ),
                        html.s(item.text) if item.done else item.text,
                    ),
                )
                for item in item_query.data
            ],
        )
    # Handle all possible mutation states
    if item_mutation.loading:
        mutation_status = html.h2("Adding...")
    elif item_mutation.error:
        mutation_status = html.button(
            {"id": "try-again", "on_click": reset_event},
            f"Error: {_reason(item_mutation.error)} Try again!",
        )
    else:
        mutation_status = html.h2("Mutation done.")
    return html.div(
        html.label({"html_for": "new-item"}, "Add an item: "),
        html.input({"id": "new-item", "type": "text", "on_key_down": submit_event}),
        mutation_status,
        rendered_items,
    )


def _reason(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return f"{error}."


@component
def todo_summary() -> VdomDict:
    """Another component with the same query function: refetched by the same mutations."""
    item_query = use_query(get_items)
    if item_query.data is None:
        return html.p({"id": "summary"}, "Counting...")
    done = sum(1 for item in item_query.data if item.done)
    loading = " (refreshing)" if item_query.loading else ""
    return html.p({"id": "summary"}, f"{len(item_query.data)} items, {done} done{loading}")
