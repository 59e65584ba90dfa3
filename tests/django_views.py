"""Test-only Django views of every kind, shown through `view_to_component` / `view_to_iframe`."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.utils.html import escape
from django.views import View
from django.views.generic import TemplateView


def function_view(request: HttpRequest, name: str = "world") -> HttpResponse:
    """A sync function view with an argument; it queries the database (off the event loop)."""
    users = User.objects.count()
    return HttpResponse(
        f"<p id='function-view'>Hello {escape(name)} from {request.method}, {users} users</p>"
    )


async def async_view(request: HttpRequest, *, word: str = "async") -> HttpResponse:
    """An async function view."""
    return HttpResponse(f"<p id='async-view'>An {escape(word)} view</p>")


class ClassView(View):
    """A class-based view."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Answers GET only."""
        return HttpResponse("<html><body><p id='class-view'>A class view</p></body></html>")


class GreetingTemplateView(TemplateView):
    """A `TemplateView`: its response is rendered lazily."""

    template_name = "tests/view_template.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        """The template's rows."""
        context = super().get_context_data(**kwargs)
        context["rows"] = ["one", "two", "three"]
        return context


def dotted_view(request: HttpRequest) -> HttpResponse:
    """Named by its dotted path."""
    return HttpResponse("<p id='dotted-view'>Found by its dotted path</p>")


def transformed_view(request: HttpRequest) -> HttpResponse:
    """HTML that a transform rewrites."""
    return HttpResponse(
        "<div id='transformed-view'><span class='secret'>raw</span><b>kept</b></div>"
    )


def failing_view(request: HttpRequest) -> HttpResponse:
    """Raises on every call."""
    msg = "failing_view exploded on purpose"
    raise RuntimeError(msg)


def iframe_view(request: HttpRequest, *args: str, **kwargs: str | list[str]) -> HttpResponse:
    """Shows the arguments it got from the iframe's query string."""
    shown = ", ".join(f"{key}={value}" for key, value in sorted(kwargs.items()))
    return HttpResponse(
        f"<!doctype html><html><body><p id='iframe-args'>args={escape(list(args))} "
        f"kwargs={escape(shown)}</p></body></html>"
    )


class IframeClassView(View):
    """A class-based view registered for iframes by class."""

    def get(self, request: HttpRequest) -> HttpResponse:
        """Answers GET only."""
        return HttpResponse("<p id='iframe-class'>Class view in a frame</p>")


def malformed_view(request: HttpRequest) -> HttpResponse:
    """HTML that strict parsing refuses (a stray end tag) and lxml can repair."""
    return HttpResponse("<div id='malformed'>repaired</span></div>")


def echo_view(request: HttpRequest, word: str) -> HttpResponse:
    """Shows its argument and the request's method."""
    return HttpResponse(f"<p id='echo'>{escape(word)} via {request.method}</p>")


def not_a_response_view(request: HttpRequest) -> str:
    """Returns a string, which no Django view may."""
    return "<p>not a response</p>"
