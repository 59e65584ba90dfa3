"""`use_channel_layer`: send and receive Channels layer messages from a component."""

from __future__ import annotations

from reactpy_django.types import AsyncMessageReceiver, AsyncMessageSender

__all__ = ["use_channel_layer"]


def use_channel_layer(
    *,
    channel: str | None = None,
    group: str | None = None,
    receiver: AsyncMessageReceiver | None = None,
    layer: str = "default",
) -> AsyncMessageSender:
    """Placeholder until the channel layer issue lands."""
    raise NotImplementedError
