from typing import Any

from reactpy import component, hooks, html
from reactpy.core.types import VdomDict

from reactpy_django.hooks import use_channel_layer
from reactpy_django.types import ChannelMessage


@component
def my_component() -> VdomDict:
    async def receive_message(message: ChannelMessage) -> None:
        set_message_data(message["text"])

    async def send_message(event: dict[str, Any]) -> None:
        if event["key"] == "Enter":
            await sender({"text": event["target"]["value"]})

    message_data, set_message_data = hooks.use_state("")
    sender = use_channel_layer(group="my-group-name", receiver=receive_message)

    return html.div(
        f"Received: {message_data}",
        html.br(),
        "Send: ",
        html.input({"type": "text", "onKeyDown": send_message}),
    )
