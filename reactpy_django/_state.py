"""Per-connection state shared by the hooks, kept in the connection's scope under one key."""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import Callable, Coroutine, MutableMapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["ConnectionState", "connection_state"]

logger: logging.Logger = logging.getLogger(__name__)

SCOPE_KEY = "reactpy"
_slots = itertools.count()


def _noop() -> None:
    """Before the root manager mounts (and while prerendering) a rerender has nothing to do."""


@dataclass(slots=True, eq=False)
class ConnectionState:
    """What one mounted root component shares between its hooks; gone with the connection."""

    root_id: str
    """The `{% component %}` tag's uuid4 string: stable across reconnects, new on a page reload."""
    live: bool = True
    """False while prerendering: nothing there outlives the HTTP request."""
    rerender: Callable[[], None] = _noop
    """Re-render the whole tree (installed by the hidden root manager)."""
    slot: int = field(default_factory=lambda: next(_slots))
    """Stable number for this connection: picks its query thread."""
    tasks: set[asyncio.Task[Any]] | None = None
    """Background work of this connection, cancelled when it closes (made with the first: an
    empty set would cost every idle session 216 bytes)."""
    extensions: dict[str, Any] = field(default_factory=dict)
    """Per-connection objects of other modules (auth sync, refetch subscriptions), by name."""
    closers: list[Callable[[], None]] = field(default_factory=list)
    """Called once the connection has closed (after its components unmounted)."""

    def spawn(self, coroutine: Coroutine[Any, Any, None], name: str) -> asyncio.Task[None] | None:
        """Run `coroutine` in the background until it ends or the connection closes."""
        if not self.live:
            coroutine.close()
            return None
        task = asyncio.get_running_loop().create_task(coroutine, name=name)
        if self.tasks is None:
            self.tasks = set()
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return task

    async def close(self) -> None:
        """Cancel and await every background task (the connection has closed)."""
        self.live = False
        tasks, self.tasks = self.tasks, None
        if tasks:
            for task in tasks:
                task.cancel()
            await asyncio.wait(tasks)
        closers, self.closers = self.closers, []
        for closer in closers:
            try:
                closer()
            except Exception:
                logger.exception("Cleaning up after a closed connection failed.")
        self.extensions.clear()
        self.rerender = _noop


def connection_state(scope: MutableMapping[str, Any]) -> ConnectionState:
    """The state of the connection whose scope this is."""
    state = scope.get(SCOPE_KEY)
    if not isinstance(state, ConnectionState):
        msg = (
            "This component is not mounted by reactpy_django: render it with "
            "{% component %} or reactpy_django.testing."
        )
        raise RuntimeError(msg)
    return state
