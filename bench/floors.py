"""The floors: plain Channels consumers doing the least a live component could do.

Every figure of reactpy_django is printed beside one of these, measured on the same server in
the same run: an echo consumer (open, round trip, memory) and a group consumer (fan-out).
They are stock `AsyncWebsocketConsumer`s, so they pay what any Channels consumer pays.
"""

from __future__ import annotations

from typing import TypedDict

from channels.generic.websocket import AsyncWebsocketConsumer

__all__ = ["FLOOR_GROUP", "GREETING", "EchoConsumer", "GroupConsumer", "GroupTriggerConsumer"]

FLOOR_GROUP = "bench-floor"
"""The group the floor's receivers join."""

GREETING = '{"type":"layout-update","path":"","model":{"tagName":"","children":["ready"]}}'
"""What the floor consumers send right after accepting (their "first layout update")."""


class _GroupText(TypedDict):
    type: str
    text: str


class EchoConsumer(AsyncWebsocketConsumer):
    """Greets on open, then sends every text frame back unchanged."""

    async def connect(self) -> None:
        await self.accept()
        await self.send(text_data=GREETING)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if text_data is not None:
            await self.send(text_data=text_data)


class GroupConsumer(AsyncWebsocketConsumer):
    """Joins `FLOOR_GROUP` (Channels does it before `connect`) and forwards its messages."""

    groups = [FLOOR_GROUP]

    async def connect(self) -> None:
        await self.accept()
        await self.send(text_data=GREETING)

    async def bench_message(self, message: _GroupText) -> None:
        """Handler of `{"type": "bench.message", "text": ...}` group messages."""
        await self.send(text_data=message["text"])


class GroupTriggerConsumer(AsyncWebsocketConsumer):
    """Sends every text frame it receives to `FLOOR_GROUP` with one `group_send`."""

    async def connect(self) -> None:
        await self.accept()
        await self.send(text_data=GREETING)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if text_data is not None:
            await self.channel_layer.group_send(
                FLOOR_GROUP, {"type": "bench.message", "text": text_data}
            )
