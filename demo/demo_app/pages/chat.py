"""The communication-hooks demo page: a chat room on `use_channel_layer`."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from reactpy import component, hooks, html
from reactpy.core.types import VdomDict

from reactpy_django.hooks import use_channel_layer
from reactpy_django.types import ChannelMessage

__all__ = ["ROOM", "chat_room"]

ROOM = "demo-chat"
"""The group every open chat tab joins."""

_KEEP = 50  # messages shown per tab


@component
def chat_room() -> VdomDict:
    """Name and message inputs; every message goes to every open tab through the group."""
    name, set_name = hooks.use_state("")
    draft, set_draft = hooks.use_state("")
    messages, set_messages = hooks.use_state(tuple[ChannelMessage, ...]())

    async def receive(message: ChannelMessage) -> None:
        set_messages(lambda shown: (*shown, message)[-_KEEP:])

    sender = use_channel_layer(group=ROOM, receiver=receive)

    async def send(text: str) -> None:
        if text.strip():
            await sender({"id": uuid4().hex, "name": name.strip() or "Anonymous", "text": text})
            set_draft("")

    async def on_key_down(event: dict[str, Any]) -> None:
        if event.get("key") == "Enter":
            await send(str(event["target"]["value"]))

    async def on_click(event: object) -> None:
        await send(draft)

    def on_name(event: dict[str, Any]) -> None:
        set_name(str(event["target"]["value"]))

    def on_draft(event: dict[str, Any]) -> None:
        set_draft(str(event["target"]["value"]))

    return html.div(
        html.p(
            html.label("Your name: "),
            html.input({"id": "chat-name", "placeholder": "Anonymous", "on_change": on_name}),
        ),
        html.ul(
            {"id": "chat-log"},
            [
                html.li(
                    {"key": str(message.get("id"))},
                    html.b(f"{message.get('name')}: "),
                    str(message.get("text")),
                )
                for message in messages
            ]
            or [
                html.li({"key": "empty"}, html.i("No messages yet: open this page in another tab."))
            ],
        ),
        html.p(
            html.input(
                {
                    "id": "chat-message",
                    "placeholder": "Message, then Enter",
                    "value": draft,
                    "on_change": on_draft,
                    "on_key_down": on_key_down,
                }
            ),
            html.button({"id": "chat-send", "on_click": on_click}, "Send"),
        ),
    )
