from reactpy import component, html
from reactpy.core.types import VdomDict

from reactpy_django.hooks import use_location


@component
def my_component() -> VdomDict:
    location = use_location()

    return html.div(location.pathname + location.search)
