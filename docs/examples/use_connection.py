from reactpy import component, html
from reactpy.core.types import VdomDict

from reactpy_django.hooks import use_connection


@component
def my_component() -> VdomDict:
    connection = use_connection()

    return html.div(str(connection))
