"""Demo pages: each renders one template of components."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

PAGES = {
    "connection": "Connection hooks: use_connection, use_scope, use_location, use_origin, "
    "use_root_id, use_rerender",
    "todo": "Database hooks: use_query and use_mutation (the doc's todo list)",
    "users": "User hooks: use_user, use_auth (persistent login) and use_user_data",
    "chat": "Communication hooks: use_channel_layer (a chat room)",
    "dropin": "Django views, forms and routing: view_to_component, view_to_iframe, "
    "django_css, django_js, django_form, user_passes_test, django_router",
}


def index(request: HttpRequest) -> HttpResponse:
    """The list of demo pages."""
    return render(request, "demo_app/index.html", {"pages": PAGES})


def page(name: str) -> Callable[[HttpRequest], HttpResponse]:
    """A view rendering `demo_app/<name>.html`."""

    def view(request: HttpRequest) -> HttpResponse:
        return render(request, f"demo_app/{name}.html", {"title": PAGES[name]})

    view.__name__ = f"{name}_page"
    return view
