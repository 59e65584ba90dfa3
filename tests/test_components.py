"""`reactpy_django.components` in Chromium: each kind of view, iframes, static CSS and JS."""

from __future__ import annotations

import sys

import pytest
from django.test import AsyncClient
from django.urls import reverse
from playwright.async_api import Browser, Page, expect

from reactpy_django.components import view_to_iframe
from reactpy_django.exceptions import ViewDoesNotExistError, ViewNotRegisteredError
from reactpy_django.utils import register_iframe
from tests import django_views
from tests.conftest import AsgiServerFactory, server_log


@pytest.mark.parametrize(
    ("selector", "text"),
    [
        ("#function-view", "Hello Ada from GET, 0 users"),
        ("#async-view", "An awaited view"),
        ("#dotted-view", "Found by its dotted path"),
        ("#decorated-view", "Decorated"),
    ],
)
@pytest.mark.browser
@pytest.mark.backends
@pytest.mark.django_db(transaction=True)
async def test_each_view_kind_renders_its_html(
    page: Page, live_server_url: str, selector: str, text: str
) -> None:
    await page.goto(f"{live_server_url}/test/view_views/")
    await expect(page.locator(selector)).to_have_text(text)


@pytest.mark.browser
@pytest.mark.backends
@pytest.mark.django_db(transaction=True)
async def test_class_views_template_rows_and_transforms(page: Page, live_server_url: str) -> None:
    await page.goto(f"{live_server_url}/test/view_views/")
    # The View subclass and its .as_view() each render (the page's <html>/<body> dropped).
    await expect(page.locator("#class-view")).to_have_count(2)
    await expect(page.locator("#template-view li.row")).to_have_text(["one", "two", "three"])
    await expect(page.locator("#transformed-view #revealed")).to_have_text("transformed")
    await expect(page.locator("#transformed-view .secret")).to_have_count(0)
    await expect(page.locator("#transformed-view b")).to_have_text("kept")


@pytest.mark.browser
@pytest.mark.backends
@pytest.mark.django_db(transaction=True)
async def test_a_view_that_raises_is_logged_and_the_sessions_go_on(
    browser: Browser, asgi_server: AsgiServerFactory, request: pytest.FixtureRequest
) -> None:
    url = asgi_server()
    context = await browser.new_context()
    context.set_default_timeout(10_000)
    first, second = await context.new_page(), await context.new_page()
    await first.goto(f"{url}/test/view_failing/")
    await second.goto(f"{url}/test/view_views/")
    await first.click("#after-failure")
    await expect(first.locator("#after-failure")).to_have_text("Clicked 1")
    await expect(first.locator("#failing-slot")).to_be_empty()
    await expect(second.locator("#async-view")).to_have_text("An awaited view")
    await first.click("#after-failure")
    await expect(first.locator("#after-failure")).to_have_text("Clicked 2")
    text = server_log(request, url)
    assert "the view tests.django_views.failing_view failed" in text
    assert "failing_view exploded on purpose" in text
    await context.close()


@pytest.mark.browser
@pytest.mark.backends
@pytest.mark.django_db(transaction=True)
async def test_iframes_show_registered_views_with_their_arguments(
    page: Page, live_server_url: str
) -> None:
    await page.goto(f"{live_server_url}/test/view_iframe/")
    frame = page.frame_locator("#args-frame")
    await expect(frame.locator("#iframe-args")).to_have_text(
        "args=['first', '2nd'] kwargs=colour=blue"
    )
    class_frame = page.frame_locator("#class-frame")
    await expect(class_frame.locator("#iframe-class")).to_have_text("Class view in a frame")
    # extra_props cannot replace the src.
    src = await page.locator("#class-frame").get_attribute("src")
    assert src == "/reactpy/iframe/tests.django_views.IframeClassView"


@pytest.mark.browser
@pytest.mark.backends
@pytest.mark.django_db(transaction=True)
async def test_django_css_applies_and_django_js_runs_once(page: Page, live_server_url: str) -> None:
    await page.goto(f"{live_server_url}/test/view_assets/")
    styled = page.locator("#styled-by-django-css")
    await expect(styled).to_have_css("color", "rgb(12, 34, 56)")
    await expect(page.locator("body")).to_have_attribute("data-django-js-runs", "1")
    for renders in range(1, 4):
        await page.click("#rerender-assets")
        await expect(page.locator("#rerender-assets")).to_have_text(f"Renders {renders}")
    assert await page.evaluate("window.djangoJsRuns") == 1


@pytest.mark.browser
@pytest.mark.backends
@pytest.mark.django_db(transaction=True)
async def test_a_missing_static_file_is_logged_by_name_and_the_rest_renders(
    page: Page, asgi_server: AsgiServerFactory, request: pytest.FixtureRequest
) -> None:
    url = asgi_server()
    await page.goto(f"{url}/test/view_missing_asset/")
    await expect(page.locator("#beside-missing")).to_have_text("Still here")
    await expect(page.locator("#missing-slot")).to_be_empty()
    assert "'tests/no-such-file.css' was not found" in server_log(request, url)


# Hostile and wrong input, over Django's test client (no browser).


@pytest.mark.backends
@pytest.mark.django_db
async def test_a_forged_iframe_path_is_404_and_never_imported() -> None:
    client = AsyncClient()
    assert "tests._never_imported" not in sys.modules
    for forged in ["tests._never_imported.view", "os.system", "..%2Fsettings", "x" * 300]:
        url = reverse("reactpy:view_to_iframe", args=[forged])
        response = await client.get(url)
        assert response.status_code == 404, forged
    assert "tests._never_imported" not in sys.modules


@pytest.mark.backends
@pytest.mark.django_db
async def test_the_iframe_view_serves_arguments_and_refuses_unknown_ones() -> None:
    client = AsyncClient()
    url = reverse("reactpy:view_to_iframe", args=["tests.django_views.iframe_view"])
    response = await client.get(url, {"_args": ["a", "b"], "k": ["1", "2"]})
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "args=[&#x27;a&#x27;, &#x27;b&#x27;] kwargs=k=[&#x27;1&#x27;, &#x27;2&#x27;]" in (
        response.content.decode()
    )
    class_url = reverse("reactpy:view_to_iframe", args=["tests.django_views.IframeClassView"])
    refused = await client.get(class_url, {"unexpected": "1"})
    assert refused.status_code == 400
    assert "does not take these query arguments" in refused.content.decode()


def test_view_to_iframe_of_an_unregistered_view_names_register_iframe() -> None:
    constructor = view_to_iframe(django_views.function_view)
    with pytest.raises(ViewNotRegisteredError, match=r"register_iframe\("):
        constructor()


def test_register_iframe_of_a_path_that_imports_nothing_names_the_path() -> None:
    with pytest.raises(ViewDoesNotExistError, match=r"tests\.no_such_module\.view"):
        register_iframe("tests.no_such_module.view")
