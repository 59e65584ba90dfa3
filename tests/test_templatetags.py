"""`{% component %}`: mount point, client config, arguments, options and errors."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpRequest, HttpResponse
from django.template import Context, Template
from django.test import RequestFactory, override_settings

from reactpy_django.arguments import load_arguments
from reactpy_django.models import ComponentSession
from reactpy_django.registry import get_component

pytestmark = [pytest.mark.backends, pytest.mark.django_db]

_CONFIG = re.compile(r'<script id="(?P<id>[^"]+)" type="application/json">(?P<json>.*?)</script>')


def _request(path: str = "/page/") -> HttpRequest:
    request = RequestFactory().get(path)
    SessionMiddleware(lambda request: HttpResponse()).process_request(request)
    return request


def _render(tag: str, request: HttpRequest | None = None, **context: Any) -> str:
    if request is not None:
        context["request"] = request
    return Template("{% load reactpy %}" + tag).render(Context(context))


def _configs(html: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = [json.loads(m["json"]) for m in _CONFIG.finditer(html)]
    return found


def _config(html: str) -> dict[str, Any]:
    (config,) = _configs(html)
    return config


def test_renders_mount_point_config_and_client() -> None:
    html = _render('{% component "tests.components.counter" %}', _request())
    config = _config(html)
    mount_id = config["mountId"]
    uuid = mount_id.removeprefix("reactpy-")
    assert f'<div id="{mount_id}" class=""></div>' in html
    assert config == {
        "mountId": mount_id,
        "wsPath": f"/reactpy/tests.components.counter/{uuid}/0/",
        "host": None,
        "webModulesPath": "/reactpy/web_module/",
        "prerenderId": None,
        "offlineId": None,
        "reconnect": {
            "interval": 750,
            "maxInterval": 60000,
            "maxRetries": 150,
            "backoffMultiplier": 1.25,
        },
    }
    assert f'id="{mount_id}-config"' in html
    assert 'import { mountComponent } from "/static/reactpy_django/client.js"' in html
    assert f'mountComponent("{mount_id}-config")' in html.replace("\\u002D", "-")
    assert not ComponentSession.objects.exists()  # no arguments, nothing stored


def test_every_tag_gets_its_own_root_id() -> None:
    html = _render(
        '{% component "tests.components.counter" %}{% component "tests.components.counter" %}',
        _request(),
    )
    first, second = _configs(html)
    assert first["mountId"] != second["mountId"]


@override_settings(
    REACTPY_RECONNECT_INTERVAL=100,
    REACTPY_RECONNECT_MAX_INTERVAL=2000,
    REACTPY_RECONNECT_MAX_RETRIES=7,
    REACTPY_RECONNECT_BACKOFF_MULTIPLIER=2.5,
)
def test_reconnect_settings_reach_the_client() -> None:
    config = _config(_render('{% component "tests.components.counter" %}', _request()))
    assert config["reconnect"] == {
        "interval": 100,
        "maxInterval": 2000,
        "maxRetries": 7,
        "backoffMultiplier": 2.5,
    }


def test_arguments_are_stored_for_the_pages_session() -> None:
    request = _request()
    when = datetime(2024, 5, 1, 12, 30, tzinfo=UTC)
    html = _render(
        '{% component "tests.components.arguments_view" 1 "two" when price=price items=items %}',
        request,
        when=when,
        price=Decimal("9.99"),
        items={"a", "b"},
    )
    config = _config(html)
    uuid = config["mountId"].removeprefix("reactpy-")
    assert config["wsPath"].endswith(f"/{uuid}/1/")
    row = ComponentSession.objects.get(uuid=uuid)
    assert row.component == "tests.components.arguments_view"
    assert request.session.session_key
    assert row.session_key == request.session.session_key
    assert b"9.99" not in bytes(row.params)[:32]  # signed: a MAC comes first
    args, kwargs = async_to_sync(load_arguments)(
        uuid, "tests.components.arguments_view", request.session.session_key
    )
    assert args == (1, "two", when)
    assert kwargs == {"price": Decimal("9.99"), "items": {"a", "b"}}


def test_class_styles_the_mount_point() -> None:
    html = _render('{% component "tests.components.counter" class="big red" %}', _request())
    mount_id = _config(html)["mountId"]
    assert f'<div id="{mount_id}" class="big red"></div>' in html
    assert not ComponentSession.objects.exists()  # class= is not a component argument


def test_class_is_escaped() -> None:
    html = _render('{% component "tests.components.counter" class=cls %}', _request(), cls='"><x')
    assert 'class="&quot;&gt;&lt;x"' in html


@override_settings(DEBUG=True)
def test_unknown_path_shows_the_error_in_debug(caplog: pytest.LogCaptureFixture) -> None:
    html = _render('{% component "tests.components.no_such_component" %}', _request())
    assert html.startswith("<pre>ComponentDoesNotExistError: ")
    assert "no_such_component" in html
    assert "<script" not in html
    assert "tests.components.no_such_component" in caplog.text


def test_unknown_path_renders_nothing_without_debug(caplog: pytest.LogCaptureFixture) -> None:
    html = _render('{% component "tests.no_such_module.thing" %}', _request())
    assert html == ""
    assert "{% component 'tests.no_such_module.thing' %} failed to render" in caplog.text
    assert get_component("tests.no_such_module.thing") is None


@override_settings(DEBUG=True)
def test_signature_mismatch_names_the_argument() -> None:
    html = _render('{% component "tests.components.counter" 1 colour="red" %}', _request())
    assert html.startswith("<pre>ComponentParamError: Arguments do not fit ")
    assert "colour" in html
    assert not ComponentSession.objects.exists()  # nothing stored for a tag that failed


def test_signature_mismatch_renders_nothing_without_debug(
    caplog: pytest.LogCaptureFixture,
) -> None:
    html = _render('{% component "tests.components.counter" 1 2 3 %}', _request())
    assert html == ""
    assert "Arguments do not fit 'tests.components.counter'" in caplog.text


@override_settings(DEBUG=True)
def test_arguments_without_a_session_name_the_middleware() -> None:
    html = _render('{% component "tests.components.counter" 5 %}', RequestFactory().get("/"))
    assert "SessionMiddleware" in html
    html = _render('{% component "tests.components.counter" 5 %}')  # no request at all
    assert "django.template.context_processors.request" in html


def test_prerender_puts_html_in_the_response_and_hides_the_mount() -> None:
    html = _render(
        '{% component "tests.components.greeting" name prerender="true" %}',
        _request(),
        name="<script>alert(1)</script>",
    )
    config = _config(html)
    mount_id = config["mountId"]
    assert config["prerenderId"] == f"{mount_id}-prerender"
    assert f'<div id="{mount_id}-prerender" class="">' in html
    # Written as ReactPy's vdom_to_html (and so reactpy-django) writes it: the attribute name
    # `class_name` is kept, not mapped to `class` as the browser client does.
    assert (
        '<p id="greeting" class_name="greeting">Hello, &lt;script&gt;alert(1)&lt;/script&gt;.'
        in html
    )
    assert '<span id="rendered-over">http</span>' in html
    assert f'<div id="{mount_id}" class="" hidden></div>' in html
    assert "<script>alert(1)" not in html


@override_settings(REACTPY_PRERENDER=True)
def test_prerender_setting_is_the_default_and_the_tag_overrides_it() -> None:
    on = _render('{% component "tests.components.greeting" "Ada" %}', _request())
    assert _config(on)["prerenderId"] is not None
    off = _render('{% component "tests.components.greeting" "Ada" prerender="false" %}', _request())
    assert _config(off)["prerenderId"] is None
    assert "Hello" not in off


@override_settings(DEBUG=True)
def test_missing_offline_component_is_named_in_debug(caplog: pytest.LogCaptureFixture) -> None:
    html = _render(
        '{% component "tests.components.counter" offline="tests.components.no_notice" %}',
        _request(),
    )
    assert html.startswith("<pre>OfflineComponentMissingError: ")
    assert "no_notice" in html
    assert "<script" not in html


@override_settings(DEBUG=True)
def test_host_with_a_scheme_is_refused_in_debug() -> None:
    html = _render(
        '{% component "tests.components.counter" host="wss://ws.example.com" %}', _request()
    )
    assert html.startswith("<pre>InvalidHostError: The WebSocket host ")
    assert "&#x27;ws.example.com&#x27;" in html  # the fix: the host without its scheme


@override_settings(DEBUG=True, REACTPY_DEFAULT_HOSTS=["http://a.example:1"])
def test_default_host_with_a_scheme_is_refused_in_debug() -> None:
    html = _render('{% component "tests.components.counter" %}', _request())
    assert html.startswith("<pre>InvalidHostError: ")


@override_settings(DEBUG=True)
def test_prerender_without_the_request_names_the_carrier_error() -> None:
    html = _render('{% component "tests.components.counter" prerender="true" %}')
    assert html.startswith("<pre>ComponentCarrierError: prerender needs the request")


def test_offline_component_is_rendered_hidden() -> None:
    html = _render(
        '{% component "tests.components.counter" offline="tests.components.offline_notice" %}',
        _request(),
    )
    config = _config(html)
    mount_id = config["mountId"]
    assert config["offlineId"] == f"{mount_id}-offline"
    assert (
        f'<div id="{mount_id}-offline" class="" hidden>'
        '<p id="offline">Offline: reconnecting...</p></div>'
    ) in html
    assert get_component("tests.components.offline_notice") is not None


def test_host_option_and_default_hosts() -> None:
    html = _render('{% component "tests.components.counter" host="127.0.0.1:9001" %}', _request())
    assert _config(html)["host"] == "127.0.0.1:9001"
    with override_settings(REACTPY_DEFAULT_HOSTS=["a.example:1", "b.example:2"]):
        hosts = [
            _config(_render('{% component "tests.components.counter" %}', _request()))["host"]
            for _ in range(3)
        ]
    assert hosts == ["a.example:1", "b.example:2", "a.example:1"]


def test_prerender_works_with_another_host() -> None:
    html = _render(
        '{% component "tests.components.greeting" "Ada" host="127.0.0.1:9001" prerender="true" %}',
        _request(),
    )
    assert "Hello, Ada." in html
    assert _config(html)["host"] == "127.0.0.1:9001"


def test_rendering_registers_the_path_and_a_variable_path_works() -> None:
    html = _render("{% component path %}", _request(), path="tests.components.uuid_branch")
    assert _config(html)["wsPath"].startswith("/reactpy/tests.components.uuid_branch/")
    assert get_component("tests.components.uuid_branch") is not None
