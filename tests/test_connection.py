"""The connection hooks, over the real consumer (reactpy_django.testing) and while prerendering."""

from __future__ import annotations

import re
from uuid import UUID

import pytest
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.template import Context, Template
from django.test import RequestFactory
from reactpy import component, html
from reactpy.core.hooks import use_connection as reactpy_use_connection
from reactpy.core.layout import Layout
from reactpy.core.types import VdomDict

from reactpy_django.hooks import use_connection
from reactpy_django.testing import mount
from tests import components

pytestmark = [pytest.mark.backends, pytest.mark.django_db(transaction=True)]

_UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


async def test_every_hook_over_the_websocket() -> None:
    async with mount(
        components.hook_report, url="/shop/items/?q=red+shoes&page=2", origin="https://example.com"
    ) as page:
        assert page.find(id="carrier").text == "ReactpyAsyncWebsocketConsumer"
        assert page.find(id="dotted-path").text == "tests.components.hook_report"
        assert page.find(id="scope-type").text == "websocket"
        # use_scope() is the consumer's own scope, the dict Channels' middleware filled.
        assert page.find(id="scope-is-carriers").text == "True"
        assert page.find(id="location").text == "/shop/items/?q=red+shoes&page=2"
        assert page.find(id="search").text == "'?q=red+shoes&page=2'"
        assert page.find(id="origin").text == "https://example.com"
        assert page.find(id="root-id").text == page.root_id


async def test_location_without_query_has_empty_search() -> None:
    async with mount(components.hook_report, url="/plain/") as page:
        assert page.find(id="location").text == "/plain/"
        assert page.find(id="search").text == "''"


async def test_origin_is_none_without_an_origin_header() -> None:
    async with mount(components.doc_use_origin, origin=None) as page:
        assert page.text == "No origin"


async def test_root_id_is_a_uuid4_stable_across_reconnects_and_new_per_page() -> None:
    async with mount(components.doc_use_root_id) as first:
        root_id = first.text.removeprefix("Root ID: ")
        assert _UUID4.match(root_id)
        assert UUID(root_id).version == 4
        await first.disconnect()
        async with first.reconnect() as again:  # the browser reconnects: same page
            assert again.text == f"Root ID: {root_id}"
    async with mount(components.doc_use_root_id) as reloaded:  # a reload renders a new tag
        assert reloaded.text.startswith("Root ID: ")
        assert reloaded.text != f"Root ID: {root_id}"


async def test_rerender_renders_the_whole_tree_again_and_keeps_state() -> None:
    async with mount(components.rerender_tree) as page:
        await page.click(id="bump")
        await page.wait_for_text("bumps:1")
        before = {name: page.find(id=f"{name}-uuid").text for name in ("parent", "child")}
        before["grandchild"] = page.find(id="grandchild-uuid").text
        updates = page.updates
        await page.click(id="rerender")  # a zero-argument handler, as the doc writes it
        await page.wait_for(lambda: page.find(id="grandchild-uuid").text != before["grandchild"])
        assert page.find(id="parent-uuid").text != before["parent"]
        assert page.find(id="child-uuid").text != before["child"]
        assert page.find(id="bumps").text == "bumps:1"  # hook state kept
        assert page.updates == updates + 1  # one update, no reconnect
        assert page.close_code is None


async def test_doc_examples_run_as_written() -> None:
    async with mount(components.doc_use_connection, url="/a/?b=c") as page:
        text = page.text
        assert text.startswith("Connection(carrier=ReactpyAsyncWebsocketConsumer")
        assert "location=Location(pathname='/a/', search='?b=c')" in text
        assert page.session is not None
        assert str(page.session.session_key) not in text  # no cookie leaks into the page
    async with mount(components.doc_use_scope) as page:
        assert "'type': 'websocket'" in page.text
    async with mount(components.doc_use_location, url="/a/?b=c") as page:
        assert page.text == "/a/?b=c"
    async with mount(components.doc_use_origin, origin="http://example.com") as page:
        assert page.text == "http://example.com"
    async with mount(components.doc_use_root_id) as page:
        assert page.text == f"Root ID: {page.root_id}"
    async with mount(components.doc_use_rerender) as page:
        first = page.text
        assert first.startswith("UUID: ")
        await page.click("button")
        await page.wait_for(lambda: page.text != first)
        assert page.text.startswith("UUID: ")
        assert page.close_code is None


async def test_reactpys_own_use_connection_sees_the_same_connection() -> None:
    @component
    def both() -> VdomDict:
        ours, theirs = use_connection(), reactpy_use_connection()
        return html.p(str(ours is theirs))

    async with mount(both) as page:
        assert page.text == "True"


async def test_hooks_outside_a_mount_name_the_fix(caplog: pytest.LogCaptureFixture) -> None:
    @component
    def orphan() -> VdomDict:
        return html.p(str(use_connection()))

    async with Layout(orphan()) as layout:  # no ConnectionContext: not mounted by us
        update = await layout.render()
    assert "error" in update["model"]
    assert "render it with {% component %} in a template" in caplog.text.lower()


def _prerender(template: str, path: str = "/page/?x=1", secure: bool = False) -> str:
    request = RequestFactory().get(path, secure=secure, HTTP_HOST="localhost:8000")
    SessionMiddleware(lambda request: HttpResponse()).process_request(request)
    return Template("{% load reactpy %}" + template).render(Context({"request": request}))


def test_hooks_while_prerendering_see_the_http_request() -> None:
    html_out = _prerender('{% component "tests.components.hook_report" prerender="true" %}')
    assert '<dd id="carrier">WSGIRequest</dd>' in html_out
    assert '<dd id="dotted-path">-</dd>' in html_out  # an HttpRequest has no dotted_path
    assert '<dd id="scope-type">http</dd>' in html_out
    assert '<dd id="location">/page/?x=1</dd>' in html_out
    assert '<dd id="origin">http://localhost:8000</dd>' in html_out
    root_id = re.search(r'<dd id="root-id">([^<]+)</dd>', html_out)
    assert root_id is not None
    assert f'id="reactpy-{root_id[1]}"' in html_out  # the same id the WebSocket will carry


def test_origin_while_prerendering_follows_the_scheme() -> None:
    html_out = _prerender(
        '{% component "tests.components.doc_use_origin" prerender="true" %}', secure=True
    )
    assert "<div>https://localhost:8000</div>" in html_out


def test_rerender_while_prerendering_does_nothing() -> None:
    html_out = _prerender('{% component "tests.components.doc_use_rerender" prerender="true" %}')
    assert "UUID: " in html_out
    assert "<button>Rerender</button>" in html_out


def test_prerender_origin_is_none_for_a_disallowed_host() -> None:
    request = RequestFactory().get("/", HTTP_HOST="evil.example.net")
    SessionMiddleware(lambda request: HttpResponse()).process_request(request)
    out = Template(
        '{% load reactpy %}{% component "tests.components.doc_use_origin" prerender="true" %}'
    ).render(Context({"request": request}))
    assert "<div>No origin</div>" in out
