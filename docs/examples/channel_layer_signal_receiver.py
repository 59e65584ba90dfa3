from reactpy import component, hooks, html
from reactpy.core.types import VdomDict

from reactpy_django.hooks import use_channel_layer
from reactpy_django.types import ChannelMessage


@component
def my_receiver_component() -> VdomDict:
    message, set_message = hooks.use_state("")

    async def receive_message(message: ChannelMessage) -> None:
        set_message(message["text"])

    # This is defined to receive any messages from both "my-channel-name" and "my-group-name".
    use_channel_layer(channel="my-channel-name", group="my-group-name", receiver=receive_message)

    return html.div(f"Message Receiver: {message}")
