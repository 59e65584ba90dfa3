"""Components only the benchmark mounts (the counter is the demo's own)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from reactpy import component, hooks, html
from reactpy.core.types import VdomDict

from demo_app.models import TodoItem
from reactpy_django.hooks import use_channel_layer, use_query
from reactpy_django.types import ChannelMessage

__all__ = ["FANOUT_GROUP", "fanout_receiver", "fanout_sender", "get_items", "item_list"]

FANOUT_GROUP = "bench-fanout"
"""The group of the fan-out receivers."""


def get_items() -> QuerySet[TodoItem]:
    """The demo's todo query: every item (the benchmark's database holds ten)."""
    return TodoItem.objects.all()


@dataclass(slots=True)
class _Fetches:
    last: object = None
    count: int = 0


@component
def item_list() -> VdomDict:
    """A `use_query` list that refetches on click and shows how many results it has had."""
    query = use_query(get_items)
    fetches = hooks.use_ref(_Fetches()).current
    if query.data is not None and query.data is not fetches.last:
        fetches.last = query.data
        fetches.count += 1
    items = query.data
    return html.div(
        html.button({"id": "refetch", "on_click": lambda event: query.refetch()}, "Refetch"),
        html.span({"id": "fetches"}, f"Fetches: {fetches.count}"),
        html.ul([html.li({"key": item.pk}, item.text) for item in items] if items else []),
    )


@component
def fanout_receiver() -> VdomDict:
    """Shows the text of the last message sent to `FANOUT_GROUP`."""
    text, set_text = hooks.use_state("")

    async def receive(message: ChannelMessage) -> None:
        set_text(str(message.get("text", "")))

    use_channel_layer(group=FANOUT_GROUP, receiver=receive)
    return html.span({"id": "received"}, text)


@component
def fanout_sender() -> VdomDict:
    """Sends the clicked element's `value` to `FANOUT_GROUP`."""
    sender = use_channel_layer(group=FANOUT_GROUP)

    async def on_click(event: ChannelMessage) -> None:
        target = event.get("target")
        value = target.get("value", "") if isinstance(target, dict) else ""
        await sender({"text": str(value)})

    return html.button({"id": "send", "on_click": on_click}, "Send")
