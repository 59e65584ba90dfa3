"""Components in Debian's chromium: mount, arguments, connection hooks, prerender, offline,
another host, reconnecting after a server restart, and arguments bound to the session."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest
from django.db import connection
from playwright.async_api import Browser, Page, Route, WebSocket, expect

from tests import servers
from tests.conftest import RUN_DIR, AsgiServerFactory

pytestmark = [pytest.mark.backends, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

_UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
_SLOW = 20_000  # ms: a server restart plus the client's backoff


def _sockets(page: Page) -> list[str]:
    """URLs of the WebSockets `page` opens from now on."""
    urls: list[str] = []

    def opened(socket: WebSocket) -> None:
        urls.append(socket.url)

    page.on("websocket", opened)
    return urls


async def test_mount_and_arguments(page: Page, live_server_url: str) -> None:
    await page.goto(f"{live_server_url}/test/arguments/?a=1&a=2")
    await expect(page.locator("#args")).to_have_text(
        "(7, 'seven', 1.5, <QueryDict: {'a': ['1', '2']}>)"
    )
    await expect(page.locator("#kwargs")).to_have_text("{'flag': True, 'nothing': None}")
    await expect(page.locator("[data-reactpy-state]")).to_have_attribute(
        "data-reactpy-state", "open"
    )


async def test_every_connection_hook(page: Page, live_server_url: str) -> None:
    await page.goto(f"{live_server_url}/test/hooks/?q=red+shoes&page=2")
    report = page.locator("#report")
    await expect(report.locator("#carrier")).to_have_text("ReactpyAsyncWebsocketConsumer")
    await expect(report.locator("#dotted-path")).to_have_text("tests.components.hook_report")
    await expect(report.locator("#scope-type")).to_have_text("websocket")
    await expect(report.locator("#location")).to_have_text("/test/hooks/?q=red+shoes&page=2")
    await expect(report.locator("#search")).to_have_text("'?q=red+shoes&page=2'")
    await expect(report.locator("#origin")).to_have_text(live_server_url)
    root_id = await report.locator("#root-id").text_content()
    assert root_id is not None
    assert _UUID4.match(root_id)
    assert await page.locator(f"#reactpy-{root_id}").count() == 1  # the tag's own id

    # use_rerender: the whole tree renders again, hook state stays, the socket stays.
    tree = page.locator("#tree")
    await tree.locator("#bump").click()
    await expect(tree.locator("#bumps")).to_have_text("bumps:1")
    before = {
        name: await tree.locator(f"#{name}-uuid").text_content()
        for name in ("parent", "child", "grandchild")
    }
    await tree.locator("#rerender").click()
    for name, text in before.items():
        await expect(tree.locator(f"#{name}-uuid")).not_to_have_text(text or "")
    await expect(tree.locator("#bumps")).to_have_text("bumps:1")

    # The doc's own example, with its zero-argument click handler.
    doc = page.locator("#doc-rerender")
    first = await doc.locator("div").first.text_content()
    await doc.get_by_role("button", name="Rerender").click()
    await expect(doc.locator("div").first).not_to_have_text(first or "")
    await expect(doc.locator("div").first).to_contain_text("UUID: ")

    # A reload is a new page: a new root id.
    await page.reload()
    await expect(report.locator("#root-id")).not_to_have_text(root_id)
    await expect(report.locator("#root-id")).to_have_text(_UUID4)


_DOM_STATES = """
window.__states = [];
const sample = () => {
  const shown = [...document.querySelectorAll(".box")]
    .filter((box) => box.closest("[hidden]") === null)
    .map((box) => box.id.endsWith("-prerender") ? "prerender"
      : box.textContent.trim() ? "live" : "empty");
  const state = shown.join("+") || "nothing";
  if (window.__states[window.__states.length - 1] !== state) window.__states.push(state);
};
new MutationObserver(sample).observe(document, {
  subtree: true, childList: true, attributes: true, characterData: true,
});
"""


async def test_prerender_then_the_websocket_takes_over_without_flicker(
    page: Page, live_server_url: str
) -> None:
    prerender_seen = asyncio.Event()

    async def held_client(route: Route) -> None:  # the client script waits for the check below
        await prerender_seen.wait()
        await route.continue_()

    await page.route("**/reactpy_django/client.js", held_client)
    await page.add_init_script(_DOM_STATES)
    response = await page.goto(f"{live_server_url}/test/prerender/", wait_until="commit")
    assert response is not None
    html = await response.text()
    assert 'Hello, Ada! <span id="rendered-over">http</span>' in html  # in the HTTP response
    await expect(page.locator("#rendered-over")).to_have_text("http")  # the prerender, alone
    prerender_seen.set()
    await expect(page.locator("#greeting")).to_contain_text("Hello, Ada!")
    await expect(page.locator("#rendered-over")).to_have_text("websocket")
    await expect(page.locator("[id$=-prerender]")).to_have_count(0)
    await expect(page.locator("#greeting-origin")).to_have_text(live_server_url)
    states: list[str] = await page.evaluate("window.__states")
    shown = states[states.index("prerender") :]
    # Prerendered HTML, then the live component in its place: never both, never neither.
    assert shown == ["prerender", "live"], states


async def test_server_restart_shows_offline_then_reconnects_with_arguments(
    page: Page, asgi_server: AsgiServerFactory, request: pytest.FixtureRequest
) -> None:
    port = servers.free_port()
    first = servers.start_asgi(
        port,
        {
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "REACTPY_TEST_DB_NAME": str(connection.settings_dict["NAME"]),
        },
        log=_log(request, port),
    )
    try:
        await page.goto(f"http://127.0.0.1:{port}/test/restart/")
        counter = page.locator("#counter")
        await expect(counter.locator("#count")).to_have_text("Clicks: 5")
        await counter.locator("#increment").click()
        await expect(counter.locator("#count")).to_have_text("Clicks: 6")
        root_id = await page.locator("#root").text_content()
        assert root_id is not None
        await expect(page.locator("#offline")).to_be_hidden()
    finally:
        servers.stop(first)

    # Down: the offline component shows, the mount point hides.
    await expect(page.locator("#offline")).to_be_visible()
    await expect(page.locator("#offline")).to_have_text("Offline: reconnecting...")
    await expect(counter.locator("#count")).to_be_hidden()
    await expect(counter.locator("[data-reactpy-state]")).to_have_attribute(
        "data-reactpy-state", re.compile("connecting|closed")
    )

    asgi_server(port=port)  # a new process on the same port
    await expect(counter.locator("#count")).to_have_text("Clicks: 5", timeout=_SLOW)
    await expect(page.locator("#offline")).to_be_hidden()
    await expect(page.locator("#root")).to_have_text(root_id)  # the same page, the same id
    await counter.locator("#increment").click()
    await expect(counter.locator("#count")).to_have_text("Clicks: 6")


def _log(request: pytest.FixtureRequest, port: int) -> Path:
    directory = RUN_DIR / "logs"
    directory.mkdir(parents=True, exist_ok=True)
    return directory / f"{request.node.name[:80]}-{port}-first.log"


async def test_host_serves_the_websocket_from_another_server(
    page: Page, asgi_server: AsgiServerFactory
) -> None:
    page_server = asgi_server()
    socket_server = asgi_server()
    socket_host = socket_server.removeprefix("http://")
    sockets = _sockets(page)
    await page.goto(f"{page_server}/test/host/?host={socket_host}")
    report = page.locator("#report")
    await expect(report.locator("#carrier")).to_have_text("ReactpyAsyncWebsocketConsumer")
    await expect(report.locator("#origin")).to_have_text(page_server)  # the page's origin
    counter = page.locator("#counter")
    await expect(counter.locator("#count")).to_have_text("Remote: 3")  # arguments crossed over
    await counter.locator("#increment").click()
    await expect(counter.locator("#count")).to_have_text("Remote: 4")
    assert len(sockets) == 2
    assert all(url.startswith(f"ws://{socket_host}/reactpy/") for url in sockets), sockets


_REPLAY = """
(url) => new Promise((resolve) => {
  const socket = new WebSocket(url);
  let first = null;
  socket.onmessage = (event) => { first = first ?? event.data; socket.close(1000); };
  socket.onclose = (event) => resolve({code: event.code, first});
})
"""


async def test_arguments_mount_only_in_the_browser_session_that_rendered_them(
    browser: Browser, live_server_url: str
) -> None:
    owner = await (await browser.new_context()).new_page()
    sockets = _sockets(owner)
    await owner.goto(f"{live_server_url}/test/counter/")
    await expect(owner.locator("#count")).to_have_text("Clicks: 5")
    (url,) = sockets
    assert url.endswith("/1/") or "/1/?" in url  # the page stored arguments

    # A browser without cookies replays the URL from a page of the same site.
    stranger = await (await browser.new_context()).new_page()
    await stranger.goto(f"{live_server_url}/test/blank/")
    assert await stranger.context.cookies() == []
    refused = await stranger.evaluate(_REPLAY, url)
    assert refused == {"code": 4003, "first": None}

    # Another browser with a session of its own is refused too.
    other = await (await browser.new_context()).new_page()
    await other.goto(f"{live_server_url}/test/counter/")
    await expect(other.locator("#count")).to_have_text("Clicks: 5")
    assert await other.evaluate(_REPLAY, url) == {"code": 4003, "first": None}

    # The browser that rendered the page can open it again (a reconnect).
    again = await owner.evaluate(_REPLAY, url)
    assert again["code"] == 1000
    assert "Clicks: 5" in again["first"]
    for context in browser.contexts:
        await context.close()


async def test_demo_page_shows_each_connection_hook(page: Page, live_server_url: str) -> None:
    await page.goto(f"{live_server_url}/connection/?from=demo")
    await expect(page.locator("#connection")).to_contain_text(
        "carrier=ReactpyAsyncWebsocketConsumer"
    )
    await expect(page.locator("#scope")).to_contain_text("type: websocket")
    await expect(page.locator("#location")).to_have_text("/connection/?from=demo")
    await expect(page.locator("#origin")).to_have_text(live_server_url)
    await expect(page.locator("#root-id")).to_have_text(re.compile(r"^Root ID: [0-9a-f-]{36}$"))
    before = await page.locator("#rerender").text_content()
    await page.locator("#rerender").get_by_role("button").click()
    await expect(page.locator("#rerender")).not_to_have_text(before or "")
    await expect(page.locator("#greeting")).to_have_text("Hello, Ada! (rendered over websocket)")
