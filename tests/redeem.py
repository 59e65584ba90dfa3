"""Browser tests' login clicks: click, then wait for the browser to redeem the login token.

A reload or navigation sent while that request is in flight can render the page in a session
the cookie then leaves (docs/hooks/users.md), so tests wait for its response first.
"""

from __future__ import annotations

from playwright.async_api import Page, Response


def is_token_request(response: Response) -> bool:
    """Whether `response` answers the browser's login-token redemption."""
    return "/reactpy/auth/" in response.url


async def click_and_redeem(page: Page, selector: str) -> Response:
    """Click `selector`, and return the response to the token request the click leads to."""
    async with page.expect_response(is_token_request) as response_info:
        await page.click(selector)
    return await response_info.value
