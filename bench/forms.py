"""`django_form` submit round trips beside a plain Django form POST: `python -m bench.forms`.

    PYTHONPATH=.:demo .venv/bin/python -m bench.forms [--submits 400] [--clients 20]

One uvicorn (pinned to one CPU, the clients on the other, as in `bench.run`) serves both
sides of `bench.form_site`. A round trip is: send the submission, then read until the
validated result is shown. For `django_form` that is a `layout-event` frame (what the browser
client's `DjangoForm` sends) and the `layout-update` frames carrying "Thanks, <name>" and the
form re-rendered with the submitted name; for the floor, an HTTP/1.1 keep-alive POST of the
same fields to the same form's view and its whole response. Measured in five alternating
rounds per side: one client submitting back to back (latency), then `--clients` clients at
once (submits/s).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import orjson

from bench import client
from bench.server import BenchServer, pin_apart, prepare_database

__all__ = ["main"]

_ROUNDS = 5
"""Alternating rounds of each side."""

FIELDS: dict[str, str | list[str]] = {
    "email": "ann@example.com",
    "size": "m",
    "toppings": ["ham", "egg"],
    "agree": "on",
}
"""Every submission's fields besides its unique `name`."""


def _fields(name: str) -> dict[str, str | list[str]]:
    return {"name": name, **FIELDS}


def _find_submit_target(model: object) -> str | None:
    """The target id of the `DjangoForm` element's `onSubmitCallback` handler."""
    if isinstance(model, dict):
        handlers = model.get("eventHandlers")
        if model.get("tagName") == "DjangoForm" and isinstance(handlers, dict):
            spec = handlers.get("onSubmitCallback")
            if isinstance(spec, dict) and isinstance(spec.get("target"), str):
                return str(spec["target"])
        children = model.get("children")
        if isinstance(children, list):
            for child in children:
                found = _find_submit_target(child)
                if found is not None:
                    return found
    return None


class _FormSession:
    """One WebSocket mounting `bench_form`, submitting through its `DjangoForm` handler."""

    def __init__(self, session: client.Session) -> None:
        self.session = session
        self.target = ""
        self.count = 0
        self.frames = 0
        self.received = 0
        """Frames and characters received for the submissions."""

    async def ready(self) -> None:
        """Read updates until the form (rendered off the event loop) has arrived."""
        frame = self.session.first
        while (target := _find_submit_target(orjson.loads(frame).get("model"))) is None:
            frame = await self.session.next_text()
        self.target = target

    async def submit(self) -> None:
        """One round trip: submit a new name, read until its result and its form are shown."""
        self.count += 1
        name = f"user-{self.count}"
        frame = {"type": "layout-event", "target": self.target, "data": [_fields(name)]}
        await self.session.socket.send(orjson.dumps(frame).decode())
        thanks, value = f"Thanks, {name}", f'"defaultValue":"{name}"'
        seen_thanks = seen_value = False
        while not (seen_thanks and seen_value):
            text = await self.session.next_text()
            self.frames += 1
            self.received += len(text)
            seen_thanks = seen_thanks or thanks in text
            seen_value = seen_value or value in text


class _HttpSession:
    """One keep-alive HTTP/1.1 connection POSTing the same fields to the plain view."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.count = 0
        self.received = 0
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def ready(self) -> None:
        """Open the connection."""
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)

    async def submit(self) -> None:
        """One round trip: POST a new name, read the whole response, check the result."""
        assert self.reader is not None
        assert self.writer is not None
        self.count += 1
        name = f"user-{self.count}"
        body = urlencode(_fields(name), doseq=True).encode()
        head = (
            f"POST /bench/form/ HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        )
        self.writer.write(head.encode() + body)
        headers = await asyncio.wait_for(self.reader.readuntil(b"\r\n\r\n"), client.REPLY_TIMEOUT)
        length = 0
        for line in headers.decode("latin-1").split("\r\n"):
            key, _, value = line.partition(":")
            if key.lower() == "content-length":
                length = int(value)
        page = await asyncio.wait_for(self.reader.readexactly(length), client.REPLY_TIMEOUT)
        self.received += len(headers) + length
        if f"Thanks, {name}".encode() not in page:
            msg = f"The plain view did not show the result for {name}."
            raise ValueError(msg)

    async def close(self) -> None:
        """Close the connection."""
        if self.writer is not None:
            self.writer.close()


@dataclass
class _Result:
    p50_ms: float
    p95_ms: float
    per_second: float
    frames: float = 1.0
    """Frames received per submit (a response is one)."""
    kib: float = 0.0
    """KiB received per submit."""


async def _sequential(submit: Callable[[], Awaitable[None]], count: int) -> list[float]:
    latencies: list[float] = []
    for _ in range(count):
        started = time.perf_counter()
        await submit()
        latencies.append(time.perf_counter() - started)
    return latencies


async def _concurrent(submits: list[Callable[[], Awaitable[None]]], seconds: float) -> int:
    """Every client submits back to back for `seconds`; how many submits completed."""
    end = time.perf_counter() + seconds
    done = 0

    async def loop(submit: Callable[[], Awaitable[None]]) -> None:
        nonlocal done
        while time.perf_counter() < end:
            await submit()
            done += 1

    await asyncio.gather(*(loop(submit) for submit in submits))
    return done


@dataclass
class _Side:
    """One side's clients and what was measured on them."""

    sessions: list[_FormSession] | list[_HttpSession]
    latencies: list[float]
    submitted: int = 0
    seconds: float = 0.0

    async def one_round(self, submits: int, seconds: float) -> None:
        """A block of sequential submits on the first client, then all clients at once."""
        self.latencies += await _sequential(self.sessions[0].submit, submits)
        started = time.perf_counter()
        self.submitted += await _concurrent([s.submit for s in self.sessions], seconds)
        self.seconds += time.perf_counter() - started

    def result(self) -> _Result:
        """The summary of every round."""
        return _Result(
            p50_ms=statistics.median(self.latencies) * 1000,
            p95_ms=client.percentile(self.latencies, 0.95) * 1000,
            per_second=self.submitted / self.seconds,
        )


async def _measure(port: int, submits: int, clients: int, seconds: float) -> tuple[_Result, ...]:
    """Both sides in alternating rounds, so a change in the machine's load hits both alike."""
    errors = client.Errors()
    url = lambda: client.component_url(port, "bench.form_site.bench_form")  # noqa: E731
    opened = await client.open_sessions(url, port, clients, errors, at_once=10)
    if len(opened) < clients:
        msg = f"Only {len(opened)} of {clients} WebSockets opened: {errors.examples}"
        raise RuntimeError(msg)
    forms = [_FormSession(session) for session in opened]
    posts = [_HttpSession(port) for _ in range(clients)]
    try:
        await asyncio.gather(*(s.ready() for s in forms), *(s.ready() for s in posts))
        plain, ours = _Side(posts, []), _Side(forms, [])
        for side in (plain, ours):  # warm-up, not kept
            await _sequential(side.sessions[0].submit, submits // 4)
        frames, form_chars, http_chars = forms[0].frames, forms[0].received, posts[0].received
        for _ in range(_ROUNDS):
            for side in (plain, ours):
                await side.one_round(submits // _ROUNDS, seconds / _ROUNDS)
        sequential = submits // _ROUNDS * _ROUNDS
        plain_result, our_result = plain.result(), ours.result()
        our_result.frames = (forms[0].frames - frames) / sequential
        our_result.kib = (forms[0].received - form_chars) / sequential / 1024
        plain_result.kib = (posts[0].received - http_chars) / sequential / 1024
    finally:
        await client.close_sessions(opened)
        await asyncio.gather(*(session.close() for session in posts))
    return plain_result, our_result


def main() -> None:
    """Run both measurements on one server and print them with their ratios."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--submits", type=int, default=400, help="sequential round trips")
    parser.add_argument("--clients", type=int, default=20, help="clients submitting at once")
    parser.add_argument("--seconds", type=float, default=5.0, help="length of the concurrent run")
    parser.add_argument("--no-pin", action="store_true", help="leave the CPUs unpinned")
    args = parser.parse_args()
    pinning = "not pinned (--no-pin)" if args.no_pin else pin_apart()
    with tempfile.TemporaryDirectory(prefix="bench-forms-") as run:
        run_dir = Path(run)
        database = run_dir / "bench.sqlite3"
        prepare_database(database)
        env = {"DJANGO_SETTINGS_MODULE": "bench.form_settings"}
        with BenchServer(run_dir, database, "forms", env) as server:
            started = time.perf_counter()
            plain, ours = asyncio.run(
                _measure(server.port, args.submits, args.clients, args.seconds)
            )
            elapsed = time.perf_counter() - started
    print(f"django_form submit round trip vs a plain Django form POST ({pinning})")
    print(f"{'':28}{'p50 ms':>8}{'p95 ms':>8}{'submits/s':>11}{'frames':>8}{'KiB':>7}")
    for label, row in (("plain Django POST (HTTP)", plain), ("django_form (WebSocket)", ours)):
        print(
            f"{label:28}{row.p50_ms:8.2f}{row.p95_ms:8.2f}{row.per_second:11.0f}"
            f"{row.frames:8.1f}{row.kib:7.1f}"
        )
    print(
        f"ratio (django_form / floor): latency p50 {ours.p50_ms / plain.p50_ms:.2f}x, "
        f"time per submit at {args.clients} clients {plain.per_second / ours.per_second:.2f}x "
        f"(goal <= 1.5x); measured in {elapsed:.0f} s"
    )


if __name__ == "__main__":
    main()
