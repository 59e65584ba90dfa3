"""Browser smoke test of the built client.js against a fake ReactPy server.

Needs Python with `websockets` and `playwright`, and a Chromium at /usr/bin/chromium
(override with CHROMIUM=...). Run: python js/test/browser_smoke.py
Serves the page, the bundle, the web module and the websocket on 127.0.0.1:8765.
"""

import asyncio, json, os, sys, pathlib, collections
from websockets.asyncio.server import serve
from websockets.http11 import Response
from websockets.datastructures import Headers
from playwright.async_api import async_playwright

STATIC = (
    pathlib.Path(__file__).resolve().parents[2] / "reactpy_django/static/reactpy_django/client.js"
).read_bytes()
PORT = 8765
connections = collections.Counter()
ws_paths = []
events = collections.defaultdict(list)
http_hits = []
reject_upgrades = {"down": 3, "queue": 0}


def page(scn, prerender=False, offline=True, retries=5):
    cfg = {
        "mountId": "m",
        "wsPath": f"/reactpy/{scn}/abc/0/",
        "host": None,
        "webModulesPath": "/reactpy/web_module/",
        "prerenderId": "m-prerender" if prerender else None,
        "offlineId": "m-offline" if offline else None,
        "reconnect": {
            "interval": 100,
            "maxInterval": 400,
            "maxRetries": retries,
            "backoffMultiplier": 2,
        },
    }
    return f"""<!doctype html><html><body>
<div id="m"></div>
{'<div id="m-prerender"><p id="pre">prerendered</p></div>' if prerender else ""}
{'<div id="m-offline" hidden><p>offline!</p></div>' if offline else ""}
<script id="cfg" type="application/json">{json.dumps(cfg)}</script>
<script type="module">import {{ mountComponent }} from "/static/client.js"; mountComponent("cfg");</script>
</body></html>""".encode()


def resp(status, body, ctype):
    return Response(
        status,
        "OK" if status < 400 else "ERR",
        Headers([("Content-Type", ctype), ("Content-Length", str(len(body)))]),
        body,
    )


async def process_request(connection, request):
    path = request.path
    if request.headers.get("Upgrade", "").lower() == "websocket":
        scn = path.split("/")[2]
        if reject_upgrades.get(scn, 0) > 0:
            reject_upgrades[scn] -= 1
            connections[scn + ":rejected"] += 1
            return resp(503, b"down", "text/plain")
        return None
    http_hits.append(path)
    if path.startswith("/page/"):
        scn = path.split("/")[2].split("?")[0]
        return resp(
            200,
            page(
                scn,
                prerender=scn in ("prerender", "down"),
                offline=scn != "queue",
                retries=0 if scn == "noretry" else 8,
            ),
            "text/html",
        )
    if path == "/static/client.js" or path == "/reactpy/web_module/reactpy-django.js":
        return resp(200, STATIC, "text/javascript")
    if path.startswith("/auth/"):
        return resp(200, b"token-ok", "text/plain")
    return resp(404, b"nope", "text/plain")


def layout(scn, n):
    children = [
        {
            "tagName": "button",
            "attributes": {"id": "btn"},
            "eventHandlers": {
                "onClick": {"target": "t1", "preventDefault": False, "stopPropagation": False}
            },
            "children": [f"count:{n}"],
        },
        {
            "tagName": "input",
            "attributes": {"id": "inp", "value": ""},
            "eventHandlers": {"onChange": {"target": "t2"}},
        },
    ]
    if scn == "auth":
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
    return {
        "type": "layout-update",
        "path": "",
        "model": {
            "tagName": "",
            "children": [{"tagName": "div", "attributes": {"id": "root"}, "children": children}],
        },
    }


async def handler(ws):
    path = ws.request.path
    scn = path.split("/")[2]
    connections[scn] += 1
    ws_paths.append(path)
    if scn == "refuse":
        await ws.close(4004, "unknown component demo.nope")
        return
    if scn == "queue" and connections[scn] == 1:
        await ws.send(json.dumps(layout(scn, 0)))
        await asyncio.sleep(0.3)
        reject_upgrades["queue"] = 4
        await ws.close(1011, "boom")
        return
    if scn in ("drop", "noretry") and connections[scn] == 1:
        await ws.send(json.dumps(layout(scn, 0)))
        await asyncio.sleep(0.3)
        await ws.close(1011, "boom")
        return
    n = 0
    await ws.send(json.dumps(layout(scn, n)))
    async for frame in ws:
        msg = json.loads(frame)
        events[scn].append(msg)
        if msg["target"] == "t1":
            n += 1
            await ws.send(
                json.dumps(
                    {
                        "type": "layout-update",
                        "path": "/children/0/children/0",
                        "model": layout(scn, n)["model"]["children"][0]["children"][0],
                    }
                )
            )


async def wait_for(cond, timeout=5.0):
    for _ in range(int(timeout / 0.05)):
        if cond():
            return True
        await asyncio.sleep(0.05)
    return False


results = []


def check(name, ok, detail=""):
    results.append(ok)
    print(("PASS" if ok else "FAIL"), name, detail)


async def main():
    async with serve(handler, "127.0.0.1", PORT, process_request=process_request):
        async with async_playwright() as p:
            browser = await p.chromium.launch(
                executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
                args=["--no-sandbox"],
            )
            ctx = await browser.new_context()
            logs = []

            async def newpage():
                pg = await ctx.new_page()
                pg.on("console", lambda m: logs.append((m.type, m.text)))
                pg.on("pageerror", lambda e: logs.append(("pageerror", str(e))))
                return pg

            base = f"http://127.0.0.1:{PORT}"

            # basic
            pg = await newpage()
            await pg.goto(base + "/page/basic/?a=1&b=x%20y")
            await pg.wait_for_selector("#btn")
            check("basic state open", await pg.get_attribute("#m", "data-reactpy-state") == "open")
            check(
                "ws query",
                ws_paths[-1]
                == "/reactpy/basic/abc/0/?http_pathname=%2Fpage%2Fbasic%2F&http_search=%3Fa%3D1%26b%3Dx%2520y",
                ws_paths[-1],
            )
            await pg.click("#btn")
            await pg.click("#btn")
            await pg.wait_for_selector("text=count:2")
            check(
                "click events",
                [e["target"] for e in events["basic"]] == ["t1", "t1"]
                and events["basic"][0]["data"][0]["type"] == "click",
            )
            await pg.fill("#inp", "hi")
            await wait_for(lambda: any(e["target"] == "t2" for e in events["basic"]))
            ev = [e for e in events["basic"] if e["target"] == "t2"]
            check(
                "input event value",
                ev and ev[-1]["data"][0]["target"]["value"] == "hi",
                str(ev[-1]["data"][0].get("target") if ev else None)[:100],
            )
            await pg.close()

            # prerender
            pg = await newpage()
            await pg.goto(base + "/page/prerender/")
            await pg.wait_for_selector("#btn")
            check("prerender removed", await pg.query_selector("#m-prerender") is None)
            await pg.close()

            # server down at page load, prerender kept until connected
            pg = await newpage()
            await pg.goto(base + "/page/down/")
            await pg.wait_for_timeout(50)
            check("down: prerender visible while retrying", await pg.is_visible("#pre"))
            await pg.wait_for_selector("#btn", timeout=5000)
            check(
                "down: connected after retries",
                connections["down:rejected"] == 3 and connections["down"] == 1,
                str(dict(connections)),
            )
            check(
                "down: prerender gone, offline hidden",
                await pg.query_selector("#m-prerender") is None
                and not await pg.is_visible("#m-offline"),
            )
            await pg.close()

            # drop + reconnect
            pg = await newpage()
            await pg.goto(base + "/page/drop/?q=1")
            await pg.wait_for_selector("#btn")
            await wait_for(lambda: connections["drop"] >= 1)
            ok = await wait_for(lambda: False, 0.01)
            st = None
            for _ in range(100):
                st = await pg.get_attribute("#m", "data-reactpy-state")
                if st in ("closed", "connecting"):
                    break
                await pg.wait_for_timeout(10)
            check("drop: state closed/connecting", st in ("closed", "connecting"), st)
            await pg.evaluate("history.pushState({}, '', '/moved/?z=9')")
            await wait_for(lambda: connections["drop"] == 2)
            await pg.wait_for_function(
                "document.getElementById('m').dataset.reactpyState === 'open'"
            )
            check(
                "drop: reconnected with current location",
                ws_paths[-1].endswith("?http_pathname=%2Fmoved%2F&http_search=%3Fz%3D9"),
                ws_paths[-1],
            )
            check(
                "drop: mount visible, offline hidden",
                await pg.is_visible("#btn") and not await pg.is_visible("#m-offline"),
            )
            await pg.click("#btn")
            await wait_for(lambda: len(events["drop"]) == 1)
            check("drop: events after reconnect", len(events["drop"]) == 1)
            await pg.close()

            # noretry: maxRetries 0 -> offline shown
            pg = await newpage()
            await pg.goto(base + "/page/noretry/")
            await pg.wait_for_selector("#btn")
            await pg.wait_for_function(
                "document.getElementById('m').dataset.reactpyState === 'closed'"
            )
            check(
                "noretry: offline shown, mount hidden",
                await pg.is_visible("#m-offline") and not await pg.is_visible("#btn"),
            )
            await pg.click("#m-offline")  # no-op
            await pg.wait_for_timeout(500)
            check("noretry: single connection", connections["noretry"] == 1)
            await pg.close()

            # refuse
            logs.clear()
            pg = await newpage()
            await pg.goto(base + "/page/refuse/")
            await pg.wait_for_function(
                "document.getElementById('m').dataset.reactpyState === 'refused'"
            )
            await pg.wait_for_timeout(700)
            check("refuse: no retry", connections["refuse"] == 1, str(connections["refuse"]))
            check(
                "refuse: console.error with reason",
                any(
                    t == "error" and "4004" in s and "unknown component demo.nope" in s
                    for t, s in logs
                ),
                str(logs),
            )
            await pg.close()

            # auth web module
            pg = await newpage()
            await pg.goto(base + "/page/auth/")
            await wait_for(lambda: any(e["target"] == "cb" for e in events["auth"]))
            await pg.wait_for_timeout(300)
            cb = [e for e in events["auth"] if e["target"] == "cb"]
            check(
                "auth: callback once with status/text",
                len(cb) == 1 and cb[0]["data"] == [200, "token-ok"],
                str(cb),
            )
            check("auth: fetched once", http_hits.count("/auth/xyz") == 1, str(http_hits))
            await pg.click("#btn")  # re-render must not refetch
            await pg.wait_for_selector("text=count:1")
            await pg.wait_for_timeout(300)
            check("auth: no refetch on re-render", http_hits.count("/auth/xyz") == 1)
            await pg.close()

            # queue while disconnected
            pg = await newpage()
            await pg.goto(base + "/page/queue/")
            await pg.wait_for_selector("#btn")
            await pg.wait_for_function(
                "document.getElementById('m').dataset.reactpyState !== 'open'"
            )
            await pg.click("#btn")
            await pg.click("#btn")
            check("queue: nothing sent while down", len(events["queue"]) == 0)
            await wait_for(lambda: len(events["queue"]) == 2, 10)
            check(
                "queue: flushed after reconnect",
                [e["target"] for e in events["queue"]] == ["t1", "t1"],
                str(dict(connections)),
            )
            # network error -> 520
            res = await pg.evaluate("""async () => {
                const m = await import('/reactpy/web_module/reactpy-django.js');
                const node = document.createElement('div'); document.body.appendChild(node);
                const b = m.bind(node, {});
                return await new Promise((resolve) => {
                  b.render(b.create(m.HttpRequest, {method: 'GET', url: 'http://127.0.0.1:1/x', body: null,
                     callback: (s, t) => resolve([s, t])}, []));
                  setTimeout(() => resolve('timeout'), 4000);
                });
            }""")
            check("HttpRequest network error -> 520", res == [520, ""], str(res))
            await pg.close()

            errs = [l for l in logs if l[0] == "pageerror"]
            check("no page errors", not errs, str(errs))
            await browser.close()
    print(f"{sum(results)} passed, {len(results) - sum(results)} failed")
    sys.exit(0 if all(results) else 1)


asyncio.run(main())
