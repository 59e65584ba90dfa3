from typing import Any

from reactpy import component, hooks, html
from reactpy.core.types import VdomDict

from reactpy_django.hooks import use_channel_layer
from reactpy_django.types import ChannelMessage


@component
def my_sender_component() -> VdomDict:
    sender = use_channel_layer(group="my-group-name")

    async def submit_event(event: dict[str, Any]) -> None:
        if event["key"] == "Enter":
            await sender({"text": event["target"]["value"]})

    return html.div(
        "Message Sender: ",
        html.input({"type": "text", "onKeyDown": submit_event}),
    )


@component
def my_receiver_component_1() -> VdomDict:
    message, set_message = hooks.use_state("")

    async def receive_message(message: ChannelMessage) -> None:
        set_message(message["text"])

    use_channel_layer(group="my-group-name", receiver=receive_message)

    return html.div(f"Message Receiver 1: {message}")


@component
def my_receiver_component_2() -> VdomDict:
    message, set_message = hooks.use_state("")

    async def receive_message(message: ChannelMessage) -> None:
        set_message(message["text"])

    use_channel_layer(group="my-group-name", receiver=receive_message)

    return html.div(f"Message Receiver 2: {message}")
