"""Several server processes behind one site: what one process does, the others see.

Two uvicorn processes, A and B, share only PostgreSQL and the Redis channel layer (started
by the fixtures, `tests/multiprocess.py`), once on each of channels_redis' layers. Each page
comes from one process over HTTP and its WebSocket goes to the other (the `{% component %}`
tag's `host=`), or browser pages connect to different processes, and the test checks what
the pages show.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from uuid import uuid4

import pytest
from channels.layers import get_channel_layer
from django.test import override_settings
from playwright.async_api import Browser, Page, expect

from reactpy_django._refetch import _MAX_DEFER
from reactpy_django._refetch import GROUP as REFETCH_GROUP
from reactpy_django._session_sync import group_name as session_group
from reactpy_django.testing import MountedComponent, mount
from tests.layer_components import redis_layers
from tests.multi_components import BURST
from tests.multiprocess import (
    ON_BACKENDS,
    Site,
    group_size,
    log_in,
    new_browser_page,
    start_site,
    wait_for_group,
)

pytestmark = [pytest.mark.backends, pytest.mark.django_db(transaction=True)]

COMPONENTS = "tests.multi_components."


@pytest.fixture(scope="module", params=["core", "pubsub"])
def site(request: pytest.FixtureRequest, django_db_setup: None, redis_url: str) -> Iterator[Site]:
    """Processes A and B of one site, on each of channels_redis' layers in turn, shared by
    this module's tests (each test's data is committed and flushed after it, as with
    `asgi_server`)."""
    redis_layer: str = request.param
    idle = asyncio.run(group_size(redis_url, REFETCH_GROUP, redis_layer))
    with start_site(redis_layer) as started:
        yield dataclasses.replace(started, idle_refetch=idle)


@pytest.fixture
def refetch_listeners(site: Site, redis_url: str) -> Callable[[int], Awaitable[None]]:
    """`await refetch_listeners(2)` waits until both processes (A and B) are in the refetch
    group: a process joins it once it has mounted a connection (its relay starts with the
    first `use_query` or login link)."""

    async def listening(processes: int) -> None:
        await wait_for_group(
            redis_url, REFETCH_GROUP, processes, site.redis_layer, besides=site.idle_refetch
        )

    return listening


@pytest.fixture
async def other_page(browser: Browser) -> AsyncIterator[Page]:
    """A page in another browser (its own cookies): another user."""
    context, other = await new_browser_page(browser)
    yield other
    await context.close()


@pytest.mark.browser
@ON_BACKENDS
async def test_arguments_stored_by_one_process_are_read_by_another(site: Site, page: Page) -> None:
    token = uuid4().hex
    await page.goto(site.page_url("multi_args", http="A", ws="B", token=token))
    await expect(page.locator("#server")).to_have_text("served by B")
    await expect(page.locator("#arguments")).to_have_text(f"label={token} number=42")


@pytest.mark.browser
@ON_BACKENDS
async def test_channel_layer_messages_reach_components_on_every_process(
    site: Site, page: Page, other_page: Page, redis_url: str
) -> None:
    group = f"multi-{uuid4().hex[:8]}"
    await page.goto(site.page_url("multi_chat", http="A", ws="A", group=group))
    await other_page.goto(site.page_url("multi_chat", http="A", ws="B", group=group))
    await expect(page.locator("#server")).to_have_text("served by A")
    await expect(other_page.locator("#server")).to_have_text("served by B")
    await wait_for_group(redis_url, group, 2, site.redis_layer)

    await page.locator("#message").fill("hello from A")
    await page.locator("#message").press("Enter")
    await expect(other_page.locator("#received li")).to_have_text(["A said hello from A"])

    await other_page.locator("#message").fill("hello from B")
    await other_page.locator("#message").press("Enter")
    expected = ["A said hello from A", "B said hello from B"]
    await expect(page.locator("#received li")).to_have_text(expected)
    await expect(other_page.locator("#received li")).to_have_text(expected)

    # Code outside components, in a third process (this test), reaches both.
    with override_settings(CHANNEL_LAYERS=redis_layers(redis_url, site.redis_layer)):
        layer = get_channel_layer()
        assert layer is not None
        await layer.group_send(group, {"type": "chat", "server": "a view", "text": "hi all"})
        close_pools = getattr(layer, "close_pools", None)  # RedisChannelLayer's
        if close_pools is not None:
            await close_pools()
    expected.append("a view said hi all")
    await expect(page.locator("#received li")).to_have_text(expected)
    await expect(other_page.locator("#received li")).to_have_text(expected)


async def _open_todo_lists(
    site: Site, page: Page, other_page: Page, listening: Callable[[int], Awaitable[None]]
) -> None:
    """The todo list on A (`page`) and on B (`other_page`), each process listening for
    refetches from the other."""
    await page.goto(site.page_url("multi_todo", http="A", ws="A"))
    await other_page.goto(site.page_url("multi_todo", http="A", ws="B"))
    await expect(page.locator("#server")).to_have_text("served by A")
    await expect(other_page.locator("#server")).to_have_text("served by B")
    for shown in (page, other_page):
        await expect(shown.locator("#count")).to_have_text("0 items")
    await listening(2)


@pytest.mark.browser
@ON_BACKENDS
async def test_a_mutation_refetches_the_query_on_other_processes(
    site: Site,
    page: Page,
    other_page: Page,
    refetch_listeners: Callable[[int], Awaitable[None]],
) -> None:
    await _open_todo_lists(site, page, other_page, refetch_listeners)
    await expect(other_page.locator("#runs")).to_have_text("query runs in B: 1")

    await page.locator("#add").click()
    await expect(other_page.locator("#items li")).to_have_text(["item A0"])
    await expect(other_page.locator("#runs")).to_have_text("query runs in B: 2")

    await other_page.locator("#add").click()
    await expect(page.locator("#items li")).to_have_text(["item A0", "item B0"])
    await expect(other_page.locator("#items li")).to_have_text(["item A0", "item B0"])


@pytest.mark.browser
@ON_BACKENDS
async def test_a_burst_of_mutations_is_coalesced_on_other_processes(
    site: Site,
    page: Page,
    other_page: Page,
    refetch_listeners: Callable[[int], Awaitable[None]],
) -> None:
    await _open_todo_lists(site, page, other_page, refetch_listeners)
    await expect(other_page.locator("#runs")).to_have_text("query runs in B: 1")

    started = time.monotonic()
    await page.locator("#burst").click()  # BURST mutations, each with refetch=
    # A's own list runs its query after the burst's last mutation (same connection's lane).
    await expect(page.locator("#count")).to_have_text(f"{BURST} items", timeout=60_000)
    burst_seconds = time.monotonic() - started
    await expect(other_page.locator("#count")).to_have_text(f"{BURST} items")
    # One more mutation, after the burst's (a connection's mutations run in order): once B
    # shows it, B has handled every refetch the burst sent.
    await page.locator("#add").click()
    await expect(other_page.locator("#count")).to_have_text(f"{BURST + 1} items")
    await expect(other_page.locator("#state")).to_have_text("loaded")
    await expect(page.locator("#state")).to_have_text("loaded")
    refetches_b = _runs(await other_page.locator("#runs").inner_text()) - 1
    refetches_a = _runs(await page.locator("#runs").inner_text()) - 1
    print(
        f"\n{BURST} + 1 mutations on A in {burst_seconds:.2f}s: the query ran "
        f"{refetches_a} times on A, {refetches_b} on B"
    )
    # At most one refetch per _MAX_DEFER seconds of burst, one at its end, one for the "add".
    assert refetches_b <= burst_seconds / _MAX_DEFER + 2


def _runs(text: str) -> int:
    return int(text.rsplit(":", 1)[1])


@pytest.mark.browser
@ON_BACKENDS
async def test_a_login_token_issued_by_one_process_is_redeemed_by_another(
    site: Site, page: Page
) -> None:
    # The page comes from B, its WebSocket goes to A: A logs the user in and issues the
    # token, and the browser redeems it with B (the page's own origin).
    await page.goto(site.page_url("multi_login", http="B", ws="A"))
    await expect(page.locator("#server")).to_have_text("served by A")
    await expect(page.locator("#user")).to_have_text("user: AnonymousUser")
    async with page.expect_response(lambda response: "/auth/" in response.url) as redeemed:
        await page.locator("#login").click()
    response = await redeemed.value
    assert response.url.startswith(site.urls["B"])
    assert response.status == 204
    await expect(page.locator("#user")).to_have_text("user: multi-user")

    # The cookie B set holds on both processes.
    await page.goto(site.page_url("multi_login", http="A", ws="A"))
    await expect(page.locator("#user")).to_have_text("user: multi-user")
    await page.goto(site.page_url("multi_login", http="B", ws="B"))
    await expect(page.locator("#server")).to_have_text("served by B")
    await expect(page.locator("#user")).to_have_text("user: multi-user")


@pytest.mark.browser
@ON_BACKENDS
async def test_a_login_on_one_process_updates_the_browsers_tabs_on_another(
    site: Site, page: Page, redis_url: str
) -> None:
    other_tab = await page.context.new_page()
    await page.goto(site.page_url("multi_login", http="A", ws="A"))
    await other_tab.goto(site.page_url("multi_user", http="A", ws="B"))
    await expect(other_tab.locator("#server")).to_have_text("served by B")
    await expect(other_tab.locator("#user")).to_have_text("user: AnonymousUser")
    # Both processes hear of this browser session's logins.
    group = session_group(await _session_cookie(page))
    await wait_for_group(redis_url, group, 2, site.redis_layer)

    await page.locator("#login").click()
    await expect(page.locator("#user")).to_have_text("user: multi-user")
    await expect(other_tab.locator("#user")).to_have_text("user: multi-user")

    await page.locator("#logout").click()
    await expect(page.locator("#user")).to_have_text("user: AnonymousUser")
    await expect(other_tab.locator("#user")).to_have_text("user: AnonymousUser")


async def _session_cookie(page: Page) -> str:
    cookies = await page.context.cookies()
    return next(cookie.get("value", "") for cookie in cookies if cookie.get("name") == "sessionid")


@pytest.mark.browser
@ON_BACKENDS
async def test_user_data_written_on_one_process_refreshes_the_user_on_another(
    site: Site, page: Page, refetch_listeners: Callable[[int], Awaitable[None]]
) -> None:
    await log_in(page.context, "data-user", site.urls["A"])
    other_tab = await page.context.new_page()
    await page.goto(site.page_url("multi_user_data", http="A", ws="A"))
    await other_tab.goto(site.page_url("multi_user_data", http="B", ws="B"))
    await expect(other_tab.locator("#server")).to_have_text("served by B")
    for tab in (page, other_tab):
        await expect(tab.locator("#note")).to_have_text("note: (none)")
    await refetch_listeners(2)

    await page.locator("#new-note").fill("written on A")
    await page.locator("#new-note").press("Enter")
    await expect(other_tab.locator("#note")).to_have_text("note: written on A")

    await other_tab.locator("#new-note").fill("written on B")
    await other_tab.locator("#new-note").press("Enter")
    await expect(page.locator("#note")).to_have_text("note: written on B")


async def test_a_burst_of_mutations_is_coalesced_for_other_connections() -> None:
    """In one process too: other users' pages do not run their query once per mutation."""
    async with mount(COMPONENTS + "todo_list") as reader, mount(COMPONENTS + "todo_list") as writer:
        await _wait_for_count(reader, "0 items")
        await _wait_for_count(writer, "0 items")
        started = time.monotonic()
        await writer.click(id="burst")
        await _wait_for_count(writer, f"{BURST} items")
        burst_seconds = time.monotonic() - started
        await _wait_for_count(reader, f"{BURST} items")
        await writer.click(id="add")
        await _wait_for_count(reader, f"{BURST + 1} items")
        await reader.wait_for_text("loaded")
        refetches = _runs(reader.find(id="runs").text) - 1
    print(
        f"\n{BURST} + 1 mutations in {burst_seconds:.2f}s: the other connection's query ran "
        f"{refetches} times"
    )
    assert refetches <= burst_seconds / _MAX_DEFER + 2


async def _wait_for_count(connection: MountedComponent, text: str) -> None:
    def shown() -> bool:
        found = connection.find_all(id="count")
        return bool(found) and found[0].text == text

    await connection.wait_for(shown, timeout=60)
