"""The Django app: installs the ReactPy fixes and registers components at startup."""

from __future__ import annotations

from django.apps import AppConfig


class ReactPyConfig(AppConfig):
    """`reactpy_django` in `INSTALLED_APPS`."""

    name = "reactpy_django"
    verbose_name = "ReactPy"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from reactpy_django import _patches, checks, registry

        _patches.install()
        checks.register_all()
        registry.register_from_templates()
