"""The raw-ASGI floor: a WebSocket echo written against the ASGI interface alone.

No Channels consumer, router, middleware or layer sits in front of it, so it costs what the
server (uvicorn or Daphne) and the ASGI calls themselves cost: the lowest a live component
served by this process could go. `bench.asgi` routes `RAW_ECHO_PATH` to it ahead of Channels.
"""

from __future__ import annotations

from asgiref.typing import ASGIReceiveCallable, ASGISendCallable, Scope

from bench.floors import GREETING

__all__ = ["RAW_ECHO_PATH", "raw_echo"]

RAW_ECHO_PATH = "/bench/raw-echo/"
"""The WebSocket path the raw echo answers on."""


async def raw_echo(scope: Scope, receive: ASGIReceiveCallable, send: ASGISendCallable) -> None:
    """Accept, greet with `GREETING`, then send every text frame back until the disconnect."""
    while True:
        message = await receive()
        if message["type"] == "websocket.connect":
            await send({"type": "websocket.accept", "subprotocol": None, "headers": []})
            await send({"type": "websocket.send", "bytes": None, "text": GREETING})
        elif message["type"] == "websocket.receive":
            text = message.get("text")
            if text is not None:
                await send({"type": "websocket.send", "bytes": None, "text": text})
        elif message["type"] == "websocket.disconnect":
            return
