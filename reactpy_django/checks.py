"""System checks (`manage.py check`): every misconfiguration gets a message naming the fix."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register
from django.urls import NoReverseMatch, reverse

from reactpy_django.conf import dropped_settings, reactpy_settings
from reactpy_django.registry import failed_paths

__all__ = ["register_all"]

_registered = False


def _check_client_bundle() -> list[CheckMessage]:
    bundle = Path(__file__).parent / "static" / "reactpy_django" / "client.js"
    if not bundle.is_file():
        return [
            Error(
                "The ReactPy browser client (static/reactpy_django/client.js) is missing.",
                hint="Reinstall reactpy_django, or build it: cd js && npm ci && npm run build.",
                id="reactpy_django.E001",
            )
        ]
    return []


def _check_urls() -> list[CheckMessage]:
    try:
        reverse("reactpy:web_modules", args=["x.js"])
    except NoReverseMatch:
        return [
            Warning(
                "reactpy_django's HTTP views are not in your URLconf: logins cannot persist and "
                "web modules cannot load.",
                hint='Add path("reactpy/", include("reactpy_django.http.urls")) to urlpatterns.',
                id="reactpy_django.W001",
            )
        ]
    return []


def _check_settings() -> list[CheckMessage]:
    messages: list[CheckMessage] = []
    for name, replacement in dropped_settings().items():
        messages.append(
            Warning(
                f"{name} has no effect in this ReactPy integration.",
                hint=f"Remove it: {replacement}.",
                id="reactpy_django.W002",
            )
        )
    config = reactpy_settings()
    if config.database not in settings.DATABASES:
        messages.append(
            Error(
                f"REACTPY_DATABASE names {config.database!r}, which is not in DATABASES.",
                hint=f"Use one of {sorted(settings.DATABASES)} or add that alias to DATABASES.",
                id="reactpy_django.E002",
            )
        )
    if config.cache not in settings.CACHES:
        messages.append(
            Error(
                f"REACTPY_CACHE names {config.cache!r}, which is not in CACHES.",
                hint=f"Use one of {sorted(settings.CACHES)} or add that alias to CACHES.",
                id="reactpy_django.E003",
            )
        )
    for path, reason in failed_paths().items():
        messages.append(
            Error(
                f"Component {path!r}, named in a template, cannot be imported: {reason}",
                hint="Fix the dotted path in the {% component %} tag or the module's import.",
                id="reactpy_django.E004",
            )
        )
    return messages


def reactpy_checks(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """All of this package's system checks."""
    return [*_check_client_bundle(), *_check_urls(), *_check_settings()]


def register_all() -> None:
    """Register the checks with Django (once)."""
    global _registered
    if not _registered:
        register(reactpy_checks, "reactpy_django")
        _registered = True
