"""Shared fixtures: real servers (PostgreSQL, redis-server, uvicorn) and a real browser."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from subprocess import Popen
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.db import connection, connections
from django.test import override_settings
from playwright.async_api import Browser, ConsoleMessage, Page, async_playwright, expect
from psycopg import sql

from reactpy_django import _executor
from tests import databases, fixes, servers

BACKEND = os.environ.get("REACTPY_TEST_BACKEND", "sqlite")
RUN_DIR = Path(os.environ.get("REACTPY_TEST_RUN_DIR", "/tmp/reactpy-django-tests"))
_services = contextlib.ExitStack()
_redis_port: int | None = None


def pytest_configure(config: pytest.Config) -> None:
    """In the PostgreSQL variant, start PostgreSQL and Redis before Django connects."""
    global _redis_port
    config.addinivalue_line("markers", "browser: drives Debian's chromium through playwright")
    config.addinivalue_line(
        "markers", "backends: also run on PostgreSQL + Redis (the second pass of scripts/check)"
    )
    revert = os.environ.get("REACTPY_REVERT_FIX", "")
    if revert and revert not in fixes.FIX_TESTS:
        names = ", ".join(fixes.FIX_TESTS)
        msg = f"REACTPY_REVERT_FIX={revert!r} names no fix; the fixes are {names}."
        raise pytest.UsageError(msg)
    if BACKEND == "postgres":
        pg_port = int(os.environ.get("REACTPY_TEST_PG_PORT", "54329"))
        _redis_port = int(os.environ.get("REACTPY_TEST_REDIS_PORT", "63799"))
        _services.enter_context(servers.postgres(pg_port, RUN_DIR / "postgres"))
        _services.enter_context(servers.redis(_redis_port))


_DATABASE_FIXTURES = frozenset(
    {
        "db",
        "transactional_db",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
        "live_server",
        "asgi_server",
        "fresh_database",
    }
)
"""Fixtures that give a test the database (pytest-django's, and ours that start servers or
`migrate` runs on it); `live_server_url` and the like are caught through them."""


def uses_database(item: pytest.Item) -> bool:
    """Whether `item` may touch the database: it has pytest-django's `django_db` marker, or
    asks (itself or through its fixtures) for a fixture that opens the database."""
    if item.get_closest_marker("django_db") is not None:
        return True
    fixturenames: list[str] = getattr(item, "fixturenames", [])
    return not _DATABASE_FIXTURES.isdisjoint(fixturenames)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Fail a test that uses the database without `pytest.mark.backends`: every such test must
    also run in the PostgreSQL + Redis pass. Runs before skip markers are read, so a test
    skipped on SQLite still has to carry the marker."""
    if uses_database(item) and item.get_closest_marker("backends") is None:
        pytest.fail(
            f"{item.nodeid} uses the database (the `django_db` marker or a database fixture) "
            "but is not marked `pytest.mark.backends`, so the PostgreSQL + Redis pass "
            "(`-m backends`) would leave it out. Add `pytest.mark.backends` to the test or to "
            "its module's `pytestmark` list.",
            pytrace=False,
        )


def pytest_unconfigure(config: pytest.Config) -> None:
    """Stop what `pytest_configure` started."""
    _stop_relays()
    _services.close()


def _stop_relays() -> None:
    """Stop this process's relays while their Redis still runs: one left running would log the
    lost server to streams pytest has closed."""
    from reactpy_django import _relay

    for running in list(_relay._relays.values()):
        running.stop(timeout=5)


@pytest.fixture(scope="session", autouse=True)
def _close_sync_thread_connections(django_db_setup: None) -> Iterator[None]:
    """Close the database connections of asgiref's sync thread and of the query threads once
    the tests are done: async ORM calls in tests open one in the sync thread and nothing else
    closes it, a query thread keeps its own for a moment after its last call, and PostgreSQL
    will not drop the test database while a session is still connected."""
    yield
    asyncio.run(sync_to_async(connections.close_all)())
    _executor.stop_query_threads(timeout=10)


@pytest.fixture(autouse=True)
def _revert_fix_under_test() -> Iterator[None]:
    """With `REACTPY_REVERT_FIX=<name>` set, run each test with that one fix reverted
    (tests/fixes.py; scripts/fix_table.py sets it)."""
    name = os.environ.get("REACTPY_REVERT_FIX", "")
    if not name:
        yield
        return
    with fixes.revert(name):
        yield


@pytest.fixture(autouse=True)
def _reset_reactpy_caches() -> None:
    from reactpy_django.conf import reactpy_settings

    reactpy_settings.cache_clear()


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A running redis-server's URL (the variant's own, or one started for this session)."""
    if _redis_port is not None:
        yield f"redis://127.0.0.1:{_redis_port}/0"
        return
    port = servers.free_port()
    with servers.redis(port):
        yield f"redis://127.0.0.1:{port}/0"
        _stop_relays()


@pytest.fixture(params=["core", "pubsub"])
def redis_kind(request: pytest.FixtureRequest) -> str:
    """Which of channels_redis' layers a Redis test runs on: `core` (RedisChannelLayer) or
    `pubsub` (RedisPubSubChannelLayer); every test that uses it runs on both."""
    kind: str = request.param
    return kind


AsgiServerFactory = Callable[..., str]


@pytest.fixture
def asgi_server(
    django_db_setup: None, transactional_db: None, request: pytest.FixtureRequest
) -> Iterator[AsgiServerFactory]:
    """Start ASGI servers on the test database: `url = asgi_server(server="uvicorn", **env)`.

    Each call starts a new process on a free port and returns its base URL; all stop at the
    end of the test. The test's data is committed (transactional), so the server sees it.
    """
    started: list[Popen[bytes]] = []
    log_dir = RUN_DIR / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)

    def start(server: str = "uvicorn", port: int | None = None, **env: str) -> str:
        port = port or servers.free_port()
        settings_dict: dict[str, Any] = connection.settings_dict
        full_env = {
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "REACTPY_TEST_DB_NAME": str(settings_dict["NAME"]),
            **env,
        }
        log = _server_log_path(request, port)
        started.append(servers.start_asgi(port, full_env, server=server, log=log))
        return f"http://127.0.0.1:{port}"

    yield start
    for process in started:
        servers.stop(process)


def _server_log_path(request: pytest.FixtureRequest, port: int | str) -> Path:
    return RUN_DIR / "logs" / f"{request.node.name[:80]}-{port}.log"


def server_log(request: pytest.FixtureRequest, url: str) -> str:
    """What the server `asgi_server` started at `url` for this test has logged so far."""
    return _server_log_path(request, url.rsplit(":", 1)[1]).read_text()


@pytest.fixture(scope="session")
def _shared_server(django_db_setup: None) -> Iterator[str]:
    """One uvicorn on the test database for every `live_server_url` test, started at the
    first: a start costs seconds on a loaded machine, and dozens of tests need one."""
    port = servers.free_port()
    log_dir = RUN_DIR / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    env = {
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "REACTPY_TEST_DB_NAME": str(connection.settings_dict["NAME"]),
    }
    process = servers.start_asgi(port, env, log=log_dir / f"shared-{port}.log")
    yield f"http://127.0.0.1:{port}"
    servers.stop(process)


@pytest.fixture
def live_server_url(transactional_db: None, _shared_server: str) -> str:
    """A uvicorn serving the test site on the test database, shared with other tests (the
    test's data is committed, so the server sees it, and flushed after it). A test that
    changes the server's environment or stops it starts its own with `asgi_server`."""
    return _shared_server


_CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    """Debian's chromium, headless, driven by playwright (never a downloaded browser)."""
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=_CHROMIUM_ARGS
        )
        yield chromium
        await chromium.close()


class BrowserPage:
    """A page in a fresh browser context, and the console errors it logged."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.console_errors: list[str] = []
        page.on("console", self._on_console)

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)


# `expect` waits for its condition; its own default (5 s) is half the pages' action timeout, and
# a CI machine busier than this one can need more. A passing test does not wait any longer.
expect.set_options(timeout=10_000)


@pytest.fixture
async def page(browser: Browser) -> AsyncIterator[Page]:
    """A page in a fresh browser context (its own cookies)."""
    context = await browser.new_context()
    context.set_default_timeout(10_000)
    yield await context.new_page()
    await context.close()


FreshDatabase = Callable[[], str]


@pytest.fixture
def fresh_database(tmp_path: Path) -> Iterator[FreshDatabase]:
    """Empty databases for a `migrate` run in a subprocess: `name = fresh_database()`.

    The name goes in `REACTPY_TEST_DB_NAME`: a file path on SQLite, a new database on the
    conftest's PostgreSQL server in the PostgreSQL pass (dropped at the end of the test).
    """
    created: list[str] = []

    def make() -> str:
        if BACKEND != "postgres":
            created.append(str(tmp_path / f"fresh-{len(created)}.sqlite3"))
            return created[-1]
        name = f"reactpy_fresh_{uuid.uuid4().hex[:12]}"
        with databases.pg_admin() as admin:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        created.append(name)
        return name

    yield make
    if BACKEND == "postgres":
        with databases.pg_admin() as admin:
            for name in created:
                admin.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )


RPD521_VERSION = "5.2.1"
_RPD521_CACHE = Path.home() / ".cache" / "reactpy-django-tests"


@pytest.fixture(scope="session")
def rpd521_python() -> Path:
    """The Python of a venv with reactpy-django 5.2.1 from the package index (cached).

    Built once under ~/.cache/reactpy-django-tests/reactpy-django-<version>/. When the index
    cannot be reached the test fails with pip's output: the switch is never silently untested.
    """
    home = _RPD521_CACHE / f"reactpy-django-{RPD521_VERSION}"
    python = home / "bin" / "python"
    if (home / "complete").exists():
        return python
    # Built at its final path (a venv's scripts name it); the marker file says it is whole.
    shutil.rmtree(home, ignore_errors=True)
    home.parent.mkdir(parents=True, exist_ok=True)
    steps = [
        [shutil.which("python3.11") or sys.executable, "-m", "venv", str(home)],
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            f"reactpy-django=={RPD521_VERSION}",
            "psycopg[binary]",
        ],
    ]
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True, timeout=900, check=False)
        if done.returncode != 0:
            shutil.rmtree(home, ignore_errors=True)
            pytest.fail(
                f"Could not install reactpy-django {RPD521_VERSION} from the package index for "
                f"the switch test: `{' '.join(step)}` exited with {done.returncode}.\n"
                f"{done.stdout}\n{done.stderr}\nThe test needs the index once; the venv is "
                f"then cached in {home}.",
                pytrace=False,
            )
    (home / "complete").write_text(RPD521_VERSION)
    return python


MEMORY_LAYERS: dict[str, Any] = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
"""CHANNEL_LAYERS with one in-memory layer."""


@pytest.fixture
def layer() -> Iterator[InMemoryChannelLayer]:
    """The in-memory channel layer, new for this test (CHANNEL_LAYERS overridden)."""
    with override_settings(CHANNEL_LAYERS=MEMORY_LAYERS):
        found = get_channel_layer()
        assert isinstance(found, InMemoryChannelLayer)
        yield found
