from reactpy import component, html
from reactpy.core.types import VdomDict

from reactpy_django.hooks import use_origin


@component
def my_component() -> VdomDict:
    origin = use_origin()

    return html.div(origin or "No origin")
