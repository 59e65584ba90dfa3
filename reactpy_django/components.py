"""Components made from Django's own parts, under reactpy-django 5.2.1's names and parameters:
views (`view_to_component`, `view_to_iframe`), static files (`django_css`, `django_js`) and
forms (`django_form`)."""

from __future__ import annotations

from reactpy_django._forms._component import django_form
from reactpy_django._static_assets import django_css, django_js
from reactpy_django._view_component import view_to_component
from reactpy_django._view_iframe import view_to_iframe

__all__ = ["django_css", "django_form", "django_js", "view_to_component", "view_to_iframe"]
