"""use_channel_layer: both call forms (5.2.1's deprecated), the sender's type, receivers."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, assert_type

from reactpy_django.hooks import use_channel_layer
from reactpy_django.types import AsyncMessageReceiver, AsyncMessageSender, ChannelMessage


async def doc_receiver(message: ChannelMessage) -> None:
    assert_type(message["text"], Any)  # a received message's values are Any, as decoded


async def mapping_receiver(message: Mapping[str, Any]) -> None: ...


def sync_receiver(message: ChannelMessage) -> None: ...


async def two_argument_receiver(message: ChannelMessage, extra: int) -> None: ...


def hook_signature() -> None:
    sender = use_channel_layer(group="my-group-name", receiver=doc_receiver)
    assert_type(sender, AsyncMessageSender)
    use_channel_layer(channel="my-channel-name", group="my-group-name", layer="other")
    use_channel_layer(channel="c", receiver=mapping_receiver)  # a wider parameter is fine
    use_channel_layer(chanel="typo")  # E: call-overload reportCallIssue
    use_channel_layer(group="g", receiver=sync_receiver)  # E: call-overload reportArgumentType
    two = two_argument_receiver
    use_channel_layer(group="g", receiver=two)  # E: call-overload reportArgumentType


async def sends(sender: AsyncMessageSender, event: dict[str, Any], items: list[int]) -> None:
    await sender({"text": "hello"})  # the doc's messages: no "type" key needed
    await sender({"text": event["target"]["value"]})  # an event's Any values
    await sender({"items": items, "nested": {"a": [1, 2.5, None, b"x", ("t", True)]}})
    plain: dict[str, str] = {"text": "x"}
    await sender(plain)  # dict[str, str] is a Mapping[str, ChannelValue]
    await sender({"when": datetime.datetime.now()})  # E: dict-item reportArgumentType
    await sender({1: "x"})  # E: dict-item reportArgumentType
    await sender("text")  # E: arg-type reportArgumentType
    await sender({"nested": {"when": datetime.date.today()}})  # E: dict-item reportArgumentType


def reactpy_django_5_call_forms() -> None:
    # reactpy-django 5.2.1's spelling is accepted and reported as deprecated: mypy prints a
    # note, basedpyright a reportDeprecated diagnostic (the ignores below would be flagged as
    # unnecessary without it); the runtime warns with the new spelling.
    sender = use_channel_layer("my-channel-name")  # pyright: ignore[reportDeprecated]
    assert_type(sender, AsyncMessageSender)
    use_channel_layer(name="n", receiver=doc_receiver)  # pyright: ignore[reportDeprecated]
    use_channel_layer(group_name="g", receiver=doc_receiver)  # pyright: ignore[reportDeprecated]
    use_channel_layer(  # pyright: ignore[reportDeprecated]
        "n", group_name="g", group_add=False, group_discard=False, layer="x"
    )
    use_channel_layer(None, group_name="g")  # pyright: ignore[reportDeprecated]
    use_channel_layer(1)  # E: call-overload reportArgumentType
    use_channel_layer(group_name=1)  # E: call-overload reportArgumentType
    use_channel_layer("n", group_add="no")  # E: call-overload reportArgumentType
    use_channel_layer("n", receiver=sync_receiver)  # E: call-overload reportArgumentType
    use_channel_layer("n", group="g")  # E: call-overload reportCallIssue
    use_channel_layer(channel="n", group_name="g")  # E: call-overload reportCallIssue


def receiver_protocol(receiver: AsyncMessageReceiver) -> None:
    use_channel_layer(group="g", receiver=receiver)
