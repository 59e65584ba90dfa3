"""`reactpy_django.testing`: what a user's own tests can do with `mount` and `connect`."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth.models import User
from reactpy import component, html
from reactpy.core.types import VdomDict

from reactpy_django.consumer import CloseCode, ReactpyAsyncWebsocketConsumer
from reactpy_django.hooks import use_scope
from reactpy_django.testing import Element, connect, mount, new_session
from tests import components

pytestmark = [pytest.mark.backends, pytest.mark.django_db(transaction=True)]


async def test_reading_what_rendered() -> None:
    async with mount("tests.components.counter", 2, label="Apples") as page:
        assert page.text == "+1Apples: 2"
        assert (
            page.html
            == '<div><button id="increment">+1</button><span id="count">Apples: 2</span></div>'
        )
        button = page.find("button")
        assert button == Element(
            tag="button", attributes={"id": "increment"}, text="+1", handlers=button.handlers
        )
        assert list(button.handlers) == ["on_click"]
        assert [element.tag for element in page.find_all()] == ["div", "button", "span"]
        assert page.find(text="Apples").tag == "span"  # the innermost match
        assert page.find_all("span", text="Pears") == []
        assert page.find("div").children[1].text == "Apples: 2"
        assert repr(page).startswith("<MountedComponent /reactpy/tests.components.counter/")


async def test_find_says_what_is_there_instead() -> None:
    async with mount(components.counter) as page:
        with pytest.raises(
            LookupError, match=r"No element with tag='a', text='x'; rendered text: '\+1Count: 0'"
        ):
            page.find("a", text="x")


async def test_clicking_typing_and_changing() -> None:
    async with mount(components.form_echo) as page:
        await page.type_text("hello", id="field")
        await page.wait_for_text("typed:hello")
        await page.type_text("ignored", id="field", key="a")
        await page.change("draft", id="field")
        element = await page.wait_for_element("span", text="changed:draft")
        assert element.attributes == {"id": "changed"}
        assert page.find(id="typed").text == "typed:hello"  # the "a" key was not Enter
    async with mount(components.counter) as page:
        await page.click(text="+1")
        await page.wait_for_update()
        assert page.find(id="count").text == "Count: 1"
        await page.fire(page.find("button"), "onClick", {"type": "click"})
        await page.wait_for_text("Count: 2")
        with pytest.raises(LookupError, match=r"<span> has no onClick handler \(it has \[\]\)"):
            await page.fire(page.find("span"), "onClick")


async def test_waiting_fails_with_the_rendered_text() -> None:
    async with mount(components.counter) as page:
        started = time.monotonic()
        with pytest.raises(
            TimeoutError, match=r"Not true within 0.2s; rendered text: '\+1Count: 0'"
        ):
            await page.wait_for_text("Count: 99", timeout=0.2)
        assert time.monotonic() - started < 2


async def test_waiting_on_a_closed_socket_fails_at_once() -> None:
    async with mount("tests.nothing.here", register=False) as page:
        assert page.close_code == CloseCode.UNKNOWN_COMPONENT
        assert await page.wait_for_close() == CloseCode.UNKNOWN_COMPONENT
        started = time.monotonic()
        with pytest.raises(AssertionError, match=r"closed the WebSocket \(code 4004\) first"):
            await page.wait_for_text("anything", timeout=30)
        assert time.monotonic() - started < 2


async def test_users_sessions_and_props() -> None:
    @component
    def whoami(url: str, session: str = "") -> VdomDict:
        scope = use_scope()
        return html.p(f"{scope['user']}|{scope['session'].session_key}|{url}|{session}")

    ada = await User.objects.acreate(username="ada")
    async with mount(whoami, user=ada, props={"url": "/x/", "session": "s"}) as page:
        user, key, url, session = page.text.split("|")
        assert (user, url, session) == ("ada", "/x/", "s")
        assert page.session is not None
        assert key == page.session.session_key
    shared = await new_session()
    async with (
        mount(whoami, session=shared, props={"url": "a"}) as first,
        mount(whoami, session=shared, props={"url": "b"}) as second,
    ):
        assert first.text.split("|")[:2] == ["AnonymousUser", shared.session_key]
        assert second.text.split("|")[:2] == ["AnonymousUser", shared.session_key]
    with pytest.raises(TypeError, match="not both"):
        async with mount(whoami, "u", user=ada, session=shared):
            pass


async def test_reconnect_and_disconnect() -> None:
    async with mount(components.lifecycle_probe) as page:
        log = components.LIFECYCLE[page.root_id]
        await page.disconnect()
        await page.disconnect()  # idempotent
        assert "effect cancelled" in log
        async with page.reconnect() as again:
            assert again.root_id == page.root_id
            assert again.text == "probing"
        async with page.reconnect(cookies=False) as anonymous:
            assert anonymous.session is None
            assert anonymous.text == "probing"  # no arguments: nothing to refuse


async def test_connect_opens_a_page_config_path() -> None:
    async with mount(components.counter, 4) as page:
        pass
    async with connect(page.path, session=page.session, url="/shop/?a=1") as again:
        assert again.find(id="count").text == "Count: 4"
        assert again.url == "/shop/?a=1"


async def test_a_consumer_crash_fails_the_test(monkeypatch: pytest.MonkeyPatch) -> None:
    async def explode(
        self: ReactpyAsyncWebsocketConsumer,
        text_data: str | None = None,
        bytes_data: bytes | None = None,
    ) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(ReactpyAsyncWebsocketConsumer, "receive", explode)

    async def click_into_the_crash() -> None:
        async with mount(components.counter) as page:
            await page.click(id="increment")
            assert await page.wait_for_close() == 1006
            assert isinstance(page.crash, RuntimeError)

    with pytest.raises(AssertionError, match=r"crashed: RuntimeError\('boom'\)"):
        await click_into_the_crash()
