"""The Django app: ReactPy's debug mode, its fixes, login sync and component discovery."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig

if TYPE_CHECKING:
    from django.utils.functional import _Getter, _StrOrPromise


class ReactPyConfig(AppConfig):
    """`reactpy_django` in `INSTALLED_APPS`."""

    name = "reactpy_django"
    verbose_name: _StrOrPromise = "ReactPy"
    # Fixed here so a project's DEFAULT_AUTO_FIELD never makes a migration for this app.
    default_auto_field: str | _Getter[str] = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from reactpy_django import _auth_session, _debug, _patches, _user_deletion, checks, registry

        _debug.follow_django_debug()  # before install() pins ReactPy's options
        _patches.install()
        _user_deletion.connect()
        _auth_session.connect()  # login sync reaches every connection root from here on
        checks.register_all()
        registry.register_from_templates()
