from reactpy import component, html
from reactpy.core.types import VdomDict

from reactpy_django.decorators import user_passes_test


def login_prompt(title: str) -> VdomDict:
    """The fallback is called with the component's own arguments."""
    return html.p(f"Log in to read {title}.")


@user_passes_test(lambda user: user.is_authenticated, fallback=login_prompt)
@component
def dashboard(title: str) -> VdomDict:
    return html.h1(title)
