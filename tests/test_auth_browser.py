"""Login in a real browser: the cookie follows the WebSocket's login, logout and user data."""

from __future__ import annotations

import pytest
from django.conf import settings
from playwright.async_api import BrowserContext, Page, Route

from tests.redeem import click_and_redeem

pytestmark = [pytest.mark.backends, pytest.mark.browser, pytest.mark.django_db(transaction=True)]


async def _session_cookie(context: BrowserContext) -> str:
    cookies = await context.cookies()
    wanted = settings.SESSION_COOKIE_NAME
    return next((c.get("value", "") for c in cookies if c.get("name") == wanted), "")


async def test_login_survives_a_reload(page: Page, live_server_url: str) -> None:
    await page.goto(f"{live_server_url}/test/auth/")
    await page.wait_for_selector("text=Current User: AnonymousUser")
    before = await _session_cookie(page.context)
    assert before  # every page with a component gets a session cookie

    response = await click_and_redeem(page, "#login")
    assert response.status == 204
    await page.wait_for_selector("text=Current User: ExampleUser")
    await page.wait_for_selector("text=Watcher sees: ExampleUser")  # another component
    after = await _session_cookie(page.context)
    assert after
    assert after != before  # the session key was cycled

    await page.reload()
    await page.wait_for_selector("text=Current User: ExampleUser")
    await page.wait_for_selector("text=Watcher sees: ExampleUser")


async def test_logout_survives_a_reload(page: Page, live_server_url: str) -> None:
    await page.goto(f"{live_server_url}/test/auth/")
    await page.wait_for_selector("text=Current User: AnonymousUser")
    assert (await click_and_redeem(page, "#login")).status == 204
    await page.wait_for_selector("text=Current User: ExampleUser")

    assert (await click_and_redeem(page, "#logout")).status == 204
    await page.wait_for_selector("text=Current User: AnonymousUser")
    await page.wait_for_selector("text=Watcher sees: AnonymousUser")
    await page.reload()
    await page.wait_for_selector("text=Current User: AnonymousUser")


async def test_other_tabs_see_the_login_without_a_reload(page: Page, live_server_url: str) -> None:
    other_tab = await page.context.new_page()
    await other_tab.goto(f"{live_server_url}/test/auth_watcher/")
    await page.goto(f"{live_server_url}/test/auth/")
    await other_tab.wait_for_selector("text=Watcher sees: AnonymousUser")
    await page.wait_for_selector("text=Current User: AnonymousUser")

    await click_and_redeem(page, "#login")
    await other_tab.wait_for_selector("text=Watcher sees: ExampleUser")
    await click_and_redeem(page, "#logout")
    await other_tab.wait_for_selector("text=Watcher sees: AnonymousUser")


async def test_a_used_token_is_refused(page: Page, live_server_url: str) -> None:
    await page.goto(f"{live_server_url}/test/auth/")
    await page.wait_for_selector("text=Current User: AnonymousUser")
    response = await click_and_redeem(page, "#login")
    assert response.status == 204
    cookie = await _session_cookie(page.context)

    replay = await page.request.post(response.url)
    assert replay.status == 404
    assert await _session_cookie(page.context) == cookie
    await page.reload()
    await page.wait_for_selector("text=Current User: ExampleUser")


async def test_a_token_only_works_for_the_browser_it_was_issued_to(
    page: Page, live_server_url: str
) -> None:
    await page.goto(f"{live_server_url}/test/auth/")
    await page.wait_for_selector("text=Current User: AnonymousUser")

    async def intercept(route: Route) -> None:  # the token leaks instead of being redeemed
        await route.abort()

    await page.route("**/reactpy/auth/**", intercept)
    async with page.expect_request("**/reactpy/auth/**") as request_info:
        await page.click("#login")
    stolen = (await request_info.value).url
    await page.wait_for_selector("text=Current User: ExampleUser")
    await page.unroute("**/reactpy/auth/**")

    assert page.context.browser is not None
    thief = await page.context.browser.new_context()
    try:
        thief_page = await thief.new_page()
        await thief_page.goto(f"{live_server_url}/test/auth_watcher/")
        await thief_page.wait_for_selector("text=Watcher sees: AnonymousUser")
        assert (await thief.request.post(stolen)).status == 403
        await thief_page.reload()
        await thief_page.wait_for_selector("text=Watcher sees: AnonymousUser")
    finally:
        await thief.close()

    # The browser it belongs to can still redeem it.
    assert (await page.request.post(stolen)).status == 204
    await page.reload()
    await page.wait_for_selector("text=Current User: ExampleUser")


async def test_user_data_survives_a_reload(page: Page, live_server_url: str) -> None:
    await page.goto(f"{live_server_url}/test/auth_user_data/")
    await page.wait_for_selector("text=Data: None")
    assert (await click_and_redeem(page, "#login")).status == 204
    await page.wait_for_selector("text=Data: {}")
    await page.fill("#entry", "hello")
    await page.press("#entry", "Enter")
    await page.wait_for_selector("text=Data: {'0': 'hello'}")
    await page.reload()
    await page.wait_for_selector("text=Current User: ExampleUser")
    await page.wait_for_selector("text=Data: {'0': 'hello'}")


async def test_demo_users_page(page: Page, live_server_url: str) -> None:
    await page.goto(f"{live_server_url}/users/")
    await page.wait_for_selector("text=Log in to keep your settings.")
    await page.wait_for_selector("text=Nobody is logged in.")
    assert (await click_and_redeem(page, "#login")).status == 204
    await page.wait_for_selector("text=Current User: ExampleUser")
    await page.wait_for_selector("text=Hello ExampleUser")
    await page.wait_for_selector("text=Saved: {'theme': 'light', 'greeting': 'Hello'}")
    await page.select_option("#theme", "dark")
    await page.wait_for_selector("text=Saved: {'theme': 'dark', 'greeting': 'Hello'}")
    await page.reload()
    await page.wait_for_selector("text=Saved: {'theme': 'dark', 'greeting': 'Hello'}")
    assert await page.input_value("#theme") == "dark"
