"""Components made from Django things: views (`view_to_component`, `view_to_iframe`) and static
files (`django_css`, `django_js`), under reactpy-django 5.2.1's names and parameters."""

from __future__ import annotations

from reactpy_django._static_assets import django_css, django_js
from reactpy_django._view_component import view_to_component
from reactpy_django._view_iframe import view_to_iframe

__all__ = ["django_css", "django_js", "view_to_component", "view_to_iframe"]
