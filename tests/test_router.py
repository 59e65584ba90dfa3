"""`django_router` in a real browser: Django's converters, link navigation on one WebSocket,
`use_location` following it, the catch-all route and URLs no route matches."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Page, WebSocket, expect
from reactpy_router import route
from reactpy_router.types import ConversionInfo

from reactpy_django.registry import register_component
from reactpy_django.router import CONVERTERS, DjangoResolver, django_router
from reactpy_django.testing import mount
from tests.router_components import UUID_TEXT

pytestmark = [pytest.mark.backends, pytest.mark.django_db(transaction=True)]


def _count_sockets(page: Page) -> list[str]:
    opened: list[str] = []

    def on_socket(socket: WebSocket) -> None:
        opened.append(socket.url)

    page.on("websocket", on_socket)
    return opened


async def _expect_page(page: Page, title: str, *params: str) -> None:
    await expect(page.locator("#page")).to_have_text(title)
    if params:
        await expect(page.locator("#params li")).to_have_text(list(params))


@pytest.mark.parametrize(
    ("url", "title", "param"),
    [
        ("/router/int/7/", "int", "number=7 (int)"),
        (f"/router/uuid/{UUID_TEXT}/", "uuid", f"value={UUID_TEXT} (UUID)"),
        ("/router/slug/my-slug_2/", "slug", "value=my-slug_2 (str)"),
        ("/router/path/x/y/z.html", "path", "value=x/y/z.html (str)"),
        ("/router/int/not-a-number/", "not found", "rest=int/not-a-number/"),
        ("/router/somewhere/else", "not found", "rest=somewhere/else"),
    ],
    ids=["int", "uuid", "slug", "path", "int-refused", "any"],
)
@pytest.mark.browser
async def test_a_loaded_url_gets_its_route_and_converted_params(
    page: Page, live_server_url: str, url: str, title: str, param: str
) -> None:
    await page.goto(f"{live_server_url}{url}")
    await _expect_page(page, title, param)
    await expect(page.locator("#location")).to_have_text(f"location:{url}")


@pytest.mark.browser
async def test_links_navigate_on_the_same_websocket_and_location_follows(
    page: Page, live_server_url: str
) -> None:
    sockets = _count_sockets(page)
    # reactpy-router's own JS (History, Link) comes from our web module view.
    async with page.expect_response(lambda r: "/web_module/reactpy-router" in r.url) as module:
        await page.goto(f"{live_server_url}/router/?from=start")
    assert (await module.value).status == 200
    await _expect_page(page, "home")
    await expect(page.locator("#location")).to_have_text("location:/router/?from=start")
    # A page load would drop this; client-side navigation keeps it.
    await page.evaluate("window.__sameDocument = true")

    steps = [
        ("int", "int", "number=42 (int)", "/router/int/42/"),
        ("uuid", "uuid", f"value={UUID_TEXT} (UUID)", f"/router/uuid/{UUID_TEXT}/"),
        ("slug", "slug", "value=a-slug_1 (str)", "/router/slug/a-slug_1/"),
        ("path", "path", "value=a/b/c.txt (str)", "/router/path/a/b/c.txt"),
        ("any", "not found", "rest=nowhere/at/all/", "/router/nowhere/at/all/"),
    ]
    for link, title, param, pathname in steps:
        await page.click(f"#to-{link}")
        await _expect_page(page, title, param)
        await expect(page).to_have_url(re.compile(re.escape(pathname) + "$"))
        await expect(page.locator("#location")).to_have_text(f"location:{pathname}")
        await expect(page.locator("#connection-location")).to_have_text(f"connection:{pathname}")

    await page.go_back()  # the browser's history: back to the path page
    await _expect_page(page, "path", "value=a/b/c.txt (str)")
    await expect(page.locator("#location")).to_have_text("location:/router/path/a/b/c.txt")
    await page.click("#to-home")
    await _expect_page(page, "home")

    assert await page.evaluate("window.__sameDocument") is True
    assert len(sockets) == 1, sockets
    assert "/reactpy/" in sockets[0]


@pytest.mark.browser
async def test_no_matching_route_renders_nothing_and_the_page_stays(
    page: Page, live_server_url: str
) -> None:
    await page.goto(f"{live_server_url}/router-bare/unknown/")
    await expect(page.locator("#shell")).to_have_text("shell")
    await expect(page.locator("#page")).to_have_count(0)
    await page.goto(f"{live_server_url}/router-bare/int/5/")
    await _expect_page(page, "int", "number=5 (int)")


def test_converters_are_djangos_plus_any() -> None:
    assert set(CONVERTERS) == {"int", "str", "slug", "uuid", "path", "any"}
    assert CONVERTERS["int"]["func"]("12") == 12
    assert DjangoResolver(route("<any:rest>", None)).resolve("") is not None


def test_an_unknown_converter_names_the_fix() -> None:
    with pytest.raises(ValueError, match="register_converter"):
        DjangoResolver(route("/x/<year:y>/", None))


def test_a_converter_refusing_a_value_is_no_match() -> None:
    def to_python(value: str) -> int:
        number = int(value)
        if number > 9999:
            raise ValueError(value)
        return number

    converters: dict[str, ConversionInfo] = {"year": {"regex": r"[0-9]+", "func": to_python}}
    resolver = DjangoResolver(route("/y/<year:y>/", None), converters=converters)
    matched = resolver.resolve("/y/2024/")
    assert matched is not None
    assert matched.params == {"y": 2024}
    assert resolver.resolve("/y/12345/") is None


def test_django_router_is_a_component() -> None:
    assert hasattr(django_router(route("/", None)), "render")


async def test_forged_history_events_leave_the_session_working() -> None:
    path = register_component("tests.router_components.router_app")
    async with mount(path, url="/router/int/3/") as mounted:
        history = mounted.find("History")
        await mounted.fire(
            history, "onHistoryChangeCallback", {"pathname": "/router/int/3/", "search": ""}
        )
        await mounted.wait_for_text("number=3 (int)")
        # Wrong keys, wrong types, nothing at all: the handler fails, logged; nothing else.
        await mounted.fire(history, "onHistoryChangeCallback", {"pathname": "/x", "evil": 1})
        await mounted.fire(history, "onHistoryChangeCallback", "not an object")
        await mounted.fire(history, "onHistoryChangeCallback")
        await mounted.fire(history, "onHistoryChangeCallback", {"pathname": 5, "search": None})
        await mounted.fire(
            history, "onHistoryChangeCallback", {"pathname": "/router/slug/ok/", "search": ""}
        )
        await mounted.wait_for_text("value=ok (str)")
        assert "location:/router/slug/ok/" in mounted.text
