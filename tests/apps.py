"""The test app: test-only components and models."""

from __future__ import annotations

from django.apps import AppConfig


class TestsConfig(AppConfig):
    """Test-only components and models."""

    name = "tests"
    label = "tests"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from reactpy_django.utils import register_iframe
        from tests import django_views

        register_iframe(django_views.iframe_view)
        register_iframe(django_views.IframeClassView)
