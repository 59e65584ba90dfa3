from django.http import HttpRequest, HttpResponse
from reactpy import component, html
from reactpy.core.types import VdomDict

from reactpy_django.components import view_to_iframe


def greeting_view(request: HttpRequest, name: str = "world") -> HttpResponse:
    return HttpResponse(f"<p>Hello {name}, from inside the iframe.</p>")


greeting = view_to_iframe(greeting_view, extra_props={"title": "Greeting"})


@component
def my_component() -> VdomDict:
    return html.div(greeting(name="Ada"))  # arguments reach the view as strings
