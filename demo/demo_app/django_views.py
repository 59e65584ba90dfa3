"""Plain Django views that the drop-in demo page shows as components and in an iframe."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.generic import TemplateView

from demo_app.models import TodoItem

__all__ = ["TodoTableView", "greeting_frame"]


class TodoTableView(TemplateView):
    """The todo page's items as an HTML table (shown with `view_to_component`)."""

    template_name = "demo_app/todo_table.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        """The items, oldest first; `version` (a keyword the page passes) counts reloads."""
        context = super().get_context_data(**kwargs)
        context["items"] = TodoItem.objects.order_by("pk")
        return context


def greeting_frame(request: HttpRequest, *names: str, greeting: str = "Hello") -> HttpResponse:
    """A whole page greeting `names` (shown with `view_to_iframe`, arguments in its URL)."""
    return render(
        request,
        "demo_app/greeting_frame.html",
        {
            "greeting": greeting,
            "names": " and ".join(names) or "nobody",
            "url": request.get_full_path(),
        },
    )
