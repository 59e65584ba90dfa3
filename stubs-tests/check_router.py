"""django_router, DjangoResolver and CONVERTERS: routes in, a component out."""

from __future__ import annotations

from typing import Any, assert_type

from reactpy import component, html
from reactpy.core.component import Component
from reactpy.core.types import VdomDict
from reactpy_router import link, route, use_params
from reactpy_router.types import ConversionInfo, MatchedRoute

from reactpy_django.hooks import use_location
from reactpy_django.router import CONVERTERS, DjangoResolver, django_router


@component
def book() -> VdomDict:
    params = use_params()
    assert_type(params, dict[str, Any])  # values converted: int for <int:id>
    return html.p(f"Book {params['id']} at {use_location().pathname}")


def routes() -> None:
    app = django_router(
        route("/", html.p("home")),
        route("/books/<int:id>/", book(), route("reviews/", html.p("reviews"))),
        route("<any:rest>", html.p("not found")),
    )
    assert_type(app, Component)
    link({"to": "/books/1/"}, "first book")


def not_routes() -> None:
    django_router("/books/")  # E: arg-type reportArgumentType
    django_router(html.p("home"))  # E: arg-type reportArgumentType
    django_router(routes=[route("/", None)])  # E: call-arg reportCallIssue


def resolver() -> None:
    compiled = DjangoResolver(route("/books/<int:id>/", None))
    assert_type(compiled.resolve("/books/1/"), MatchedRoute | None)
    DjangoResolver(route("/", None), converters={"year": {"regex": "[0-9]{4}", "func": int}})
    DjangoResolver("/books/")  # E: arg-type reportArgumentType
    assert_type(CONVERTERS, dict[str, ConversionInfo])
    CONVERTERS["year"] = {"regex": "[0-9]{4}", "func": int}
    CONVERTERS["month"] = {"regex": "[0-9]{2}"}  # E: typeddict-item reportArgumentType
