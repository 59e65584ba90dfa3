"""The built client.js in Debian's chromium, against a scripted WebSocket server.

The server (`websockets`, on a free port) serves a page per scenario and answers, refuses or
drops each WebSocket when the test says so, so every reconnect is driven by a signal, never
by waiting a while. What a retry must not do (connect again, fetch again) is checked at the
end, after every later scenario has run.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, ConsoleMessage, Page, expect
from websockets.asyncio.server import ServerConnection, serve
from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

pytestmark = [pytest.mark.browser]

_CLIENT = Path(__file__).resolve().parents[1] / "reactpy_django/static/reactpy_django/client.js"
_WAIT = 10.0
_MOUNT = 'import { mountComponent } from "/static/client.js"; mountComponent("cfg");'


def _page(scenario: str) -> bytes:
    config = {
        "mountId": "m",
        "wsPath": f"/reactpy/{scenario}/abc/0/",
        "host": None,
        "webModulesPath": "/reactpy/web_module/",
        "prerenderId": "m-prerender" if scenario in ("prerender", "down") else None,
        "offlineId": None if scenario == "queue" else "m-offline",
        "reconnect": {
            "interval": 100,
            "maxInterval": 400,
            "maxRetries": 0 if scenario == "noretry" else 8,
            "backoffMultiplier": 2,
        },
    }
    prerender = '<div id="m-prerender"><p id="pre">prerendered</p></div>'
    offline = '<div id="m-offline" hidden><p>offline!</p></div>'
    return f"""<!doctype html><html><body>
<div id="m"></div>
{prerender if config["prerenderId"] else ""}
{offline if config["offlineId"] else ""}
<script id="cfg" type="application/json">{json.dumps(config)}</script>
<script type="module">{_MOUNT}</script>
</body></html>""".encode()


def _response(status: int, body: bytes, content_type: str) -> Response:
    headers = Headers([("Content-Type", content_type), ("Content-Length", str(len(body)))])
    return Response(status, "OK" if status < 400 else "ERR", headers, body)


def _button(count: int) -> dict[str, Any]:
    target = {"target": "t1", "preventDefault": False, "stopPropagation": False}
    return {
        "tagName": "button",
        "attributes": {"id": "btn"},
        "eventHandlers": {"onClick": target},
        "children": [f"count:{count}"],
    }


def _layout(scenario: str) -> dict[str, Any]:
    children: list[dict[str, Any]] = [
        _button(0),
        {
            "tagName": "input",
            "attributes": {"id": "inp", "value": ""},
            "eventHandlers": {"onChange": {"target": "t2"}},
        },
    ]
    if scenario == "auth":
        children.append(
            {
                "tagName": "HttpRequest",
                "attributes": {"method": "GET", "url": "/auth/xyz", "body": None},
                "eventHandlers": {"callback": {"target": "cb"}},
                "importSource": {
                    "source": "reactpy-django.js",
                    "sourceType": "NAME",
                    "fallback": None,
                    "unmountBeforeUpdate": False,
                },
            }
        )
    root = {"tagName": "div", "attributes": {"id": "root"}, "children": children}
    return {"type": "layout-update", "path": "", "model": {"tagName": "", "children": [root]}}


class _ScriptedServer:
    """Pages, the bundle and one WebSocket per mount; the test refuses or drops sockets."""

    def __init__(self) -> None:
        self.client = _CLIENT.read_bytes()
        self.connections: Counter[str] = Counter()
        self.rejected: Counter[str] = Counter()
        self.ws_paths: list[str] = []
        self.events: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)
        self.http_hits: list[str] = []
        self.refusing: set[str] = set()  # scenarios whose WebSocket upgrades get a 503
        self._drops: defaultdict[str, asyncio.Event] = defaultdict(asyncio.Event)
        self.base = ""

    def drop(self, scenario: str) -> None:
        """Close the scenario's open WebSocket with 1011 (the next one stays open)."""
        self._drops[scenario].set()

    async def until(self, condition: Callable[[], bool], what: str) -> None:
        """Wait until `condition()` holds for what the server saw, or fail naming `what`."""
        deadline = time.monotonic() + _WAIT
        while not condition():
            assert time.monotonic() < deadline, f"{what}: not within {_WAIT}s"
            await asyncio.sleep(0.01)  # polling until the deadline

    def process_request(self, connection: ServerConnection, request: Request) -> Response | None:
        path = request.path
        if request.headers.get("Upgrade", "").lower() == "websocket":
            scenario = path.split("/")[2]
            if scenario in self.refusing:
                self.rejected[scenario] += 1
                return _response(503, b"down", "text/plain")
            return None
        self.http_hits.append(path)
        if path.startswith("/page/"):
            return _response(200, _page(path.split("/")[2].split("?")[0]), "text/html")
        if path in ("/static/client.js", "/reactpy/web_module/reactpy-django.js"):
            return _response(200, self.client, "text/javascript")
        if path.startswith("/auth/"):
            return _response(200, b"token-ok", "text/plain")
        return _response(404, b"nope", "text/plain")

    async def handler(self, socket: ServerConnection) -> None:
        request = socket.request
        assert request is not None
        scenario = request.path.split("/")[2]
        self.connections[scenario] += 1
        self.ws_paths.append(request.path)
        if scenario == "refuse":
            await socket.close(4004, "unknown component demo.nope")
            return
        await socket.send(json.dumps(_layout(scenario)))
        dropped = asyncio.ensure_future(self._drops[scenario].wait())
        count = 0
        try:
            while True:
                receiving = asyncio.ensure_future(socket.recv())
                await asyncio.wait({receiving, dropped}, return_when=asyncio.FIRST_COMPLETED)
                if dropped.done():
                    receiving.cancel()
                    del self._drops[scenario]
                    await socket.close(1011, "boom")
                    return
                message: dict[str, Any] = json.loads(receiving.result())
                self.events[scenario].append(message)
                if message["target"] == "t1":
                    count += 1
                    update = {
                        "type": "layout-update",
                        "path": "/children/0/children/0",
                        "model": _button(count),
                    }
                    await socket.send(json.dumps(update))
        except ConnectionClosed:
            return
        finally:
            dropped.cancel()


@pytest.fixture
async def scripted() -> AsyncIterator[_ScriptedServer]:
    """The scripted server on a free port of 127.0.0.1."""
    server = _ScriptedServer()
    async with serve(
        server.handler, "127.0.0.1", 0, process_request=server.process_request
    ) as running:
        port = next(iter(running.sockets)).getsockname()[1]
        server.base = f"http://127.0.0.1:{port}"
        yield server


async def _state(page: Page, state: str) -> None:
    await expect(page.locator("#m")).to_have_attribute("data-reactpy-state", state)


async def _cut_off(page: Page, server: _ScriptedServer, scenario: str) -> None:
    """Refuse `scenario`'s upgrades and drop its socket; return once the page saw it close."""
    server.refusing.add(scenario)
    server.drop(scenario)
    await page.wait_for_function("document.getElementById('m').dataset.reactpyState !== 'open'")


async def test_the_client_connects_reconnects_queues_and_refuses(
    browser: Browser, scripted: _ScriptedServer
) -> None:
    context = await browser.new_context()
    context.set_default_timeout(_WAIT * 1000)
    logs: list[tuple[str, str]] = []

    async def new_page() -> Page:
        page = await context.new_page()

        def console(message: ConsoleMessage) -> None:
            logs.append((message.type, message.text))

        page.on("console", console)
        page.on("pageerror", lambda error: logs.append(("pageerror", str(error))))
        return page

    server = scripted
    base = server.base

    # Connect: the location goes along; clicks and input reach the server as DOM events.
    page = await new_page()
    await page.goto(base + "/page/basic/?a=1&b=x%20y")
    await _state(page, "open")
    assert server.ws_paths[-1] == (
        "/reactpy/basic/abc/0/?http_pathname=%2Fpage%2Fbasic%2F&http_search=%3Fa%3D1%26b%3Dx%2520y"
    )
    await page.click("#btn")
    await page.click("#btn")
    await expect(page.locator("#btn")).to_have_text("count:2")
    assert [event["target"] for event in server.events["basic"]] == ["t1", "t1"]
    assert server.events["basic"][0]["data"][0]["type"] == "click"
    await page.fill("#inp", "hi")
    await server.until(lambda: any(e["target"] == "t2" for e in server.events["basic"]), "input")
    changes = [event for event in server.events["basic"] if event["target"] == "t2"]
    assert changes[-1]["data"][0]["target"]["value"] == "hi"
    await page.close()

    # The prerendered HTML goes once the component is live.
    page = await new_page()
    await page.goto(base + "/page/prerender/")
    await expect(page.locator("#btn")).to_be_visible()
    await expect(page.locator("#m-prerender")).to_have_count(0)
    await page.close()

    # Server down at page load: the prerender stays while the client retries.
    server.refusing.add("down")
    page = await new_page()
    await page.goto(base + "/page/down/")
    await server.until(lambda: server.rejected["down"] >= 2, "two refused upgrades")
    await expect(page.locator("#pre")).to_be_visible()
    server.refusing.discard("down")
    await expect(page.locator("#btn")).to_be_visible()
    assert server.connections["down"] == 1
    await expect(page.locator("#m-prerender")).to_have_count(0)
    await expect(page.locator("#m-offline")).to_be_hidden()
    await page.close()

    # A dropped socket: the client reconnects with the location it has by then.
    page = await new_page()
    await page.goto(base + "/page/drop/?q=1")
    await expect(page.locator("#btn")).to_be_visible()
    await _cut_off(page, server, "drop")
    await page.evaluate("history.pushState({}, '', '/moved/?z=9')")
    server.refusing.discard("drop")
    await _state(page, "open")
    assert server.connections["drop"] == 2
    assert server.ws_paths[-1].endswith("?http_pathname=%2Fmoved%2F&http_search=%3Fz%3D9")
    await expect(page.locator("#btn")).to_be_visible()
    await expect(page.locator("#m-offline")).to_be_hidden()
    await page.click("#btn")
    await server.until(lambda: len(server.events["drop"]) == 1, "a click after reconnecting")
    await page.close()

    # No retries allowed: the offline component replaces the mount.
    page = await new_page()
    await page.goto(base + "/page/noretry/")
    await expect(page.locator("#btn")).to_be_visible()
    server.drop("noretry")
    await _state(page, "closed")
    await expect(page.locator("#m-offline")).to_be_visible()
    await expect(page.locator("#btn")).to_be_hidden()
    await page.click("#m-offline")  # does nothing
    await page.close()

    # A refused component (4004): the reason on the console, and no retry.
    page = await new_page()
    await page.goto(base + "/page/refuse/")
    await _state(page, "refused")
    assert any(
        kind == "error" and "4004" in text and "unknown component demo.nope" in text
        for kind, text in logs
    ), logs
    await page.close()

    # The auth web module fetches its URL and calls back with status and text.
    page = await new_page()
    await page.goto(base + "/page/auth/")
    await server.until(lambda: any(e["target"] == "cb" for e in server.events["auth"]), "callback")
    await page.click("#btn")  # a re-render must not fetch again (checked at the end)
    await expect(page.locator("#btn")).to_have_text("count:1")
    await page.close()

    # Events while disconnected wait, and go once the socket is back.
    page = await new_page()
    await page.goto(base + "/page/queue/")
    await expect(page.locator("#btn")).to_be_visible()
    await _cut_off(page, server, "queue")
    await page.click("#btn")
    await page.click("#btn")
    assert server.events["queue"] == []  # no socket can be open: upgrades are refused
    server.refusing.discard("queue")
    await server.until(lambda: len(server.events["queue"]) == 2, "the queued clicks")
    assert [event["target"] for event in server.events["queue"]] == ["t1", "t1"]

    # A network error reaches the HttpRequest callback as status 520.
    result = await page.evaluate("""async () => {
        const m = await import('/reactpy/web_module/reactpy-django.js');
        const node = document.createElement('div'); document.body.appendChild(node);
        const b = m.bind(node, {});
        return await new Promise((resolve) => {
          b.render(b.create(m.HttpRequest, {method: 'GET', url: 'http://127.0.0.1:1/x',
             body: null, callback: (s, t) => resolve([s, t])}, []));
          setTimeout(() => resolve('timeout'), 4000);
        });
    }""")
    assert result == [520, ""]
    await page.close()
    await context.close()

    # What must not have happened while the later scenarios ran.
    assert server.connections["noretry"] == 1
    assert server.connections["refuse"] == 1
    callbacks = [event for event in server.events["auth"] if event["target"] == "cb"]
    assert [event["data"] for event in callbacks] == [[200, "token-ok"]]
    assert server.http_hits.count("/auth/xyz") == 1
    assert [text for kind, text in logs if kind == "pageerror"] == []
