"""A component in a real browser: render and click."""

from __future__ import annotations

import pytest
from playwright.async_api import Page

pytestmark = [pytest.mark.backends, pytest.mark.browser, pytest.mark.django_db(transaction=True)]


async def test_counter_in_browser(page: Page, live_server_url: str) -> None:
    await page.goto(f"{live_server_url}/test/counter/")
    await page.wait_for_selector("text=Clicks: 5")
    await page.click("#increment")
    await page.wait_for_selector("text=Clicks: 6")
