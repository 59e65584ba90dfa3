import assert from "node:assert/strict";
import { describe, it, mock } from "node:test";
import { retryDelay } from "../src/backoff";
import { ConfigError, parseConfig } from "../src/config";
import { ReconnectingSocket, isRefusalCode, type ConnectionState } from "../src/socket";
import { moduleUrl, webModulesBase, webSocketUrl } from "../src/urls";
import { collectFields } from "../src/form";
import { keepDefaultValue } from "../src/default-value";

const reconnect = { interval: 100, maxInterval: 1000, maxRetries: 3, backoffMultiplier: 2 };

describe("retryDelay (equal jitter)", () => {
  it("grows exponentially and is capped", () => {
    assert.deepEqual(
      [0, 1, 2, 3, 4, 50, 5000].map((a) => retryDelay(a, reconnect, () => 1)),
      [100, 200, 400, 800, 1000, 1000, 1000],
    );
  });
  it("keeps at least half of the base delay", () => {
    assert.equal(retryDelay(2, reconnect, () => 0), 200);
    assert.equal(retryDelay(2, reconnect, () => 0.5), 300);
  });
});

describe("urls", () => {
  const loc = { protocol: "https:", host: "example.com", pathname: "/a b/", search: "?x=1&y=2" };
  it("builds the websocket url", () => {
    assert.equal(
      webSocketUrl(loc, null, "/reactpy/demo.c/1f/0/"),
      "wss://example.com/reactpy/demo.c/1f/0/?http_pathname=%2Fa%20b%2F&http_search=%3Fx%3D1%26y%3D2",
    );
    assert.equal(
      webSocketUrl({ ...loc, protocol: "http:", search: "" }, "127.0.0.1:8001", "/r/"),
      "ws://127.0.0.1:8001/r/?http_pathname=%2Fa%20b%2F",
    );
  });
  it("builds web module urls", () => {
    const base = webModulesBase(loc, "h:1", "/reactpy/web_module");
    assert.equal(base, "https://h:1/reactpy/web_module/");
    assert.equal(moduleUrl(base, "reactpy-django.js"), "https://h:1/reactpy/web_module/reactpy-django.js");
  });
});

describe("parseConfig", () => {
  const good = {
    mountId: "m", wsPath: "/r/x/", host: null, webModulesPath: "/r/web_module/",
    prerenderId: null, offlineId: "m-offline", reconnect,
  };
  it("accepts a valid config", () => assert.deepEqual(parseConfig(good), good));
  it("rejects bad configs", () => {
    assert.throws(() => parseConfig({ ...good, wsPath: "r/" }), ConfigError);
    assert.throws(() => parseConfig({ ...good, reconnect: { ...reconnect, maxRetries: "3" } }), ConfigError);
    assert.throws(() => parseConfig([]), ConfigError);
  });
});

describe("isRefusalCode", () => {
  it("covers 4000-4099 only", () => {
    assert.deepEqual([1000, 1006, 3999, 4000, 4004, 4099, 4100].map(isRefusalCode),
      [false, false, false, true, true, true, false]);
  });
});

class FakeWebSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static instances: FakeWebSocket[] = [];
  readyState = FakeWebSocket.CONNECTING;
  sent: string[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onclose: ((e: { code: number; reason: string }) => void) | null = null;
  constructor(readonly url: string) { FakeWebSocket.instances.push(this); }
  send(text: string): void {
    if (this.readyState !== FakeWebSocket.OPEN) throw new Error("InvalidStateError");
    this.sent.push(text);
  }
  close(): void { this.readyState = 3; }
  open(): void { this.readyState = FakeWebSocket.OPEN; this.onopen?.(); }
  message(data: string): void { this.onmessage?.({ data }); }
  shut(code: number, reason = ""): void { this.readyState = 3; this.onclose?.({ code, reason }); }
}

describe("ReconnectingSocket", () => {
  function setup(maxRetries = 3) {
    FakeWebSocket.instances = [];
    (globalThis as Record<string, unknown>)["WebSocket"] = FakeWebSocket;
    mock.timers.enable({ apis: ["setTimeout"] });
    const states: ConnectionState[] = [];
    const received: string[] = [];
    let n = 0;
    const socket = new ReconnectingSocket({
      url: () => `ws://h/${n++}`,
      reconnect: { ...reconnect, maxRetries },
      onMessage: (d) => received.push(d),
      onStateChange: (s) => states.push(s),
      random: () => 1,
    });
    return { socket, states, received, ws: () => FakeWebSocket.instances.at(-1)! };
  }

  it("queues while not open and flushes on open", () => {
    const { socket, ws } = setup();
    socket.send("early");
    socket.start();
    socket.send("connecting");
    assert.deepEqual(ws().sent, []);
    ws().open();
    assert.deepEqual(ws().sent, ["early", "connecting"]);
    socket.send("live");
    assert.deepEqual(ws().sent, ["early", "connecting", "live"]);
    mock.timers.reset();
  });

  it("retries a first attempt that never opened, with backoff, then gives up", () => {
    const warn = mock.method(console, "warn", () => {});
    const info = mock.method(console, "info", () => {});
    const { socket, states, ws } = setup(2);
    socket.start();
    ws().shut(1006);
    mock.timers.tick(99);
    assert.equal(FakeWebSocket.instances.length, 1);
    mock.timers.tick(1);
    assert.equal(FakeWebSocket.instances.length, 2);
    assert.equal(ws().url, "ws://h/1");
    ws().shut(1006);
    mock.timers.tick(200);
    assert.equal(FakeWebSocket.instances.length, 3);
    ws().shut(1006);
    mock.timers.tick(10_000);
    assert.equal(FakeWebSocket.instances.length, 3);
    assert.deepEqual(states, ["connecting", "closed", "connecting", "closed", "connecting", "closed"]);
    mock.timers.reset(); warn.mock.restore(); info.mock.restore();
  });

  it("resets the backoff after the first message of a connection", () => {
    const info = mock.method(console, "info", () => {});
    const { socket, received, ws } = setup();
    socket.start();
    ws().shut(1006);
    mock.timers.tick(100);
    ws().shut(1006);
    mock.timers.tick(200);
    ws().open();
    ws().message("{}");
    assert.deepEqual(received, ["{}"]);
    ws().shut(1001);
    mock.timers.tick(100); // back to the first interval
    assert.equal(FakeWebSocket.instances.length, 4);
    mock.timers.reset(); info.mock.restore();
  });

  it("does not retry after an application refusal", () => {
    const error = mock.method(console, "error", () => {});
    const { socket, states, ws } = setup();
    socket.start();
    ws().open();
    ws().shut(4003, "expired");
    mock.timers.tick(10_000);
    assert.equal(FakeWebSocket.instances.length, 1);
    assert.equal(states.at(-1), "refused");
    assert.match(String(error.mock.calls[0]?.arguments.join(" ")), /4003.*expired/);
    mock.timers.reset(); error.mock.restore();
  });
});

describe("collectFields (django_form)", () => {
  it("groups repeated names into lists and keeps single values as strings", () => {
    const { data, skippedFiles } = collectFields([
      ["title", "Dune"],
      ["tags", "1"],
      ["tags", "3"],
      ["agree", "on"],
    ]);
    assert.deepEqual(data, { title: "Dune", tags: ["1", "3"], agree: "on" });
    assert.deepEqual(skippedFiles, []);
  });
  it("leaves files out and names the chosen ones", () => {
    const chosen = new Blob(["x"]);
    const empty = new Blob([]);
    const { data, skippedFiles } = collectFields([
      ["upload", chosen],
      ["other", empty],
      ["name", "a"],
    ]);
    assert.deepEqual(data, { name: "a" });
    assert.deepEqual(skippedFiles, ["upload"]);
  });
});

describe("keepDefaultValue", () => {
  it("drops an undefined value beside a defaultValue, and only that", () => {
    const uncontrolled: Record<string, unknown> = { defaultValue: "typed", value: undefined };
    keepDefaultValue(uncontrolled);
    assert.deepEqual(uncontrolled, { defaultValue: "typed" });
    const controlled: Record<string, unknown> = { defaultValue: "a", value: "b" };
    keepDefaultValue(controlled);
    assert.deepEqual(controlled, { defaultValue: "a", value: "b" });
  });
});
