from django.http import HttpRequest, HttpResponse
from reactpy import component, html
from reactpy.core.types import VdomDict

from reactpy_django.components import view_to_component


def hello_view(request: HttpRequest, name: str = "world") -> HttpResponse:
    return HttpResponse(f"<p>Hello {name}, from a Django view.</p>")


hello = view_to_component(hello_view)


@component
def my_component() -> VdomDict:
    return html.div(
        hello(),  # the view gets a GET request carrying the connection's user and session
        hello(name="Ada"),  # keyword arguments go to the view
    )
