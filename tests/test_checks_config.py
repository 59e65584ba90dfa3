"""System checks for project configuration: the ASGI application, channel layers, sessions
and their cache. Each misconfiguration gets a stable id and a hint that names the fix."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from io import StringIO
from typing import Any

import pytest
from channels.routing import ProtocolTypeRouter, URLRouter
from django.conf import settings
from django.core.checks import CheckMessage
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import modify_settings, override_settings

from reactpy_django import REACTPY_WEBSOCKET_ROUTE
from reactpy_django.checks import reactpy_checks
from tests import servers

_IDS = {
    "reactpy_django.W020",
    "reactpy_django.W021",
    "reactpy_django.W022",
    "reactpy_django.W023",
    "reactpy_django.E024",
    "reactpy_django.E025",
    "reactpy_django.E026",
    "reactpy_django.W027",
    "reactpy_django.E028",
    "reactpy_django.E029",
    "reactpy_django.E030",
}

_Asgi = Callable[..., Any]


async def _plain_app(scope: Any, receive: Any, send: Any) -> None:
    """An ASGI application that is none of Channels' routers."""


def _closure_middleware(inner: _Asgi) -> _Asgi:
    """A middleware that keeps what it wraps in a closure: the checks cannot see inside."""

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await inner(scope, receive, send)

    return app


http_only = ProtocolTypeRouter({"http": _plain_app})
no_reactpy_route = ProtocolTypeRouter({"websocket": URLRouter([])})
hidden = ProtocolTypeRouter({"websocket": _closure_middleware(URLRouter([]))})
bare_route = URLRouter([REACTPY_WEBSOCKET_ROUTE])


def _messages(wanted: str) -> list[CheckMessage]:
    return [message for message in reactpy_checks() if message.id == wanted]


def _one(wanted: str) -> CheckMessage:
    found = _messages(wanted)
    assert len(found) == 1, [(m.id, m.msg) for m in reactpy_checks()]
    return found[0]


def _ours() -> set[str]:
    return {str(message.id) for message in reactpy_checks() if message.id in _IDS}


def test_the_test_site_is_clean() -> None:
    assert _ours() == set()


# --- The ASGI application ----------------------------------------------------------------------


@pytest.fixture
def no_asgi_application() -> Iterator[None]:
    """ASGI_APPLICATION deleted from settings for the test."""
    with override_settings():
        del settings.ASGI_APPLICATION
        yield


@pytest.mark.usefixtures("no_asgi_application")
def test_missing_asgi_application_is_named() -> None:
    message = _one("reactpy_django.W020")
    assert "ASGI_APPLICATION is not set" in message.msg
    assert message.hint is not None
    assert 'ASGI_APPLICATION = "<project>.asgi.application"' in message.hint


@override_settings(ASGI_APPLICATION="tests.no_such_module.application")
def test_an_unimportable_asgi_application_is_named() -> None:
    message = _one("reactpy_django.W022")
    assert "'tests.no_such_module.application' cannot be imported" in message.msg
    assert "ModuleNotFoundError" in message.msg


@pytest.mark.parametrize(
    ("application", "warned"),
    [
        ("tests.test_checks_config.http_only", True),  # no "websocket" at all
        ("tests.test_checks_config.no_reactpy_route", True),  # a router without the route
        ("tests.test_checks_config.hidden", False),  # cannot tell: never a false alarm
        ("tests.test_checks_config.bare_route", False),
        ("demo_site.asgi.application", False),
    ],
)
def test_an_asgi_application_without_the_route_is_named(application: str, warned: bool) -> None:
    with override_settings(ASGI_APPLICATION=application):
        found = _messages("reactpy_django.W021")
    assert bool(found) is warned
    if warned:
        assert "does not serve REACTPY_WEBSOCKET_ROUTE" in found[0].msg
        assert found[0].hint is not None
        assert "AuthMiddlewareStack(URLRouter([REACTPY_WEBSOCKET_ROUTE]))" in found[0].hint


# --- Channel layers ----------------------------------------------------------------------------


@override_settings(CHANNEL_LAYERS={})
def test_refetch_layer_missing_from_channel_layers() -> None:
    message = _one("reactpy_django.W023")
    assert "REACTPY_REFETCH_LAYER names 'default', which is not in CHANNEL_LAYERS" in message.msg
    assert message.hint is not None
    assert "REACTPY_REFETCH_LAYER = None" in message.hint


@override_settings(CHANNEL_LAYERS={}, REACTPY_REFETCH_LAYER=None)
def test_no_layer_is_fine_when_refetch_stays_local() -> None:
    assert _messages("reactpy_django.W023") == []


@override_settings(REACTPY_REFETCH_LAYER="events")
def test_refetch_layer_naming_another_alias() -> None:
    message = _one("reactpy_django.W023")
    assert "names 'events'" in message.msg
    assert "it has ['default']" in message.msg


@override_settings(CHANNEL_LAYERS={"default": {"BACKEND": "no_such_package.Layer"}})
def test_a_layer_that_cannot_be_built_is_an_error() -> None:
    message = _one("reactpy_django.E024")
    assert "CHANNEL_LAYERS['default'] cannot be built" in message.msg
    assert _messages("reactpy_django.W023") == []  # the alias exists; it is broken


# --- Sessions ----------------------------------------------------------------------------------

_SESSION_MIDDLEWARE = "django.contrib.sessions.middleware.SessionMiddleware"


@modify_settings(MIDDLEWARE={"remove": [_SESSION_MIDDLEWARE]})
def test_session_middleware_missing() -> None:
    message = _one("reactpy_django.E028")
    assert message.hint == (
        f'Add "{_SESSION_MIDDLEWARE}" to MIDDLEWARE (before AuthenticationMiddleware).'
    )


@pytest.mark.parametrize(
    "engine",
    ["django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db"],
)
def test_database_sessions_need_the_sessions_app(engine: str) -> None:
    with (
        override_settings(SESSION_ENGINE=engine),
        modify_settings(INSTALLED_APPS={"remove": ["django.contrib.sessions"]}),
    ):
        message = _one("reactpy_django.E029")
    assert message.hint == 'Add "django.contrib.sessions" to INSTALLED_APPS and run migrate.'


@override_settings(SESSION_ENGINE="myproject.no_such_sessions")
def test_an_unimportable_session_engine() -> None:
    message = _one("reactpy_django.E030")
    assert "'myproject.no_such_sessions' has no SessionStore class" in message.msg


@override_settings(
    SESSION_ENGINE="django.contrib.sessions.backends.cache", SESSION_CACHE_ALIAS="sessions"
)
def test_session_cache_alias_missing_from_caches() -> None:
    message = _one("reactpy_django.E025")
    assert "'sessions'" in message.msg
    assert (
        message.hint
        == "Add 'sessions' to CACHES, or set SESSION_CACHE_ALIAS to one of ['default']."
    )


_DUMMY = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


@override_settings(SESSION_ENGINE="django.contrib.sessions.backends.cache", CACHES=_DUMMY)
def test_cache_sessions_on_a_dummy_cache_are_an_error() -> None:
    message = _one("reactpy_django.E026")
    assert "DummyCache that stores nothing" in message.msg


@override_settings(SESSION_ENGINE="django.contrib.sessions.backends.cached_db", CACHES=_DUMMY)
def test_cached_db_sessions_survive_a_dummy_cache() -> None:
    assert _ours() == set()


def test_a_session_cache_that_does_not_answer_is_named() -> None:
    port = servers.free_port()  # nothing listens there
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
        }
    }
    with override_settings(SESSION_ENGINE="django.contrib.sessions.backends.cache", CACHES=caches):
        message = _one("reactpy_django.W027")
    assert "failed a set/get round trip" in message.msg
    assert "ConnectionError" in message.msg


def test_a_session_cache_that_answers_is_fine(redis_url: str) -> None:
    caches = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}
    }
    with override_settings(SESSION_ENGINE="django.contrib.sessions.backends.cache", CACHES=caches):
        assert _ours() == set()


@pytest.mark.backends
@pytest.mark.django_db
def test_a_database_cache_without_its_table_is_named() -> None:
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "reactpy_no_such_cache_table",
        }
    }
    with override_settings(
        SESSION_ENGINE="django.contrib.sessions.backends.cached_db", CACHES=caches
    ):
        message = _one("reactpy_django.W027")
    assert message.hint is not None
    assert "createcachetable" in message.hint


# --- Through manage.py check -------------------------------------------------------------------


@modify_settings(MIDDLEWARE={"remove": [_SESSION_MIDDLEWARE]})
def test_manage_py_check_fails_on_the_errors() -> None:
    with pytest.raises(SystemCheckError, match=r"reactpy_django\.E028"):
        call_command("check", stdout=StringIO(), stderr=StringIO())


@override_settings(CHANNEL_LAYERS={})
def test_manage_py_check_prints_the_warnings_with_their_hints() -> None:
    out, err = StringIO(), StringIO()
    call_command("check", stdout=out, stderr=err)
    printed = out.getvalue() + err.getvalue()
    assert "(reactpy_django.W023)" in printed
    assert "HINT: Add CHANNEL_LAYERS" in printed
