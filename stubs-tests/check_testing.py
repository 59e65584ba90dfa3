"""What a test sees from reactpy_django.testing, and the mistakes the checkers catch."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, assert_type

from django.contrib.auth.models import User
from django.contrib.sessions.backends.base import SessionBase

from reactpy_django.testing import Element, MountedComponent, connect, mount, new_session


async def mounting(user: User) -> None:
    async with mount("app.components.counter", 1, label="x", user=user) as page:
        assert_type(page, MountedComponent)
        assert_type(page.text, str)
        assert_type(page.html, str)
        assert_type(page.root_id, str)
        assert_type(page.close_code, int | None)
        assert_type(page.session, SessionBase | None)
        assert_type(page.model, dict[str, Any])
        assert_type(page.find(id="count"), Element)
        assert_type(page.find_all("li", text="x"), list[Element])
        assert_type(page.find("li").attributes, Mapping[str, Any])
        assert_type(page.find("li").children, tuple[Element, ...])
        assert_type(await page.wait_for_element("li"), Element)
        assert_type(await page.wait_for_close(), int)
        await page.click(id="increment")
        await page.type_text("hello", id="field")
        await page.change("draft", id="field")
        await page.wait_for_text("Count: 2", timeout=1)
        await page.wait_for(lambda: page.updates > 1)
        await page.fire(page.find("button"), "onClick", {"type": "click"})
        async with page.reconnect(cookies=False) as again:
            assert_type(again, MountedComponent)
    session = await new_session(user)
    assert_type(session, SessionBase)
    async with mount("app.components.counter", session=session, props={"url": "/"}) as page:
        pass
    async with connect("/reactpy/app.components.counter/uuid/0/", session=session) as page:
        assert_type(page, MountedComponent)


async def mistakes(page: MountedComponent, session: SessionBase) -> None:
    await page.click("button", "+1")  # E: misc reportCallIssue
    await page.wait_for_text(3)  # E: arg-type reportArgumentType
    await page.wait_for(lambda: "x")  # E: arg-type reportArgumentType
    page.find(id="x").text = "y"  # E: misc reportAttributeAccessIssue
    with mount("app.components.counter"):  # E: attr-defined reportGeneralTypeIssues
        pass
    async with mount("app.components.counter", user="ada"):  # E: arg-type reportArgumentType
        pass
    async with connect("/path/", session="key"):  # E: arg-type reportArgumentType
        pass
