from typing import Any

from reactpy import component, html
from reactpy.core.types import VdomDict

from demo_app.models import TodoItem
from reactpy_django.hooks import use_mutation


async def add_item(text: str) -> None:
    await TodoItem(text=text).asave()


@component
def todo_list() -> VdomDict:
    item_mutation = use_mutation(add_item)

    def submit_event(event: dict[str, Any]) -> None:
        if event["key"] == "Enter":
            item_mutation(text=event["target"]["value"])

    if item_mutation.loading:
        mutation_status = html.h2("Adding...")
    elif item_mutation.error:
        mutation_status = html.h2("Error when adding!")
    else:
        mutation_status = html.h2("Mutation done.")

    return html.div(
        html.label("Add an item:"),
        html.input({"type": "text", "on_key_down": submit_event}),
        mutation_status,
    )
