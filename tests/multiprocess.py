"""Two ASGI server processes behind one site, sharing only PostgreSQL and Redis.

`start_site()` starts uvicorn twice (processes "A" and "B") on the test database,
with the PostgreSQL + Redis settings the test process itself runs with; each process renders
its name (`REACTPY_TEST_SERVER_NAME`) in the components of `tests.multi_components`. A page
is fetched from one process and its WebSocket sent to the other with the `{% component %}`
tag's `host=` option, which the `tests/multi_*.html` templates read from the `ws` query
parameter: `site.page_url("multi_args", http="A", ws="B")`.

Only meaningful on PostgreSQL + Redis (`REACTPY_TEST_BACKEND=postgres`, the second pass of
scripts/check): on SQLite and the in-memory layer two processes share nothing.
`start_site(redis_layer)` picks which of channels_redis' layers the processes use: `core`
(RedisChannelLayer) or `pubsub` (RedisPubSubChannelLayer).

`other_process()` starts a lighter second process (`tests.other_process`, no server) that
sends logins and refetches through its own relay, for tests whose receiving side is a
component mounted in the test process.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
import time
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Literal
from urllib.parse import urlencode, urlsplit

import pytest
from channels.db import database_sync_to_async
from django.conf import settings
from django.contrib.auth import (
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,
)
from django.contrib.sessions.backends.base import SessionBase
from django.db import connection
from playwright.async_api import Browser, BrowserContext, Page
from redis.asyncio import Redis

from tests import servers

__all__ = [
    "ON_BACKENDS",
    "OtherProcess",
    "Site",
    "group_size",
    "log_in",
    "new_browser_page",
    "other_process",
    "start_site",
    "wait_for_group",
    "wait_until",
]

ProcessName = Literal["A", "B"]

ON_BACKENDS: pytest.MarkDecorator = pytest.mark.skipif(
    os.environ.get("REACTPY_TEST_BACKEND", "sqlite") != "postgres",
    reason=(
        "several server processes share state only through PostgreSQL and the Redis channel "
        "layer: run with REACTPY_TEST_BACKEND=postgres (scripts/check's second pass does)"
    ),
)
"""Skip a test unless the test process (and so its servers) runs on PostgreSQL + Redis."""


@dataclass(frozen=True, slots=True)
class Site:
    """Two running server processes of one site, by name, and the URLs of their pages."""

    urls: Mapping[ProcessName, str]
    """Each process's base URL, e.g. `{"A": "http://127.0.0.1:41234", ...}`."""

    redis_layer: str = "core"
    """channels_redis' layer the processes use: `core` or `pubsub`."""

    idle_refetch: int = 0
    """Members of the refetch group before the processes started (earlier test processes'
    stale channels, if any), as `group_size` counts them."""

    def host(self, name: ProcessName) -> str:
        """`host:port` of a process, as the `{% component %}` tag's `host=` takes it."""
        return urlsplit(self.urls[name]).netloc

    def page_url(self, template: str, *, http: ProcessName, ws: ProcessName, **query: str) -> str:
        """The test page `tests/<template>.html`, served by `http`, its WebSocket on `ws`."""
        parameters = urlencode({"ws": self.host(ws), **query})
        return f"{self.urls[http]}/test/{template}/?{parameters}"


MAX_DEFER = 60.0
"""Seconds a burst's refetch may wait for its last mutation in A and B (0.5 in a real site):
longer than any burst takes, so a burst's refetches are counted exactly."""


@contextlib.contextmanager
def start_site(redis_layer: str = "core") -> Generator[Site]:
    """Run processes A and B (started in parallel) on the test database for the block.

    Call it once the test database exists (depend on `django_db_setup`). The processes
    inherit the test process's `REACTPY_TEST_*` environment (backend, ports, run dir), so they
    use its PostgreSQL test database and its Redis server, with channels_redis' `redis_layer`
    layer (`core` or `pubsub`).
    """
    log_dir = Path(os.environ.get("REACTPY_TEST_RUN_DIR", "/tmp/reactpy-django-tests")) / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    database: str = str(connection.settings_dict["NAME"])
    names: tuple[ProcessName, ...] = ("A", "B")
    ports = {name: servers.free_port() for name in names}

    def start(name: ProcessName) -> subprocess.Popen[bytes]:
        env = {
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "REACTPY_TEST_DB_NAME": database,
            "REACTPY_TEST_SERVER_NAME": name,
            "REACTPY_TEST_MAX_DEFER": str(MAX_DEFER),
            "REACTPY_TEST_REDIS_LAYER": redis_layer,
        }
        log = log_dir / f"multi-{name}-{ports[name]}.log"
        return servers.start_asgi(ports[name], env, application="tests.asgi:application", log=log)

    with ThreadPoolExecutor(len(names)) as pool:
        futures = [pool.submit(start, name) for name in names]
    processes = [future.result() for future in futures if future.exception() is None]
    try:
        for future in futures:
            future.result()  # re-raise a failed start, after the others are in `processes`
        yield Site({name: f"http://127.0.0.1:{ports[name]}" for name in names}, redis_layer)
    finally:
        for process in processes:
            servers.stop(process)


class OtherProcess:
    """A running `tests.other_process`: `await other.send("refetch", "module.query")`."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self._process = process

    async def ask(self, *command: str) -> str:
        """Have the process carry out `command` (see `tests.other_process`); its answer."""
        stdin, stdout = self._process.stdin, self._process.stdout
        assert stdin is not None
        assert stdout is not None
        stdin.write((" ".join(command) + "\n").encode())
        await stdin.drain()
        return (await asyncio.wait_for(stdout.readline(), 30)).decode().strip()

    async def send(self, *command: str) -> None:
        """`session ...` or `refetch ...`: returns once the process's relay has the message
        (Redis may still refuse it: the relay logs that)."""
        answer = await self.ask(*command)
        if answer != "sent":
            msg = f"tests.other_process did not carry out {command}: it said {answer!r}."
            raise AssertionError(msg)


@contextlib.asynccontextmanager
async def other_process(**env: str) -> AsyncGenerator[OtherProcess]:
    """Run `tests.other_process` for the block, with the test process's environment plus
    `env` (e.g. `REACTPY_TEST_LAYER="redis"` and `REACTPY_TEST_REDIS_URL` for a Redis of the
    test's own); its log goes to the run directory's `logs/`."""
    log_dir = Path(os.environ.get("REACTPY_TEST_RUN_DIR", "/tmp/reactpy-django-tests")) / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    full_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "REACTPY_TEST_DB_NAME": str(connection.settings_dict["NAME"]),
        "PYTHONPATH": os.pathsep.join([str(servers.ROOT), str(servers.ROOT / "demo")]),
        **env,
    }
    log_path = log_dir / f"other-process-{os.getpid()}.log"
    with await asyncio.to_thread(log_path.open, "ab") as log:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.other_process",
            cwd=servers.ROOT,
            env=full_env,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=log,
        )
        try:
            assert process.stdout is not None
            ready = await asyncio.wait_for(process.stdout.readline(), 60)
            if ready != b"ready\n":
                msg = f"tests.other_process did not start (it said {ready!r}); see {log.name}."
                raise AssertionError(msg)
            yield OtherProcess(process)
        finally:
            if process.returncode is None:
                process.terminate()
            await process.wait()


async def new_browser_page(browser: Browser) -> tuple[BrowserContext, Page]:
    """A page in a new browser context: another user's browser, with cookies of its own."""
    context = await browser.new_context()
    context.set_default_timeout(10_000)
    return context, await context.new_page()


async def log_in(context: BrowserContext, username: str, url: str) -> None:
    """Create user `username` and give the browser `context` a session cookie logged in as
    that user (valid on every port of `url`'s host: cookies are per host, not per port)."""
    session_key = await database_sync_to_async(_logged_in_session)(username)
    await context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session_key, "url": url}]
    )


def _logged_in_session(username: str) -> str:
    user = get_user_model().objects.create(username=username)
    store: SessionBase = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return str(store.session_key)


async def group_size(redis_url: str, group: str, redis_layer: str = "core") -> int:
    """How many members `group` has on the Redis channel layer (tests/settings.py's default
    `asgi` prefix): its channels on `core`; on `pubsub`, the connections subscribed to it
    (one per server process that has members, whatever their number)."""
    client = Redis.from_url(redis_url)  # pyright: ignore[reportUnknownMemberType]  # redis-py: **kwargs untyped
    try:
        if redis_layer == "core":
            return int(await client.zcard(f"asgi:group:{group}"))
        counts: list[tuple[bytes | str, int]] = await client.pubsub_numsub(f"asgi__group__{group}")  # pyright: ignore[reportUnknownMemberType]  # redis-py: **kwargs untyped
        return sum(count for _, count in counts)
    finally:
        await client.aclose()


async def wait_for_group(
    redis_url: str, group: str, members: int, redis_layer: str = "core", *, besides: int = 0
) -> None:
    """Wait until `group` has `members` members (`group_size`), not counting `besides`."""

    async def joined() -> bool:
        return await group_size(redis_url, group, redis_layer) - besides == members

    await wait_until(joined, f"{members} new members of group {group!r} ({redis_layer})")


async def wait_until(
    condition: Callable[[], Awaitable[bool]], what: str, timeout: float = 10.0
) -> None:
    """Poll `condition` every 20 ms until it holds, or fail naming `what`."""
    deadline = time.monotonic() + timeout
    while not await condition():
        if time.monotonic() > deadline:
            msg = f"{what}: not within {timeout}s"
            raise AssertionError(msg)
        await asyncio.sleep(0.02)  # polling until the deadline
