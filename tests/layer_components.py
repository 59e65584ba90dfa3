"""Probe components for the `use_channel_layer` tests (the doc's examples are `docs/examples/`)."""

from __future__ import annotations

import asyncio
import datetime
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import Any

from reactpy import component, hooks, html
from reactpy.core.types import VdomDict

from reactpy_django.hooks import use_channel_layer
from reactpy_django.types import ChannelMessage

REDIS_LAYER = "channels_redis.core.RedisChannelLayer"
PUBSUB_LAYER = "channels_redis.pubsub.RedisPubSubChannelLayer"
REDIS_KINDS: dict[str, str] = {"core": REDIS_LAYER, "pubsub": PUBSUB_LAYER}
"""channels_redis' two layers, by the name the tests give them (`REACTPY_TEST_REDIS_LAYER`)."""


def redis_layers(url: str, kind: str = "core", **config: Any) -> dict[str, Any]:
    """CHANNEL_LAYERS for one Redis layer of `kind`, configured as docs/deployment.md documents."""
    hosts = [{"address": url, "socket_timeout": 10}]
    return {"default": {"BACKEND": REDIS_KINDS[kind], "CONFIG": {"hosts": hosts, **config}}}


ARRIVALS: defaultdict[str, list[float]] = defaultdict(list)
"""`time.monotonic()` of each message a `probe` got, by its `tag` (for fan-out timing)."""


# Probes for the lifecycle tests.


@component
def probe(
    group: str | None = None, channel: str | None = None, tag: str = "probe", layer: str = "default"
) -> VdomDict:
    """Shows how many messages arrived and the last one's text."""
    count, set_count = hooks.use_state(0)
    text, set_text = hooks.use_state("")

    async def receive(message: ChannelMessage) -> None:
        ARRIVALS[tag].append(time.monotonic())
        set_count(lambda old: old + 1)
        set_text(str(message.get("text")))

    use_channel_layer(group=group, channel=channel, receiver=receive, layer=layer)
    return html.span({"class": "probe"}, f"{tag} got {count}: {text};")


@component
def many_probes(count: int, group: str, tag: str) -> VdomDict:
    """`count` probes in one group."""
    return html.div([probe(group=group, tag=tag, key=str(index)) for index in range(count)])


@component
def toggled_probe(group: str | None = None, channel: str | None = None) -> VdomDict:
    """A probe that a button mounts and unmounts."""
    shown, set_shown = hooks.use_state(True)

    def toggle(event: object) -> None:
        set_shown(not shown)

    return html.div(
        html.button({"id": "toggle", "on_click": toggle}, "Toggle"),
        html.span({"id": "shown"}, f"shown: {shown}"),
        probe(group=group, channel=channel, tag="toggled") if shown else None,
    )


@component
def old_form_probe(
    name: str | None = None,
    group_name: str | None = None,
    group_add: bool = True,
    group_discard: bool = True,
) -> VdomDict:
    """reactpy-django 5.2.1's call form, behind a button that unmounts and remounts it."""
    shown, set_shown = hooks.use_state(True)

    def toggle(event: object) -> None:
        set_shown(not shown)

    inner = _old_form(name, group_name, group_add, group_discard) if shown else None
    return html.div(
        html.button({"id": "toggle", "on_click": toggle}, "Toggle"),
        html.span({"id": "shown"}, f"shown: {shown}"),
        inner,
    )


@component
def _old_form(
    name: str | None, group_name: str | None, group_add: bool, group_discard: bool
) -> VdomDict:
    count, set_count = hooks.use_state(0)
    text, set_text = hooks.use_state("")

    async def receive(message: ChannelMessage) -> None:
        set_count(lambda old: old + 1)
        set_text(str(message.get("text")))

    sender = use_channel_layer(  # pyright: ignore[reportDeprecated]  # the old form on purpose
        name,
        group_name=group_name,
        group_add=group_add,
        group_discard=group_discard,
        receiver=receive,
    )

    async def send(event: object) -> None:
        await sender({"text": "from old"})

    return html.div(
        html.button({"id": "send", "on_click": send}, "Send"),
        html.span(f"old got {count}: {text};"),
    )


@component
def old_form_positional(name: str) -> VdomDict:
    """The shortest 5.2.1 form, `use_channel_layer("name", receiver=...)`."""
    text, set_text = hooks.use_state("")

    async def receive(message: ChannelMessage) -> None:
        set_text(str(message.get("text")))

    use_channel_layer(name, receiver=receive)  # pyright: ignore[reportDeprecated]  # on purpose
    return html.span(f"positional got: {text};")


@component
def prefixed_receiver(group: str) -> VdomDict:
    """Its receiver is a new closure every render and shows the prefix it saw."""
    prefix, set_prefix = hooks.use_state("a")
    seen, set_seen = hooks.use_state("")

    async def receive(message: ChannelMessage) -> None:
        set_seen(f"{prefix}:{message['text']}")

    use_channel_layer(group=group, receiver=receive)

    def next_prefix(event: object) -> None:
        set_prefix(prefix + "a")

    return html.div(
        html.button({"id": "next", "on_click": next_prefix}, "Next"),
        html.span({"id": "prefix"}, f"prefix {prefix}"),
        html.span({"id": "seen"}, f"seen {seen}"),
    )


@component
def fragile_receiver(group: str) -> VdomDict:
    """Its receiver raises on the text "boom"."""
    text, set_text = hooks.use_state("")

    async def receive(message: ChannelMessage) -> None:
        if message["text"] == "boom":
            msg = "the receiver broke on purpose"
            raise RuntimeError(msg)
        set_text(message["text"])

    use_channel_layer(group=group, receiver=receive)
    return html.span({"id": "text"}, f"text: {text}")


@component
def mutating_receivers(group: str) -> VdomDict:
    """Two receivers in one group; the first changes its message, the second must not see it."""
    first, set_first = hooks.use_state("")
    second, set_second = hooks.use_state("")

    async def receive_first(message: ChannelMessage) -> None:
        message["items"].append("changed")
        set_first(",".join(message["items"]))

    async def receive_second(message: ChannelMessage) -> None:
        set_second(",".join(message["items"]))

    use_channel_layer(group=group, receiver=receive_first)
    use_channel_layer(group=group, receiver=receive_second)
    return html.div(f"first: {first}; second: {second};")


@component
def bad_sender(group: str) -> VdomDict:
    """Sends a datetime on click and shows the error the sender raised."""
    sender = use_channel_layer(group=group)
    error, set_error = hooks.use_state("")

    async def send(event: object) -> None:
        try:
            await sender({"when": datetime.datetime(2025, 1, 1)})  # type: ignore[dict-item]  # pyright: ignore[reportArgumentType]  # the mistake under test
        except TypeError as raised:
            set_error(str(raised))

    return html.div(
        html.button({"id": "send", "on_click": send}, "Send"),
        html.span({"id": "error"}, f"error: {error}"),
    )


@component
def sender_button(group: str | None = None, channel: str | None = None) -> VdomDict:
    """Sends {"text": "<n>"} on each click, counting up, to the group else the channel."""
    sender = use_channel_layer(group=group, channel=channel)
    sent, set_sent = hooks.use_state(0)

    async def send(event: object) -> None:
        await sender({"text": str(sent + 1)})
        set_sent(sent + 1)

    return html.div(
        html.button({"id": "send", "on_click": send}, "Send"),
        html.span({"id": "sent"}, f"sent {sent}"),
    )


@component
def misconfigured(layer: str = "default", channel: str | None = None) -> VdomDict:
    """Calls the hook with what the test passes (neither name, or an unknown layer)."""
    use_channel_layer(channel=channel, layer=layer)
    return html.span("rendered")


async def wait_until(
    condition: Callable[[], Awaitable[bool]], what: str, timeout: float = 10.0
) -> None:
    """Poll an async `condition` (e.g. a Redis query) until true, or fail naming `what`."""
    deadline = time.monotonic() + timeout
    while not await condition():
        if time.monotonic() > deadline:
            msg = f"{what} did not happen within {timeout}s"
            raise TimeoutError(msg)
        await asyncio.sleep(0.02)  # polling until the deadline
