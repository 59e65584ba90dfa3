"""The demo app."""

from __future__ import annotations

from django.apps import AppConfig


class DemoAppConfig(AppConfig):
    """Components and pages that show every hook working."""

    name = "demo_app"
    default_auto_field = "django.db.models.BigAutoField"
