from reactpy import component, html
from reactpy.core.types import VdomDict

from reactpy_django.hooks import use_user


@component
def my_component() -> VdomDict:
    user = use_user()

    return html.div(user.get_username())
