"""Test-only components made from Django views and static files (`reactpy_django.components`)."""

from __future__ import annotations

from typing import Any

from reactpy import component, hooks, html
from reactpy.core.types import VdomDict

from reactpy_django.components import django_css, django_js, view_to_component, view_to_iframe
from tests import django_views

function_component = view_to_component(django_views.function_view)
async_component = view_to_component(django_views.async_view)
class_component = view_to_component(django_views.ClassView)
as_view_component = view_to_component(django_views.ClassView.as_view())
template_component = view_to_component(django_views.GreetingTemplateView)
dotted_component = view_to_component("tests.django_views.dotted_view")
failing_component = view_to_component(django_views.failing_view)


def _reveal_secret(node: VdomDict) -> Any:
    """Rewrites `<span class="secret">` into a `<span id="revealed">`."""
    attributes = node.get("attributes", {})
    if node["tagName"] == "span" and attributes.get("class") == "secret":
        return html.span({"id": "revealed"}, "transformed")
    return node


transformed_component = view_to_component(
    django_views.transformed_view, transforms=[_reveal_secret]
)


@view_to_component
def decorated_view(request: Any) -> Any:
    """`@view_to_component` over a view: the bare decorator form."""
    from django.http import HttpResponse

    return HttpResponse("<p id='decorated-view'>Decorated</p>")


@component
def views_page() -> VdomDict:
    """Every kind of view, side by side."""
    return html.div(
        function_component(None, "Ada", key="function"),
        async_component(word="awaited", key="async"),
        class_component(key="class"),
        as_view_component(key="as-view"),
        template_component(key="template"),
        dotted_component(key="dotted"),
        transformed_component(key="transformed"),
        decorated_view(key="decorated"),
    )


@component
def failing_page() -> VdomDict:
    """A view that raises, beside a counter that must keep working."""
    count, set_count = hooks.use_state(0)

    def increment(event: object) -> None:
        set_count(count + 1)

    return html.div(
        html.div({"id": "failing-slot"}, failing_component(key="failing")),
        html.button({"id": "after-failure", "on_click": increment}, f"Clicked {count}"),
    )


iframe_component = view_to_iframe(django_views.iframe_view, extra_props={"id": "args-frame"})
iframe_class_component = view_to_iframe(
    django_views.IframeClassView.as_view(), extra_props={"id": "class-frame", "src": "/nope"}
)


@component
def iframe_page() -> VdomDict:
    """Two registered views in iframes, one with arguments."""
    return html.div(
        iframe_component("first", "2nd", colour="blue", key="args"),
        iframe_class_component(key="class"),
    )


@component
def assets_page() -> VdomDict:
    """A CSS and a JS static file; a button re-renders the page (the JS must not run again)."""
    renders, set_renders = hooks.use_state(0)

    def rerender(event: object) -> None:
        set_renders(renders + 1)

    return html.div(
        django_css("tests/view_assets.css", key="css"),
        django_js("tests/view_assets.js", key="js"),
        html.p({"id": "styled-by-django-css"}, "Styled"),
        html.button({"id": "rerender-assets", "on_click": rerender}, f"Renders {renders}"),
    )


@component
def missing_asset_page() -> VdomDict:
    """A static file that does not exist, beside content that must still show."""
    return html.div(
        html.div({"id": "missing-slot"}, django_css("tests/no-such-file.css")),
        html.p({"id": "beside-missing"}, "Still here"),
    )


strict_component = view_to_component(django_views.malformed_view)
lenient_component = view_to_component(django_views.malformed_view, strict_parsing=False)
echo_component = view_to_component(django_views.echo_view)
wrong_return_component = view_to_component(django_views.not_a_response_view)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]  # on purpose: a view returning str


@component
def parsing_page() -> VdomDict:
    """The same malformed HTML, strict (nothing shows) and lenient (repaired)."""
    return html.div(
        html.div({"id": "strict-slot"}, strict_component(key="strict")),
        html.div({"id": "lenient-slot"}, lenient_component(key="lenient")),
        html.div({"id": "wrong-slot"}, wrong_return_component(key="wrong")),
    )


@component
def changing_args_page() -> VdomDict:
    """The view's argument follows state; a POST request is passed explicitly."""
    from django.http import HttpRequest

    word, set_word = hooks.use_state("first")
    request = hooks.use_ref(HttpRequest())
    request.current.method = "POST"

    def change(event: object) -> None:
        set_word("second")

    return html.div(
        echo_component(request.current, word, key="echo"),
        html.button({"id": "change-word", "on_click": change}, "Change"),
    )
