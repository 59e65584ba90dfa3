"""The demo app."""

from __future__ import annotations

from django.apps import AppConfig


class DemoAppConfig(AppConfig):
    """Components and pages that show every hook working."""

    name = "demo_app"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Register the view the drop-in page shows in an iframe (only registered views are
        served at the iframe URL)."""
        from demo_app.django_views import greeting_frame
        from reactpy_django.utils import register_iframe

        register_iframe(greeting_frame)
