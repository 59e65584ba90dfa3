"""Component arguments: stored by the page, bound to its session, expired, signed, cleaned."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from uuid import UUID

import pytest
from asgiref.sync import sync_to_async
from django.contrib.auth.models import User
from django.contrib.sessions.backends.base import SessionBase
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.template import Context, Template
from django.test import RequestFactory, override_settings
from django.utils import timezone

from reactpy_django.arguments import rebind_arguments
from reactpy_django.consumer import CloseCode
from reactpy_django.models import ComponentSession
from reactpy_django.testing import connect, mount, new_session

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.backends]

_WS_PATH = re.compile(r'"wsPath": "(?P<path>[^"]+)"')


def _render_page(tag: str, **context: object) -> tuple[str, SessionBase]:
    """Render `tag` as a browser's first visit would; returns its WebSocket path and session."""
    request = RequestFactory().get("/page/")
    SessionMiddleware(lambda request: HttpResponse()).process_request(request)
    html = Template("{% load reactpy %}" + tag).render(Context({"request": request, **context}))
    found = _WS_PATH.search(html)
    assert found is not None, html
    return found["path"], request.session


render_page = sync_to_async(_render_page)


async def test_any_picklable_values_reach_the_component() -> None:
    values = {
        "when": date(2024, 2, 29),
        "price": Decimal("9.99"),
        "ratio": Fraction(1, 3),
        "ident": UUID(int=7),
        "tags": frozenset({"a"}),
        "nested": {"list": [1, (2, 3)], "none": None},
    }
    path, session = await render_page(
        '{% component "tests.components.arguments_view" when price 42 ratio=ratio ident=ident '
        "tags=tags nested=nested %}",
        **values,
    )
    async with connect(path, session=session) as page:
        assert page.find(id="args").text == repr((date(2024, 2, 29), Decimal("9.99"), 42))
        assert page.find(id="kwargs").text == repr(
            {
                "ident": UUID(int=7),
                "nested": {"list": [1, (2, 3)], "none": None},
                "ratio": Fraction(1, 3),
                "tags": frozenset({"a"}),
            }
        )


async def test_arguments_mount_only_for_the_session_that_rendered_them(
    caplog: pytest.LogCaptureFixture,
) -> None:
    path, session = await render_page('{% component "tests.components.counter" 41 label="Mine" %}')
    async with connect(path, session=session) as owner:
        assert owner.find(id="count").text == "Mine: 41"
    stranger = await new_session()
    user = await User.objects.acreate(username="mallory")
    other_user = await new_session(user)
    async with connect(path, cookies=False) as page:  # a script replaying the URL
        assert page.close_code == CloseCode.ARGUMENTS_REFUSED
        assert page.text == ""
    async with connect(path, session=stranger) as page:  # another browser
        assert page.close_code == CloseCode.ARGUMENTS_REFUSED
    async with connect(path, session=other_user) as page:  # another user's session
        assert page.close_code == CloseCode.ARGUMENTS_REFUSED
    assert "belong to another browser session" in caplog.text
    async with connect(path, session=session) as owner:  # and the owner still can
        assert owner.find(id="count").text == "Mine: 41"


async def test_arguments_are_bound_to_their_component() -> None:
    path, session = await render_page('{% component "tests.components.counter" 41 %}')
    await sync_to_async(_render_page)('{% component "tests.components.arguments_view" %}')
    swapped = path.replace("tests.components.counter", "tests.components.arguments_view")
    async with connect(swapped, session=session) as page:
        assert page.close_code == CloseCode.ARGUMENTS_REFUSED


async def test_a_tampered_row_is_refused_not_unpickled(caplog: pytest.LogCaptureFixture) -> None:
    async with mount("tests.components.counter", 3) as page:
        assert page.find(id="count").text == "Count: 3"
    row = await ComponentSession.objects.aget(uuid=page.root_id)
    params = bytearray(row.params)
    params[-2] ^= 1
    row.params = bytes(params)
    await row.asave()
    async with page.reconnect() as again:
        assert again.close_code == CloseCode.ARGUMENTS_REFUSED
    assert "failed their signature check" in caplog.text


async def test_a_new_secret_key_invalidates_stored_arguments() -> None:
    async with mount("tests.components.counter", 3) as page:
        pass
    with override_settings(SECRET_KEY="another-secret-key-entirely"):
        async with page.reconnect() as again:
            assert again.close_code == CloseCode.ARGUMENTS_REFUSED


@override_settings(REACTPY_SESSION_MAX_AGE=60)
async def test_arguments_expire_and_each_connection_keeps_them_alive() -> None:
    async with mount("tests.components.counter", 3) as page:
        pass
    old = timezone.now() - timedelta(seconds=50)
    await ComponentSession.objects.filter(uuid=page.root_id).aupdate(last_accessed=old)
    async with page.reconnect() as again:  # 50 s old: still valid
        assert again.find(id="count").text == "Count: 3"
    row = await ComponentSession.objects.aget(uuid=page.root_id)
    assert row.last_accessed > old + timedelta(seconds=45)  # the disconnect touched it
    await ComponentSession.objects.filter(uuid=page.root_id).aupdate(
        last_accessed=timezone.now() - timedelta(seconds=61)
    )
    async with page.reconnect() as expired:
        assert expired.close_code == CloseCode.ARGUMENTS_REFUSED


async def test_unknown_arguments_id_is_refused() -> None:
    async with mount("tests.components.counter") as page:  # no arguments: nothing stored
        assert page.path.endswith("/0/")
    async with connect(page.path.removesuffix("0/") + "1/", session=page.session) as again:
        assert again.close_code == CloseCode.ARGUMENTS_REFUSED


async def test_rebinding_moves_arguments_to_the_new_session_key() -> None:
    async with mount("tests.components.counter", 8) as page:
        pass
    assert page.session is not None
    old_key = str(page.session.session_key)
    new = await new_session()
    await rebind_arguments(old_key, str(new.session_key))
    async with page.reconnect(session=new) as moved:
        assert moved.find(id="count").text == "Count: 8"
    async with page.reconnect() as left_behind:
        assert left_behind.close_code == CloseCode.ARGUMENTS_REFUSED


def test_the_config_names_no_arguments() -> None:
    # Arguments never travel to the browser: the page only carries the WebSocket path.
    request = RequestFactory().get("/page/")
    SessionMiddleware(lambda request: HttpResponse()).process_request(request)
    html = Template('{% load reactpy %}{% component "tests.components.counter" 12345 %}').render(
        Context({"request": request})
    )
    config = json.loads(re.findall(r'type="application/json">(.*?)</script>', html)[0])
    assert "12345" not in json.dumps(config)
    assert "12345" not in html
