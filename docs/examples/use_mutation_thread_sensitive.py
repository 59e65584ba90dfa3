from typing import Any

from reactpy import component, html
from reactpy.core.types import VdomDict

from reactpy_django.hooks import use_mutation


def execute_thread_safe_mutation(text: str) -> None:
    """This is an example mutation function that does some thread-safe operation."""


@component
def my_component() -> VdomDict:
    item_mutation = use_mutation(
        execute_thread_safe_mutation,
        thread_sensitive=False,
    )

    def submit_event(event: dict[str, Any]) -> None:
        if event["key"] == "Enter":
            item_mutation(text=event["target"]["value"])

    if item_mutation.loading:
        mutation_status = html.h2("Doing something...")
    elif item_mutation.error:
        mutation_status = html.h2("Error!")
    else:
        mutation_status = html.h2("Done.")

    return html.div(
        html.input({"type": "text", "on_key_down": submit_event}),
        mutation_status,
    )
