"""A module no test may import: the iframe route must not import paths it has not registered."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def view(request: HttpRequest) -> HttpResponse:
    """Would answer if the module were ever imported through a forged URL."""
    return HttpResponse("imported")
