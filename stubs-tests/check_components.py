"""reactpy_django.components: the constructors' types, and arguments a checker must reject."""

from __future__ import annotations

from typing import Any, assert_type

from django.http import HttpRequest, HttpResponse
from django.views.generic import TemplateView
from reactpy.core.types import ComponentType

from reactpy_django.components import django_css, django_js, view_to_component, view_to_iframe
from reactpy_django.types import ViewToComponentConstructor, ViewToIframeConstructor
from reactpy_django.utils import register_iframe


def hello(request: HttpRequest, name: str = "world") -> HttpResponse:
    return HttpResponse(f"<p>{name}</p>")


async def hello_async(request: HttpRequest) -> HttpResponse:
    return HttpResponse("<p>async</p>")


class Page(TemplateView):
    template_name = "page.html"


def not_a_view(request: HttpRequest) -> str:
    return "<p>a string is not a response</p>"


def each_view_kind_gives_a_constructor() -> None:
    assert_type(view_to_component(hello), ViewToComponentConstructor)
    assert_type(view_to_component(hello_async), ViewToComponentConstructor)
    assert_type(view_to_component(Page), ViewToComponentConstructor)
    assert_type(view_to_component(Page.as_view()), ViewToComponentConstructor)
    assert_type(view_to_component("myapp.views.hello"), ViewToComponentConstructor)
    assert_type(view_to_iframe(hello, extra_props={"id": "frame"}), ViewToIframeConstructor)


@view_to_component
def decorated(request: HttpRequest) -> HttpResponse:
    return HttpResponse("<p>decorated</p>")


def the_bare_decorator_gives_a_constructor() -> None:
    assert_type(decorated, ViewToComponentConstructor)
    assert_type(decorated(None, key="k"), ComponentType)


def constructors_give_components() -> None:
    constructor = view_to_component(hello, transforms=[lambda node: node], strict_parsing=False)
    assert_type(constructor(), ComponentType)
    assert_type(constructor(None, "Ada", key="greeting"), ComponentType)
    assert_type(constructor(HttpRequest(), name="Ada", key=3), ComponentType)
    frame = view_to_iframe(hello)
    assert_type(frame("a", key="frame", colour="blue"), ComponentType)
    assert_type(django_css("app/style.css"), ComponentType)
    assert_type(django_js("app/script.js", key="js"), ComponentType)
    assert_type(django_js("app/script.js", "js"), ComponentType)


def register_iframe_takes_views() -> None:
    register_iframe(hello)
    register_iframe(Page)
    register_iframe("myapp.views.hello")


def rejected(anything: Any) -> None:
    view_to_component(42)  # E: arg-type reportArgumentType
    view_to_component(not_a_view)  # E: arg-type reportArgumentType
    view_to_iframe(object())  # E: arg-type reportArgumentType
    register_iframe(3.5)  # E: arg-type reportArgumentType
    view_to_component(hello)(None, key=1.5)  # E: arg-type reportArgumentType
    view_to_iframe(hello)(key=[1])  # E: arg-type reportArgumentType
    django_css(123)  # E: arg-type reportArgumentType
    django_js("app.js", key=None, extra=1)  # E: call-arg reportCallIssue
