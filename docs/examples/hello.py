from reactpy import component, html
from reactpy.core.types import VdomDict

from reactpy_django.hooks import use_location


@component
def hello(name: str, punctuation: str = ".") -> VdomDict:
    location = use_location()
    return html.p(f"Hello {name}{punctuation} You are at {location.pathname}")
