"""Components of the drop-in demo page: Django views, static files, `django_form`,
`user_passes_test` and `django_router`, each the way a reactpy-django 5.2.1 site writes it."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from reactpy import component, hooks, html
from reactpy.core.component import Component
from reactpy.core.types import VdomDict
from reactpy_router import link, route, use_params

from demo_app.django_views import TodoTableView, greeting_frame
from demo_app.forms import TodoItemForm
from reactpy_django.components import (
    django_css,
    django_form,
    django_js,
    view_to_component,
    view_to_iframe,
)
from reactpy_django.decorators import user_passes_test
from reactpy_django.hooks import use_auth, use_location, use_user
from reactpy_django.router import django_router
from reactpy_django.types import FormEventData

__all__ = [
    "DEMO_USERNAME",
    "greeting_iframe",
    "iframe_section",
    "members_section",
    "router_section",
    "static_files_section",
    "todo_form_section",
    "todo_table",
    "todo_table_section",
]

DEMO_USERNAME = "ExampleUser"
"""The user the login button logs in (the users page logs in the same one)."""

todo_table = view_to_component(TodoTableView)
"""The todo items' table, rendered by a `TemplateView` on the query threads."""

greeting_iframe = view_to_iframe(
    greeting_frame,
    extra_props={
        "id": "greeting-frame",
        # Replaces the default style (no border): here the frame's edge shows.
        "style": {"border": "1px dashed #999", "width": "100%", "height": "7rem"},
    },
)
"""`greeting_frame` in an `<iframe>` (registered in `DemoAppConfig.ready`)."""


@component
def todo_table_section() -> VdomDict:
    """The view's table; the button passes a new keyword, which runs the view again."""
    version, set_version = hooks.use_state(0)

    def reload(event: object) -> None:
        set_version(version + 1)

    return html.div(
        todo_table(version=version),
        html.button({"id": "reload-table", "on_click": reload}, "Run the view again"),
    )


@component
def iframe_section() -> VdomDict:
    """`greeting_frame` in an iframe, given two positional arguments and a keyword."""
    return html.div(greeting_iframe("Ada", "Grace", greeting="Welcome"))


@component
def static_files_section() -> VdomDict:
    """A CSS file applied and a JS file run once, however often the component re-renders."""
    renders, set_renders = hooks.use_state(0)

    def rerender(event: object) -> None:
        set_renders(renders + 1)

    return html.div(
        django_css("demo_app/dropin.css"),
        django_js("demo_app/dropin.js"),
        html.p(
            {"id": "dropin-styled", "class_name": "dropin-styled"},
            "Green and bold: the rule comes from demo_app/dropin.css.",
        ),
        html.p("demo_app/dropin.js has run ", html.b({"id": "dropin-js-runs"}), " time(s)."),
        html.button(
            {"id": "rerender-static", "on_click": rerender}, f"Re-render ({renders} so far)"
        ),
    )


@user_passes_test(
    lambda user: user.is_authenticated,
    fallback=html.p({"id": "members-fallback"}, "Members only: log in to see this."),
)
@component
def members_only() -> VdomDict:
    """Shown to logged-in users; everyone else gets the fallback."""
    return html.p(
        {"id": "members-content"},
        f"Welcome, {use_user().get_username()}: only logged-in users see this.",
    )


@component
def members_section() -> VdomDict:
    """Log in and out with `use_auth`; `members_only` switches without a reload."""
    auth = use_auth()
    user = use_user()

    async def login(event: object) -> None:
        # Demo only: no password. A real site checks one with django.contrib.auth.aauthenticate.
        demo_user, _created = await get_user_model().objects.aget_or_create(username=DEMO_USERNAME)
        await auth.login(demo_user)

    async def logout(event: object) -> None:
        await auth.logout()

    button = (
        html.button({"id": "members-logout", "on_click": logout}, f"Log out {user.get_username()}")
        if user.is_authenticated
        else html.button({"id": "members-login", "on_click": login}, f"Log in as {DEMO_USERNAME}")
    )
    return html.div(button, members_only())


_LINKS = {
    "home": "/dropin/",
    "square": "/dropin/square/12/",
    "hello": "/dropin/hello/ada-lovelace/",
    "nowhere": "/dropin/no/such/page/",
}


def _router_page(title: str, body: str) -> VdomDict:
    """One route's content: links to every route (a `link` must be inside the router), its
    text, and the URL `use_location()` gives inside the router."""
    location = use_location()
    return html.div(
        html.nav(
            [
                html.span({"key": name}, link({"to": to, "id": f"route-{name}"}, to), " ")
                for name, to in _LINKS.items()
            ]
        ),
        html.h3({"id": "route-title"}, title),
        html.p({"id": "route-body"}, body),
        html.p({"id": "route-location"}, f"use_location(): {location.pathname}"),
    )


@component
def _home() -> VdomDict:
    return _router_page("Home", "Follow a link: the page changes, the WebSocket stays.")


@component
def _square() -> VdomDict:
    number = use_params()["number"]
    return _router_page(
        "Square",
        f"number={number!r} ({type(number).__name__}); its square is {number * number}.",
    )


@component
def _hello() -> VdomDict:
    name = use_params()["name"]
    return _router_page("Hello", f"name={name!r} ({type(name).__name__}): hello, {name}!")


@component
def _not_found() -> VdomDict:
    rest = use_params()["rest"]
    return _router_page("Not found", f"No route matched; <any:rest> caught rest={rest!r}.")


@component
def router_section() -> Component:
    """Four routes with Django's converters; the last one catches every other URL."""
    return django_router(
        route("/dropin/", _home()),
        route("/dropin/square/<int:number>/", _square()),
        route("/dropin/hello/<slug:name>/", _hello()),
        route("/dropin/<any:rest>", _not_found()),
    )


@component
def todo_form_section() -> VdomDict:
    """A `ModelForm` of the todo items: validated on the server, saved when valid."""
    saved, set_saved = hooks.use_state("")

    def on_success(event: FormEventData[TodoItemForm]) -> None:
        set_saved(event.form.cleaned_data["text"])

    return html.div(
        django_form(
            TodoItemForm,
            on_success=on_success,
            extra_props={"id": "todo-form"},
            bottom_children=[html.button({"type": "submit", "id": "todo-form-submit"}, "Add")],
        ),
        html.p({"id": "todo-form-saved"}, f"Saved: {saved}" if saved else "Nothing saved yet."),
    )
