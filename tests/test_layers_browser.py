"""The hooks doc's use_channel_layer examples and the demo chat, in a real browser.

Pages that broadcast run on uvicorn with a Redis layer (`REACTPY_TEST_LAYER=redis`), once on
each of channels_redis' layers (`REACTPY_TEST_REDIS_LAYER`), so the test knows the receivers
have joined before it types: RedisChannelLayer shows each member in Redis; on
RedisPubSubChannelLayer Redis counts one subscriber per server process, so the test sends
from here until every receiver shows the message.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import uuid4

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.db.models.signals import pre_save
from django.test import override_settings
from playwright.async_api import Locator, Page, expect
from redis.asyncio import Redis

from tests.conftest import AsgiServerFactory
from tests.layer_components import redis_layers, wait_until
from tests.models import ExampleModel
from tests.test_layers import my_sender_signal

pytestmark = [pytest.mark.browser, pytest.mark.backends, pytest.mark.django_db(transaction=True)]


@dataclass
class RedisSite:
    """uvicorn serving the test site on one of channels_redis' layers, and a Redis client."""

    url: str
    redis_url: str
    kind: str
    client: Redis

    async def subscribers(self, group: str) -> int:
        """Connections subscribed to `group` on the pub/sub layer (default `asgi` prefix)."""
        counts: list[tuple[bytes | str, int]] = await self.client.pubsub_numsub(  # pyright: ignore[reportUnknownMemberType]  # redis-py: **kwargs untyped
            f"asgi__group__{group}"
        )
        return sum(count for _, count in counts)

    async def wait_for_members(self, group: str, count: int) -> None:
        """Wait until `group` has `count` members (on the pub/sub layer: some, or none)."""

        async def joined() -> bool:
            if self.kind == "core":
                return await self.client.zcard(f"asgi:group:{group}") == count
            return (await self.subscribers(group) > 0) == (count > 0)

        await wait_until(joined, f"{count} members in {group!r}", timeout=20)

    async def joined(
        self,
        group: str,
        count: int,
        probe: Callable[[], dict[str, Any]],
        shown: Sequence[Locator],
    ) -> None:
        """Wait until the `count` receivers of `group` have joined: counted in Redis on the
        core layer; on the pub/sub layer, a `probe()` message is sent to the group every half
        second until every locator in `shown` is visible."""
        if self.kind == "core":
            await self.wait_for_members(group, count)
            return
        with override_settings(CHANNEL_LAYERS=redis_layers(self.redis_url, self.kind)):
            layer = get_channel_layer()
            assert layer is not None
            deadline = time.monotonic() + 20
            while True:
                await layer.group_send(group, probe())
                try:
                    for locator in shown:
                        await expect(locator).to_be_visible(timeout=500)
                except AssertionError:
                    if time.monotonic() > deadline:
                        raise
                    continue
                return


def _ready() -> dict[str, Any]:
    return {"text": "ready"}


@pytest.fixture
async def redis_site(
    asgi_server: AsgiServerFactory, redis_url: str, redis_kind: str
) -> AsyncIterator[RedisSite]:
    """uvicorn on each Redis layer in turn, Redis emptied first."""
    client = Redis.from_url(redis_url)  # pyright: ignore[reportUnknownMemberType]  # redis-py: **kwargs untyped
    await client.flushdb()  # pyright: ignore[reportUnknownMemberType]  # redis-py: **kwargs untyped
    url = asgi_server(
        REACTPY_TEST_LAYER="redis",
        REACTPY_TEST_REDIS_URL=redis_url,
        REACTPY_TEST_REDIS_LAYER=redis_kind,
    )
    yield RedisSite(url, redis_url, redis_kind, client)
    await client.aclose()


async def test_doc_first_example_in_two_tabs(page: Page, redis_site: RedisSite) -> None:
    other = await page.context.new_page()
    await page.goto(f"{redis_site.url}/test/layer_first/")
    await other.goto(f"{redis_site.url}/test/layer_first/")
    ready = [tab.get_by_text("Received: ready") for tab in (page, other)]
    await redis_site.joined("my-group-name", 2, _ready, ready)
    await page.locator("input").fill("hello from tab 1")
    await page.locator("input").press("Enter")
    await page.get_by_text("Received: hello from tab 1").wait_for()
    await other.get_by_text("Received: hello from tab 1").wait_for()
    # Closing the tabs closes their WebSockets: uvicorn's consumer leaves the group.
    await other.close()
    await redis_site.wait_for_members("my-group-name", 1)
    await page.close()
    await redis_site.wait_for_members("my-group-name", 0)


async def test_doc_broadcast_to_two_receivers(page: Page, redis_site: RedisSite) -> None:
    await page.goto(f"{redis_site.url}/test/layer_broadcast/")
    ready = [page.get_by_text(f"Message Receiver {number}: ready") for number in (1, 2)]
    # The two receivers; the sender joins none.
    await redis_site.joined("my-group-name", 2, _ready, ready)
    sender = page.locator("#sender input")
    await sender.fill("to both")
    await sender.press("Enter")
    await page.get_by_text("Message Receiver 1: to both").wait_for()
    await page.get_by_text("Message Receiver 2: to both").wait_for()
    await page.goto("about:blank")
    await redis_site.wait_for_members("my-group-name", 0)


async def test_doc_point_to_point(page: Page, live_server_url: str) -> None:
    # The in-memory layer: one server process holds both components.
    await page.goto(f"{live_server_url}/test/layer_p2p/")
    await page.get_by_text("Message Receiver 1:").wait_for()
    sender = page.locator("#sender input")
    await sender.fill("just for you")
    await sender.press("Enter")
    await page.get_by_text("Message Receiver 1: just for you").wait_for()


async def test_doc_model_signal(page: Page, redis_site: RedisSite) -> None:
    # The save happens in this process; the message crosses to the server through Redis.
    await page.goto(f"{redis_site.url}/test/layer_signal/")
    await page.get_by_text("Message Receiver:").wait_for()
    ready = [page.get_by_text("Message Receiver: ready")]
    await redis_site.joined("my-group-name", 1, _ready, ready)
    with override_settings(CHANNEL_LAYERS=redis_layers(redis_site.redis_url, redis_site.kind)):
        pre_save.connect(my_sender_signal, sender=ExampleModel)  # pyright: ignore[reportUnknownMemberType]  # django-stubs: receivers are Callable[..., Unknown]
        try:
            await sync_to_async(ExampleModel.objects.create)(text="saved")
        finally:
            pre_save.disconnect(my_sender_signal, sender=ExampleModel)  # pyright: ignore[reportUnknownMemberType]  # as connect above
    await page.get_by_text("Message Receiver: Hello World!").wait_for()


async def test_demo_chat_reaches_every_tab(page: Page, redis_site: RedisSite) -> None:
    other = await page.context.new_page()
    await page.goto(f"{redis_site.url}/chat/")
    await other.goto(f"{redis_site.url}/chat/")
    ready = [tab.locator("#chat-log li", has_text="probe: ready").first for tab in (page, other)]

    def probe() -> dict[str, Any]:
        return {"id": uuid4().hex, "name": "probe", "text": "ready"}

    await redis_site.joined("demo-chat", 2, probe, ready)
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
