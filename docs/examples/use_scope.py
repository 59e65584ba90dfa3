from reactpy import component, html
from reactpy.core.types import VdomDict

from reactpy_django.hooks import use_scope


@component
def my_component() -> VdomDict:
    scope = use_scope()

    return html.div(str(scope))
