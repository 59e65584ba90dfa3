"""System checks: what `manage.py check` says about a misconfigured runtime, and the fix."""

from __future__ import annotations

import importlib
import sys
from io import StringIO
from pathlib import Path

import pytest
from channels.auth import AuthMiddlewareStack
from channels.routing import ProtocolTypeRouter, URLRouter
from channels.security.websocket import AllowedHostsOriginValidator
from django.core.management import call_command
from django.test import override_settings
from django.urls import URLPattern

from reactpy_django import REACTPY_WEBSOCKET_ROUTE
from reactpy_django.checks import reactpy_checks
from reactpy_django.conf import ReactPySettings

urlpatterns: list[URLPattern] = []  # a URLconf without reactpy_django.http.urls

unguarded = ProtocolTypeRouter(
    {"websocket": AuthMiddlewareStack(URLRouter([REACTPY_WEBSOCKET_ROUTE]))}
)
sessionless = ProtocolTypeRouter(
    {"websocket": AllowedHostsOriginValidator(URLRouter([REACTPY_WEBSOCKET_ROUTE]))}
)
elsewhere = ProtocolTypeRouter({"websocket": URLRouter([])})  # no ReactPy route: nothing to say

_RUNTIME_IDS = {
    "reactpy_django.W001",
    "reactpy_django.W002",
    "reactpy_django.E002",
    "reactpy_django.E031",
    "reactpy_django.E061",
}
_ASGI_IDS = {"reactpy_django.W010", "reactpy_django.W011"}


def _ids(wanted: set[str]) -> set[str]:
    return {str(message.id) for message in reactpy_checks() if message.id in wanted}


def test_the_test_site_is_clean() -> None:
    assert _ids(_RUNTIME_IDS | _ASGI_IDS) == set()


@pytest.mark.parametrize(
    ("application", "expected"),
    [
        ("demo_site.asgi.application", set[str]()),
        ("tests.test_checks.elsewhere", set[str]()),
        ("tests.test_checks.unguarded", {"reactpy_django.W010"}),
        ("tests.test_checks.sessionless", {"reactpy_django.W011"}),
        ("tests.no_such_module.application", set[str]()),  # best effort: never crashes
        ("", set[str]()),
    ],
)
def test_asgi_application_is_inspected(application: str, expected: set[str]) -> None:
    with override_settings(ASGI_APPLICATION=application):
        assert _ids(_ASGI_IDS) == expected


def test_origin_warning_names_the_fix() -> None:
    with override_settings(ASGI_APPLICATION="tests.test_checks.unguarded"):
        (message,) = [m for m in reactpy_checks() if m.id == "reactpy_django.W010"]
    assert "cross-site WebSocket hijacking" in message.msg
    assert message.hint is not None
    assert "AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(" in message.hint


def test_manage_py_check_prints_it() -> None:
    out, err = StringIO(), StringIO()
    with override_settings(ASGI_APPLICATION="tests.test_checks.unguarded"):
        call_command("check", stdout=out, stderr=err)
    assert "(reactpy_django.W010)" in out.getvalue() + err.getvalue()


@override_settings(ROOT_URLCONF="tests.test_checks")
def test_missing_http_urls_are_named() -> None:
    (message,) = [m for m in reactpy_checks() if m.id == "reactpy_django.W001"]
    assert (
        message.hint == 'Add path("reactpy/", include("reactpy_django.http.urls")) to urlpatterns.'
    )


@override_settings(REACTPY_CACHE="default", REACTPY_BACKHAUL_THREAD=True)
def test_dropped_settings_say_what_replaced_them() -> None:
    messages = {m.msg: m.hint for m in reactpy_checks() if m.id == "reactpy_django.W002"}
    assert messages["REACTPY_CACHE has no effect in this ReactPy integration."] == (
        "Remove it: automatic cleaning is throttled through one row in REACTPY_DATABASE."
    )
    assert "REACTPY_BACKHAUL_THREAD has no effect in this ReactPy integration." in messages


# Every setting reactpy-django 5.2.1 reads (its config.py and checks.py).
_SETTINGS_5_2_1 = [
    "REACTPY_URL_PREFIX",
    "REACTPY_SESSION_MAX_AGE",
    "REACTPY_AUTH_TOKEN_MAX_AGE",
    "REACTPY_CACHE",
    "REACTPY_DATABASE",
    "REACTPY_DEFAULT_QUERY_POSTPROCESSOR",
    "REACTPY_AUTH_BACKEND",
    "REACTPY_BACKHAUL_THREAD",
    "REACTPY_DEFAULT_HOSTS",
    "REACTPY_RECONNECT_INTERVAL",
    "REACTPY_RECONNECT_MAX_INTERVAL",
    "REACTPY_RECONNECT_MAX_RETRIES",
    "REACTPY_RECONNECT_BACKOFF_MULTIPLIER",
    "REACTPY_PRERENDER",
    "REACTPY_AUTO_RELOGIN",
    "REACTPY_CLEAN_INTERVAL",
    "REACTPY_CLEAN_SESSIONS",
    "REACTPY_CLEAN_AUTH_TOKENS",
    "REACTPY_CLEAN_USER_DATA",
    "REACTPY_DEFAULT_FORM_TEMPLATE",
    "REACTPY_ASYNC_RENDERING",
]


@pytest.mark.parametrize("name", _SETTINGS_5_2_1)
def test_each_5_2_1_setting_is_honoured_or_warned_about(name: str) -> None:
    honoured = name.removeprefix("REACTPY_").lower() in ReactPySettings.__dataclass_fields__
    with override_settings(**{name: "set"}):
        warned = [m for m in reactpy_checks() if m.id == "reactpy_django.W002"]
    assert [m.msg for m in warned] == (
        [] if honoured else [f"{name} has no effect in this ReactPy integration."]
    )


def test_no_other_distribution_no_warning() -> None:
    assert _ids({"reactpy_django.W040"}) == set()


def test_reactpy_django_installed_beside_is_named_with_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What `pip install reactpy-django==5.2.1` leaves beside the package: its dist-info.
    info = tmp_path / "reactpy_django-5.2.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: reactpy-django\nVersion: 5.2.1\n")
    monkeypatch.setattr(sys, "path", [str(tmp_path), *sys.path])
    importlib.invalidate_caches()
    (message,) = [m for m in reactpy_checks() if m.id == "reactpy_django.W040"]
    assert message.msg.startswith(
        "The reactpy-django distribution (5.2.1) is installed beside reactpy-django-typed."
    )
    assert message.hint == (
        "Reinstall this one alone: pip uninstall reactpy-django reactpy-django-typed && "
        "pip install reactpy-django-typed"
    )
    out, err = StringIO(), StringIO()
    call_command("check", stdout=out, stderr=err)
    assert "(reactpy_django.W040)" in out.getvalue() + err.getvalue()


@override_settings(REACTPY_DATABASE="missing")
def test_unknown_database_alias() -> None:
    (message,) = [m for m in reactpy_checks() if m.id == "reactpy_django.E002"]
    assert "REACTPY_DATABASE names 'missing'" in message.msg


@pytest.mark.parametrize("threshold", ["20000", 0, -5, 2.5, True])
def test_a_gc_threshold_that_is_not_a_positive_whole_number_is_named(threshold: object) -> None:
    with override_settings(REACTPY_GC_THRESHOLD=threshold):
        (message,) = [m for m in reactpy_checks() if m.id == "reactpy_django.E031"]
    assert f"REACTPY_GC_THRESHOLD is {threshold!r}" in message.msg
    assert "None" in str(message.hint)


@pytest.mark.parametrize("threshold", [None, 1, 50_000])
def test_a_gc_threshold_that_is_none_or_positive_passes(threshold: int | None) -> None:
    with override_settings(REACTPY_GC_THRESHOLD=threshold):
        assert _ids({"reactpy_django.E031"}) == set()


@pytest.mark.parametrize("template", [5, "", ["django/forms/p.html"]])
def test_a_default_form_template_that_is_not_a_name_is_a_check_error(template: object) -> None:
    with override_settings(REACTPY_DEFAULT_FORM_TEMPLATE=template):
        (message,) = [m for m in reactpy_checks() if m.id == "reactpy_django.E061"]
    assert f"REACTPY_DEFAULT_FORM_TEMPLATE is {template!r}" in message.msg
