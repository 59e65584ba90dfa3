"""Noticing that a Redis server behind a channel layer restarted or came back from an outage,
and pacing the retries of calls to a failing layer.

Redis keeps channel-layer groups in memory: a restart forgets every membership, and one
shorter than redis-py's retries raises nowhere. Whoever keeps group memberships asks each
server of the layer for its `run_id` every few seconds: a new one, or a server reachable
again, means every group must be joined again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from channels.layers import BaseChannelLayer

__all__ = ["RETRY_MAX", "WATCH_INTERVAL", "RestartWatch", "retry_delay"]

WATCH_INTERVAL = 2.0
"""Seconds between asking each Redis server whether it restarted."""

RETRY_FIRST = 0.5
"""Seconds before the first retry of a failing layer call."""

RETRY_MAX = 10.0
"""Seconds between retries at most."""


def retry_delay(failures: int) -> float:
    """Seconds to wait after `failures` failures in a row: doubling, up to `RETRY_MAX`."""
    return min(RETRY_FIRST * 2.0 ** (failures - 1), RETRY_MAX)


class RestartWatch:
    """The Redis servers of one channel layer, as last seen (a no-op for other layers)."""

    __slots__ = ("_connection", "_known", "_servers", "down")

    def __init__(self, layer: BaseChannelLayer) -> None:
        connection: object = getattr(layer, "connection", None)  # duck-typed: channels_redis
        self._connection: Callable[[int], Any] | None = connection if callable(connection) else None
        self._servers = int(getattr(layer, "ring_size", 1))
        self._known: dict[int, str] = {}
        self.down: set[int] = set()
        """The servers that did not answer the last poll."""

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
