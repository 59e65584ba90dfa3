"""The consumer, through reactpy_django.testing: mount, events, refusals, concurrency."""

from __future__ import annotations

import asyncio

import pytest
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from reactpy_django.consumer import CloseCode
from reactpy_django.routing import REACTPY_WEBSOCKET_ROUTE
from reactpy_django.testing import mount

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.backends]


async def test_counter_renders_and_counts() -> None:
    async with mount("tests.components.counter", start=3) as page:
        assert page.find(id="count").text == "Count: 3"
        await page.click(id="increment")
        await page.wait_for_text("Count: 4")


async def test_unregistered_component_is_refused() -> None:
    # A path no template names and nobody registered: importing it from a URL is refused.
    communicator = WebsocketCommunicator(
        URLRouter([REACTPY_WEBSOCKET_ROUTE]), "/reactpy/os.system/abc/0/"
    )
    connected, _ = await communicator.connect()
    assert connected
    closed = await communicator.receive_output()
    assert closed["type"] == "websocket.close"
    assert closed["code"] == CloseCode.UNKNOWN_COMPONENT
    await communicator.disconnect()


async def test_concurrent_layouts_keep_their_own_hook_state() -> None:
    async def one(index: int) -> str:
        async with mount("tests.components.themed_tree", url=f"/?theme=t{index}") as page:
            await page.wait_for(lambda: page.text.count("ready") == 4)
            return page.text

    texts = await asyncio.gather(*(one(i) for i in range(8)))
    for index, text in enumerate(texts):
        assert text == "".join(f"t{index}:{leaf}:ready" for leaf in range(4))
