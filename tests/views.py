"""Renders `tests/templates/tests/<name>.html` for browser tests."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def test_page(request: HttpRequest, name: str) -> HttpResponse:
    """A test page by name."""
    return render(request, f"tests/{name}.html", {"query": request.GET})
