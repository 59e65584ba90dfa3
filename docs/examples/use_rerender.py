from uuid import uuid4

from reactpy import component, html
from reactpy.core.types import VdomDict

from reactpy_django.hooks import use_rerender


@component
def my_component() -> VdomDict:
    rerender = use_rerender()

    def on_click() -> None:
        rerender()

    return html.div(f"UUID: {uuid4()}", html.button({"onClick": on_click}, "Rerender"))
