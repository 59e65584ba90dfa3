"""The hooks doc's use_channel_layer examples and the demo chat, in a real browser.

Pages that broadcast run on uvicorn with the Redis layer (`REACTPY_TEST_LAYER=redis`), so the
test can see group membership in Redis and know the receivers have joined before it types.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from asgiref.sync import sync_to_async
from django.db.models.signals import pre_save
from django.test import override_settings
from playwright.async_api import Page
from redis.asyncio import Redis

from tests.conftest import AsgiServerFactory
from tests.layer_components import redis_layers, wait_until
from tests.models import ExampleModel
from tests.test_layers import my_sender_signal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[Redis]:
    """A client of the test's redis-server, emptied first (the layer's default prefix)."""
    client = Redis.from_url(redis_url)  # pyright: ignore[reportUnknownMemberType]  # redis-py: **kwargs untyped
    await client.flushdb()  # pyright: ignore[reportUnknownMemberType]  # redis-py: **kwargs untyped
    yield client
    await client.aclose()


@pytest.fixture
def redis_server(asgi_server: AsgiServerFactory, redis_url: str) -> str:
    """uvicorn serving the test site on the Redis channel layer."""
    return asgi_server(REACTPY_TEST_LAYER="redis", REACTPY_TEST_REDIS_URL=redis_url)


async def wait_for_members(redis: Redis, group: str, count: int) -> None:
    async def joined() -> bool:
        return await redis.zcard(f"asgi:group:{group}") == count

    await wait_until(joined, f"{count} members in {group!r}", timeout=20)


async def test_doc_first_example_in_two_tabs(page: Page, redis: Redis, redis_server: str) -> None:
    other = await page.context.new_page()
    await page.goto(f"{redis_server}/test/layer_first/")
    await other.goto(f"{redis_server}/test/layer_first/")
    await wait_for_members(redis, "my-group-name", 2)
    await page.locator("input").fill("hello from tab 1")
    await page.locator("input").press("Enter")
    await page.get_by_text("Received: hello from tab 1").wait_for()
    await other.get_by_text("Received: hello from tab 1").wait_for()
    # Closing the tabs closes their WebSockets: uvicorn's consumer leaves the group.
    await other.close()
    await wait_for_members(redis, "my-group-name", 1)
    await page.close()
    await wait_for_members(redis, "my-group-name", 0)


async def test_doc_broadcast_to_two_receivers(page: Page, redis: Redis, redis_server: str) -> None:
    await page.goto(f"{redis_server}/test/layer_broadcast/")
    await wait_for_members(redis, "my-group-name", 2)  # the two receivers; the sender joins none
    sender = page.locator("#sender input")
    await sender.fill("to both")
    await sender.press("Enter")
    await page.get_by_text("Message Receiver 1: to both").wait_for()
    await page.get_by_text("Message Receiver 2: to both").wait_for()
    await page.goto("about:blank")
    await wait_for_members(redis, "my-group-name", 0)


async def test_doc_point_to_point(page: Page, live_server_url: str) -> None:
    # The in-memory layer: one server process holds both components.
    await page.goto(f"{live_server_url}/test/layer_p2p/")
    await page.get_by_text("Message Receiver 1:").wait_for()
    sender = page.locator("#sender input")
    await sender.fill("just for you")
    await sender.press("Enter")
    await page.get_by_text("Message Receiver 1: just for you").wait_for()


async def test_doc_model_signal(
    page: Page, redis: Redis, redis_server: str, redis_url: str
) -> None:
    # The save happens in this process; the message crosses to the server through Redis.
    await page.goto(f"{redis_server}/test/layer_signal/")
    await page.get_by_text("Message Receiver:").wait_for()
    await wait_for_members(redis, "my-group-name", 1)
    with override_settings(CHANNEL_LAYERS=redis_layers(redis_url)):
        pre_save.connect(my_sender_signal, sender=ExampleModel)  # pyright: ignore[reportUnknownMemberType]  # django-stubs: receivers are Callable[..., Unknown]
        try:
            await sync_to_async(ExampleModel.objects.create)(text="saved")
        finally:
            pre_save.disconnect(my_sender_signal, sender=ExampleModel)  # pyright: ignore[reportUnknownMemberType]  # as connect above
    await page.get_by_text("Message Receiver: Hello World!").wait_for()


async def test_demo_chat_reaches_every_tab(page: Page, redis: Redis, redis_server: str) -> None:
    other = await page.context.new_page()
    await page.goto(f"{redis_server}/chat/")
    await other.goto(f"{redis_server}/chat/")
    await wait_for_members(redis, "demo-chat", 2)
    await page.locator("#chat-name").fill("Ada")
    message = page.locator("#chat-message")
    await message.fill("hello, tabs")
    await message.press("Enter")
    for tab in (page, other):
        await tab.locator("#chat-log li", has_text="Ada: hello, tabs").wait_for()
    assert await message.input_value() == ""
    reply = other.locator("#chat-message")
    await reply.fill("hi Ada")
    await other.locator("#chat-send").click()
    await page.locator("#chat-log li", has_text="Anonymous: hi Ada").wait_for()
