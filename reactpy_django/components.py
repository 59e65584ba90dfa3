"""Components that bring Django's own parts into ReactPy: `django_form`."""

from __future__ import annotations

from reactpy_django._forms._component import django_form

__all__ = ["django_form"]
