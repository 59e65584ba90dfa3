from typing import Any

from reactpy import component, html
from reactpy.core.types import VdomDict

from demo_app.models import TodoItem
from reactpy_django.hooks import use_mutation


def add_item(text: str) -> None:
    item = TodoItem(text=text)
    item.full_clean()  # a blank text fails here, so the mutation fails
    item.save()


@component
def todo_list() -> VdomDict:
    item_mutation = use_mutation(add_item)

    def reset_event(event: object) -> None:
        item_mutation.reset()

    def submit_event(event: dict[str, Any]) -> None:
        if event["key"] == "Enter":
            item_mutation(text=event["target"]["value"])

    if item_mutation.loading:
        mutation_status = html.h2("Adding...")
    elif item_mutation.error:
        mutation_status = html.button({"on_click": reset_event}, "Error: Try again!")
    else:
        mutation_status = html.h2("Mutation done.")

    return html.div(
        html.label("Add an item:"),
        html.input({"type": "text", "on_key_down": submit_event}),
        mutation_status,
    )
