"""Noticing that a Redis server behind a channel layer restarted or came back from an outage,
pacing the retries of calls to a failing layer, and the differences of channels_redis'
pub/sub layer.

Redis keeps channel-layer groups in memory: a restart forgets every membership, and one
shorter than redis-py's retries raises nowhere. Whoever keeps group memberships asks each
server of the layer for its `run_id` every few seconds: a new one, or a server reachable
again, means every group must be joined again.

channels_redis has two layers. `RedisChannelLayer` keeps groups as Redis keys (the watch above
applies). `RedisPubSubChannelLayer` keeps them as subscriptions of this process's pub/sub
connection, which redis-py subscribes again itself when it reconnects; it has no `connection()`
to watch and no group expiry, and it builds a layer per event loop on attribute access (so it
is inspected here with `inspect.getattr_static`, which never triggers that).
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import inspect
from collections.abc import Callable, Mapping
from typing import Any

from channels.layers import BaseChannelLayer

__all__ = [
    "RETRY_MAX",
    "WATCH_INTERVAL",
    "RestartWatch",
    "forget_unsubscribed",
    "is_pubsub",
    "retry_delay",
    "watchable",
]

_PUBSUB_LAYER = "channels_redis.pubsub.RedisPubSubChannelLayer"

WATCH_INTERVAL = 2.0
"""Seconds between asking each Redis server whether it restarted."""

RETRY_FIRST = 0.5
"""Seconds before the first retry of a failing layer call."""

RETRY_MAX = 10.0
"""Seconds between retries at most."""


def retry_delay(failures: int) -> float:
    """Seconds to wait after `failures` failures in a row: doubling, up to `RETRY_MAX`."""
    return min(RETRY_FIRST * 2.0 ** (failures - 1), RETRY_MAX)


def is_pubsub(layer: object) -> bool:
    """Whether `layer` is channels_redis' `RedisPubSubChannelLayer` (or a subclass): matched by
    name, since channels_redis is an optional dependency."""
    return any(
        f"{kind.__module__}.{kind.__qualname__}" == _PUBSUB_LAYER for kind in type(layer).__mro__
    )


def watchable(layer: object) -> bool:
    """Whether `layer` has Redis servers whose restarts `RestartWatch` can notice (channels_redis'
    `RedisChannelLayer`: its groups are Redis keys that a restart empties)."""
    return callable(inspect.getattr_static(type(layer), "connection", None))


def forget_unsubscribed(layer: object, name: str) -> None:
    """After a failed `receive(name)` on the pub/sub layer, drop the channel's empty queue: that
    layer registers the queue before subscribing and, the subscription having failed, would
    wait on it forever; without it the next `receive` subscribes again."""
    if not is_pubsub(layer):
        return
    # Its layer for this event loop keeps channel name -> asyncio.Queue (untyped).
    channels: dict[str, object] | None = getattr(layer, "channels", None)
    if channels is not None:
        queue = channels.get(name)
        if isinstance(queue, asyncio.Queue) and queue.empty():
            channels.pop(name, None)


class RestartWatch:
    """The Redis servers of one channel layer, as last seen (a no-op for other layers).

    RedisChannelLayer's servers are asked through its own `connection(index)`. The pub/sub
    layer has none: the watch opens a client per host of its `CHANNEL_LAYERS` entry (`alias`,
    else the entry `layer` was built for), closed by `aclose()`.
    """

    __slots__ = ("_clients", "_connection", "_known", "_servers", "down")

    def __init__(self, layer: BaseChannelLayer, alias: str | None = None) -> None:
        self._clients: list[Any] = []  # redis.asyncio.Redis, made by untyped channels_redis
        connection: object = None
        servers: object = 1
        if watchable(layer):
            connection = getattr(layer, "connection", None)
            servers = inspect.getattr_static(layer, "ring_size", 1)
        elif is_pubsub(layer):
            self._clients = _pubsub_clients(layer, alias)
            connection = self._clients.__getitem__ if self._clients else None
            servers = len(self._clients)
        self._connection: Callable[[int], Any] | None = connection if callable(connection) else None
        self._servers = servers if isinstance(servers, int) else 1
        self._known: dict[int, str] = {}
        self.down: set[int] = set()
        """The servers that did not answer the last poll."""

    async def aclose(self) -> None:
        """Close the clients the watch opened itself (the pub/sub layer's)."""
        clients, self._clients = self._clients, []
        self._connection = None
        for client in clients:
            with contextlib.suppress(Exception):
                await client.aclose(close_connection_pool=True)

    @property
    def enabled(self) -> bool:
        """Whether the layer has Redis servers to watch."""
        return self._connection is not None

    async def poll(self) -> tuple[list[tuple[int, Exception]], bool]:
        """Ask every server; returns the servers that just became unreachable (with why), and
        whether any restarted or came back since the last poll."""
        lost: list[tuple[int, Exception]] = []
        back = False
        if self._connection is None:
            return lost, back
        for index in range(self._servers):
            try:
                info: Mapping[str, object] = await self._connection(index).info("server")
            except Exception as error:
                if index not in self.down:
                    self.down.add(index)
                    lost.append((index, error))
                continue
            run_id = str(info.get("run_id", ""))
            if index in self.down or self._known.get(index, run_id) != run_id:
                self.down.discard(index)
                back = True
            self._known[index] = run_id
        return lost, back


def _pubsub_clients(layer: BaseChannelLayer, alias: str | None) -> list[Any]:
    """A Redis client per host of the pub/sub layer's `CHANNEL_LAYERS` entry, made as the layer
    makes its own (channels_redis' `decode_hosts` and `create_pool`); none if the entry is
    not found (a layer built outside `channel_layers`)."""
    from channels.layers import channel_layers
    from redis.asyncio import Redis

    if alias is None:
        found = [name for name, built in channel_layers.backends.items() if built is layer]
        alias = found[0] if found else None
    if alias is None or alias not in channel_layers.configs:
        return []
    config: Mapping[str, object] = channel_layers.configs[alias].get("CONFIG") or {}
    hosts = config.get("hosts")
    utils = importlib.import_module("channels_redis.utils")  # untyped, optional dependency
    return [Redis(connection_pool=utils.create_pool(host)) for host in utils.decode_hosts(hosts)]
