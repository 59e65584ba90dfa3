"""Debug mode in Debian's chromium: components that cannot mount or render show their error
with DEBUG on, and render nothing with DEBUG off; the page's other components still work."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from tests.conftest import AsgiServerFactory

pytestmark = [pytest.mark.backends, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

_PAGE = "/test/debug_errors/?path=tests.components.no_such_component"


async def _working_counter_counts(page: Page) -> None:
    working = page.locator("#working")
    await expect(working.locator("#count")).to_have_text("Count: 5")
    await working.locator("#increment").click()
    await expect(working.locator("#count")).to_have_text("Count: 6")


async def test_debug_shows_each_failure_in_the_page(
    page: Page, asgi_server: AsgiServerFactory
) -> None:
    url = asgi_server(REACTPY_TEST_DEBUG="1")
    await page.goto(url + _PAGE)
    # Raised while rendering: ReactPy's debug mode shows it over the WebSocket.
    await expect(page.locator("#broken-render pre")).to_have_text("RuntimeError: the render failed")
    # Raised while the consumer built it: shown the same way, and the socket stays open.
    await expect(page.locator("#broken-constructor pre")).to_have_text(
        "ValueError: no database today"
    )
    # Refused while the template rendered: the tag writes the error instead of a mount point.
    await expect(page.locator("#unknown-path pre")).to_contain_text("ComponentDoesNotExistError: ")
    await expect(page.locator("#unknown-path pre")).to_contain_text("no_such_component")
    await expect(page.locator("#wrong-arguments pre")).to_contain_text(
        "Arguments do not fit 'tests.components.counter'"
    )
    await expect(page.locator("#wrong-arguments pre")).to_contain_text("colour")
    await _working_counter_counts(page)


async def test_without_debug_failures_render_nothing(
    page: Page, asgi_server: AsgiServerFactory
) -> None:
    url = asgi_server()
    await page.goto(url + _PAGE)
    await _working_counter_counts(page)  # the page is mounted and live
    # The failing component's socket is open (it rendered: its error shows as nothing).
    await expect(page.locator("#broken-render [data-reactpy-state]")).to_have_attribute(
        "data-reactpy-state", "open"
    )
    for failing in ("broken-render", "broken-constructor", "unknown-path", "wrong-arguments"):
        await expect(page.locator(f"#{failing}")).to_have_text("")
        assert await page.locator(f"#{failing} pre").count() == 0
