from reactpy import component, hooks, html
from reactpy.core.types import VdomDict


@component
def counter(start: int = 0) -> VdomDict:
    count, set_count = hooks.use_state(start)

    def increment(event: object) -> None:
        set_count(count + 1)

    return html.div(
        html.p({"id": "count"}, f"Count: {count}"),
        html.button({"id": "increment", "on_click": increment}, "+1"),
    )
