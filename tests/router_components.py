"""Test-only components for `reactpy_django.router.django_router`."""

from __future__ import annotations

from reactpy import component, html
from reactpy.core.component import Component
from reactpy.core.types import VdomDict
from reactpy_router import link, route, use_params

from reactpy_django.hooks import use_connection, use_location
from reactpy_django.router import django_router

UUID_TEXT = "6f1c2b9e-3d4a-4c5b-8e7f-0a1b2c3d4e5f"

_LINKS = {
    "home": "/router/",
    "int": "/router/int/42/",
    "uuid": f"/router/uuid/{UUID_TEXT}/",
    "slug": "/router/slug/a-slug_1/",
    "path": "/router/path/a/b/c.txt",
    "any": "/router/nowhere/at/all/",
}


def _nav() -> VdomDict:
    return html.nav(*(link({"to": to, "id": f"to-{name}"}, name) for name, to in _LINKS.items()))


@component
def _where() -> VdomDict:
    """Where the hooks say the browser is."""
    location = use_location()
    return html.div(
        html.p({"id": "location"}, f"location:{location.pathname}{location.search}"),
        html.p({"id": "connection-location"}, f"connection:{use_connection().location.pathname}"),
    )


@component
def _home() -> VdomDict:
    return html.div(_nav(), html.h1({"id": "page"}, "home"), _where())


@component
def _params(kind: str) -> VdomDict:
    shown = [
        html.li({"key": name}, f"{name}={value!s} ({type(value).__name__})")
        for name, value in sorted(use_params().items())
    ]
    return html.div(
        _nav(), html.h1({"id": "page"}, kind), html.ul({"id": "params"}, shown), _where()
    )


@component
def _not_found() -> VdomDict:
    return html.div(
        _nav(),
        html.h1({"id": "page"}, "not found"),
        html.ul(
            {"id": "params"}, [html.li(f"{name}={value!s}") for name, value in use_params().items()]
        ),
        _where(),
    )


@component
def router_app() -> Component:
    """Every converter and a catch-all; each page links to the others (a `link` must be
    inside the router)."""
    return django_router(
        route("/router/", _home()),
        route("/router/int/<int:number>/", _params("int")),
        route("/router/uuid/<uuid:value>/", _params("uuid")),
        route("/router/slug/<slug:value>/", _params("slug")),
        route("/router/path/<path:value>", _params("path")),
        route("/router/<any:rest>", _not_found()),
    )


@component
def router_without_catch_all() -> VdomDict:
    """No route matches most URLs: the router renders nothing, the page around it stays."""
    return html.div(
        html.p({"id": "shell"}, "shell"),
        django_router(route("/router-bare/int/<int:number>/", _params("int"))),
    )
