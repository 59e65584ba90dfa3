"""`user_passes_test`: the fallback, then the content after a login, in a real browser; and the
mistakes it refuses."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect
from reactpy import component, html
from reactpy.core.types import VdomDict

from reactpy_django.decorators import user_passes_test
from reactpy_django.exceptions import DecoratorParamError
from reactpy_django.registry import register_component
from reactpy_django.testing import mount
from tests.redeem import click_and_redeem

pytestmark = [pytest.mark.backends, pytest.mark.django_db(transaction=True)]


@pytest.mark.browser
async def test_fallbacks_then_content_after_a_login(page: Page, live_server_url: str) -> None:
    await page.goto(f"{live_server_url}/test/decorators/")
    await expect(page.locator("#current")).to_have_text("Current User: AnonymousUser")
    await expect(page.locator("#fallback-vdom")).to_have_text("Members only.")
    await expect(page.locator("#fallback-callable")).to_have_text("the library needs a login.")
    await expect(page.locator("#fallback-component")).to_have_text("Log in to see the club.")
    await expect(page.locator("#content-vdom")).to_have_count(0)
    await expect(page.locator("#content-stacked")).to_have_count(0)

    assert (await click_and_redeem(page, "#login")).status == 204  # use_auth().login: no reload
    await expect(page.locator("#current")).to_have_text("Current User: ExampleUser")
    await expect(page.locator("#content-vdom")).to_have_text("Members see the garden.")
    await expect(page.locator("#content-callable")).to_have_text("Members see the library.")
    await expect(page.locator("#content-component")).to_have_text("Members see the pool.")
    await expect(page.locator("#content-stacked")).to_have_text("Only ExampleUser sees this.")
    await expect(page.locator("[id^=fallback-]")).to_have_count(0)

    # OtherUser passes the first test, not the stacked one.
    assert (await click_and_redeem(page, "#login-other")).status == 204
    await expect(page.locator("#current")).to_have_text("Current User: OtherUser")
    await expect(page.locator("#content-stacked")).to_have_count(0)
    await expect(page.locator("#content-vdom")).to_have_text("Members see the garden.")

    assert (await click_and_redeem(page, "#logout")).status == 204
    await expect(page.locator("#fallback-vdom")).to_have_text("Members only.")
    await page.reload()  # the logout held: the cookie moved with it
    await expect(page.locator("#fallback-callable")).to_have_text("the library needs a login.")


def test_a_plain_function_is_rejected() -> None:
    def not_a_component() -> VdomDict:
        return html.p("hi")

    with pytest.raises(DecoratorParamError, match=r"above @component"):
        user_passes_test(lambda user: True)(not_a_component)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


def test_a_component_below_the_test_is_rejected() -> None:
    # `@user_passes_test` written without its test: the component arrives as `test_func`.
    @component
    def page() -> VdomDict:
        return html.p("hi")

    with pytest.raises(DecoratorParamError, match=r"test function"):
        user_passes_test(page)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


def test_an_async_test_is_rejected() -> None:
    async def is_staff(user: object) -> bool:
        return True

    with pytest.raises(DecoratorParamError, match="async"):
        user_passes_test(is_staff)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


def test_the_decorated_component_keeps_its_name_and_signature() -> None:
    @component
    def greeting(name: str, punctuation: str = ".") -> VdomDict:
        """Says hello."""
        return html.p(f"Hello {name}{punctuation}")

    gated = user_passes_test(lambda user: True)(greeting)
    assert gated.__name__ == "greeting"
    assert gated.__doc__ == "Says hello."


async def test_a_factory_returning_no_component_fails_only_its_render(
    caplog: pytest.LogCaptureFixture,
) -> None:
    path = register_component("tests.decorator_components.factory_beside_sibling")
    async with mount(path) as mounted:
        await mounted.wait_for_text("still here")
        assert "not a component" not in mounted.text
    assert "returned a dict, not a component" in caplog.text
