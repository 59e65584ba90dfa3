"""use_channel_layer: its keyword-only signature, the sender's message type, receiver shapes."""

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
    use_channel_layer("my-group-name")  # E: misc reportCallIssue
    use_channel_layer(name="old-signature")  # E: call-arg reportCallIssue
    use_channel_layer(group_name="old-signature")  # E: call-arg reportCallIssue
    use_channel_layer(group="g", receiver=sync_receiver)  # E: arg-type reportArgumentType
    use_channel_layer(group="g", receiver=two_argument_receiver)  # E: arg-type reportArgumentType


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


def receiver_protocol(receiver: AsyncMessageReceiver) -> None:
    use_channel_layer(group="g", receiver=receiver)
