"""The `view_to_component` benchmark's site: a 50-row table view, as a page and as a component.

`bench.view_settings` makes this module the URLconf: `/bench/table/` serves the view over
plain HTTP (the floor), and `table_page` mounts it through `view_to_component`.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import URLPattern, path
from reactpy import component
from reactpy.core.types import ComponentType

from reactpy_django.components import view_to_component

if TYPE_CHECKING:
    from django.template.backends.base import _EngineTemplate

__all__ = ["ROWS", "table_page", "table_view", "urlpatterns"]

ROWS = 50
"""Rows in the table (the benchmark seeds this many todo items)."""


@cache
def _template() -> _EngineTemplate:
    # Compiled on first use: this module is imported (for ROWS) before Django is set up.
    return engines["django"].from_string(
        "<table id='items'><thead><tr><th>#</th><th>Text</th><th>Done</th></tr></thead><tbody>"
        "{% for item in items %}<tr class='row'><td>{{ item.id }}</td><td>{{ item.text }}</td>"
        "<td>{{ item.done|yesno:'yes,no' }}</td></tr>{% endfor %}</tbody></table>"
    )


def table_view(request: HttpRequest) -> HttpResponse:
    """The first `ROWS` todo items as an HTML table, through a Django template."""
    from demo_app.models import TodoItem

    items = list(TodoItem.objects.order_by("id")[:ROWS])
    return HttpResponse(_template().render({"items": items}, request))


_table = view_to_component(table_view)


@component
def table_page() -> ComponentType:
    """The table view as a component."""
    return _table()


urlpatterns: list[URLPattern] = [path("bench/table/", table_view)]
