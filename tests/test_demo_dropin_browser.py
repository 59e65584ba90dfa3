"""The demo's "Django views, forms and routing" page in a real browser: each section shows what
its explanation says."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Page, WebSocket, expect

from demo_app.models import TodoItem
from tests.redeem import click_and_redeem

pytestmark = [pytest.mark.browser, pytest.mark.backends, pytest.mark.django_db(transaction=True)]


def _router_sockets(page: Page) -> list[str]:
    """The URLs of the WebSockets the router's component opens from now on."""
    opened: list[str] = []

    def on_socket(socket: WebSocket) -> None:
        if "/demo_app.pages.dropin.router_section/" in socket.url:
            opened.append(socket.url)

    page.on("websocket", on_socket)
    return opened


async def _expect_route(page: Page, title: str, body: str, pathname: str) -> None:
    await expect(page.locator("#route-title")).to_have_text(title)
    await expect(page.locator("#route-body")).to_have_text(body)
    await expect(page.locator("#route-location")).to_have_text(f"use_location(): {pathname}")
    await expect(page).to_have_url(re.compile(re.escape(pathname) + "$"))


async def test_the_index_links_the_page_and_the_view_table_shows_the_items(
    page: Page, live_server_url: str
) -> None:
    await TodoItem.objects.acreate(text="Buy milk")
    await TodoItem.objects.acreate(text="Walk the dog", done=True)
    await page.goto(f"{live_server_url}/")
    await page.get_by_role("link", name=re.compile(r"^Django views, forms and routing")).click()
    await expect(page).to_have_url(f"{live_server_url}/dropin/")
    rows = page.locator("#todo-table tbody tr")
    await expect(rows).to_have_text(
        [re.compile(r"Buy milk\s*no"), re.compile(r"Walk the dog\s*yes")]
    )
    await expect(page.locator("#todo-table-version")).to_have_text(
        "Rendered by TodoTableView; reloads: 0"
    )
    # A new keyword argument runs the view again: it reads the new row.
    await TodoItem.objects.acreate(text="Water the plants")
    await page.click("#reload-table")
    await expect(page.locator("#todo-table-version")).to_have_text(
        "Rendered by TodoTableView; reloads: 1"
    )
    await expect(rows).to_have_count(3)
    await expect(rows.nth(2)).to_contain_text("Water the plants")


async def test_the_form_shows_server_errors_then_saves_a_valid_item(
    page: Page, live_server_url: str
) -> None:
    await page.goto(f"{live_server_url}/dropin/")
    form = page.locator("#todo-form")
    await form.locator("input[name=text]").fill("   ")  # blank once stripped: invalid
    await page.click("#todo-form-submit")
    await expect(form).to_contain_text("This field is required.")
    await expect(page.locator("#todo-form-saved")).to_have_text("Nothing saved yet.")
    await form.locator("input[name=text]").fill("Feed the cat")
    await form.locator("input[name=done]").check()
    await page.click("#todo-form-submit")
    await expect(page.locator("#todo-form-saved")).to_have_text("Saved: Feed the cat")
    await expect(page).to_have_url(f"{live_server_url}/dropin/")  # no navigation
    item = await TodoItem.objects.aget(text="Feed the cat")
    assert item.done


async def test_the_iframe_shows_the_view_with_its_arguments(
    page: Page, live_server_url: str
) -> None:
    await page.goto(f"{live_server_url}/dropin/")
    frame = page.frame_locator("#greeting-frame")
    await expect(frame.locator("#frame-greeting")).to_have_text("Welcome, Ada and Grace!")
    await expect(frame.locator("#frame-url")).to_have_text(
        "Served by the view greeting_frame at "
        "/reactpy/iframe/demo_app.django_views.greeting_frame?greeting=Welcome&_args=Ada&_args=Grace"
    )


async def test_the_css_rule_applies_and_the_script_runs_once(
    page: Page, live_server_url: str
) -> None:
    await page.goto(f"{live_server_url}/dropin/")
    styled = page.locator("#dropin-styled")
    await expect(styled).to_have_css("color", "rgb(0, 110, 60)")
    await expect(styled).to_have_css("font-weight", "700")
    await expect(page.locator("#dropin-js-runs")).to_have_text("1")
    for renders in range(1, 4):
        await page.click("#rerender-static")
        await expect(page.locator("#rerender-static")).to_have_text(f"Re-render ({renders} so far)")
    await expect(page.locator("#dropin-js-runs")).to_have_text("1")
    assert await page.evaluate("window.dropinJsRuns") == 1


async def test_members_see_the_content_and_others_the_fallback(
    page: Page, live_server_url: str
) -> None:
    await page.goto(f"{live_server_url}/dropin/")
    await expect(page.locator("#members-fallback")).to_have_text(
        "Members only: log in to see this."
    )
    await expect(page.locator("#members-content")).to_have_count(0)
    # The browser redeems the login's one-time token for its new session cookie.
    await click_and_redeem(page, "#members-login")
    await expect(page.locator("#members-content")).to_have_text(
        "Welcome, ExampleUser: only logged-in users see this."
    )
    await expect(page.locator("#members-fallback")).to_have_count(0)
    await page.reload()  # the login holds
    await expect(page.locator("#members-content")).to_contain_text("Welcome, ExampleUser")
    await page.click("#members-logout")
    await expect(page.locator("#members-fallback")).to_have_text(
        "Members only: log in to see this."
    )


async def test_the_router_navigates_on_one_websocket_with_converted_params(
    page: Page, live_server_url: str
) -> None:
    sockets = _router_sockets(page)
    await page.goto(f"{live_server_url}/dropin/")
    await _expect_route(
        page, "Home", "Follow a link: the page changes, the WebSocket stays.", "/dropin/"
    )
    await page.evaluate("window.__sameDocument = true")  # a page load would drop it

    await page.click("#route-square")
    await _expect_route(page, "Square", "number=12 (int); its square is 144.", "/dropin/square/12/")
    await page.click("#route-hello")
    await _expect_route(
        page,
        "Hello",
        "name='ada-lovelace' (str): hello, ada-lovelace!",
        "/dropin/hello/ada-lovelace/",
    )
    await page.click("#route-nowhere")
    await _expect_route(
        page,
        "Not found",
        "No route matched; <any:rest> caught rest='no/such/page/'.",
        "/dropin/no/such/page/",
    )
    await page.go_back()
    await expect(page.locator("#route-title")).to_have_text("Hello")
    await page.click("#route-home")
    await expect(page.locator("#route-title")).to_have_text("Home")
    assert await page.evaluate("window.__sameDocument") is True
    assert len(sockets) == 1, sockets

    # Django serves the page for the router's URLs too: a loaded sub-URL gets its route.
    await page.goto(f"{live_server_url}/dropin/square/7/")
    await _expect_route(page, "Square", "number=7 (int); its square is 49.", "/dropin/square/7/")
    await expect(page.locator("#members-fallback")).to_be_visible()  # the rest of the page
