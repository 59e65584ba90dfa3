"""The WebSocket consumer: one ReactPy layout per mounted component."""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
from collections.abc import MutableMapping
from enum import IntEnum
from typing import Any, cast
from urllib.parse import parse_qs
from uuid import UUID

import orjson
from channels.generic.websocket import AsyncWebsocketConsumer
from reactpy.backend.types import Location
from reactpy.core.layout import Layout
from reactpy.core.types import LayoutEventMessage, LayoutUpdateMessage

from reactpy_django import _patches, cleaning
from reactpy_django._connection import new_connection
from reactpy_django._debug import debug_mode
from reactpy_django._gc import raise_gc_threshold
from reactpy_django._patches import renders_waiting, sync_runner
from reactpy_django._root import ConnectionRoot, mount_error
from reactpy_django._state import SCOPE_KEY, ConnectionState
from reactpy_django.arguments import ArgumentsRefused, load_arguments, touch_arguments
from reactpy_django.conf import reactpy_settings
from reactpy_django.frames import FrameError, parse_event
from reactpy_django.registry import get_component

__all__ = ["CloseCode", "ReactpyAsyncWebsocketConsumer"]

logger: logging.Logger = logging.getLogger(__name__)
_layout_logger = logging.getLogger("reactpy.core.layout")  # where ReactPy logs handler errors

_QUEUE_LIMIT = 256
"""Events waiting for a handler slot; more are dropped (and logged)."""
_HANDLER_LIMIT = 256
"""Event handlers of one connection running at once (each runs as its own task)."""
_LOGGED_DROPS = 10
"""Dropped frames logged one by one per connection; the total is logged when it closes."""


def _run_in_place(layout: Layout, event: LayoutEventMessage) -> bool:
    """Run the event's handler now if it is a plain (sync) function: no task, no loop turn.

    Only while no handler task of the connection is running, so events still take effect in
    the order they came. `False`: the handler needs a task (async, or unknown to the layout).
    """
    handler = layout._event_handlers.get(event["target"])
    run = None if handler is None else sync_runner(handler.function)
    if run is None:
        return False
    try:
        run(event["data"])
    except Exception:
        _layout_logger.exception("Failed to execute event handler %s", handler)  # ReactPy's line
    return True


class CloseCode(IntEnum):
    """WebSocket close codes this consumer sends.

    The browser client never retries 4000-4099 (the server refused this mount; a retry
    would be refused again) and retries every other code with backoff.
    """

    BAD_REQUEST = 4000
    """The mount URL is malformed (its root id is not a uuid)."""
    ARGUMENTS_REFUSED = 4003
    """The arguments are unknown, expired, or stored for another browser session."""
    UNKNOWN_COMPONENT = 4004
    """No template rendered this dotted path and the site did not register it."""
    INTERNAL_ERROR = 1011
    """The component could not be built or its layout stopped; the browser reconnects.

    In ReactPy's debug mode (Django's `DEBUG`) a component that cannot be built is shown
    as `<pre>ExceptionName: message</pre>` instead, on a socket that stays open.
    """


class ReactpyAsyncWebsocketConsumer(AsyncWebsocketConsumer):
    """Serves one `{% component %}` mount point over a WebSocket."""

    _layout: Layout | None = None
    """The entered layout, from the mount until the connection closes."""
    _live: Layout | None = None
    """The layout while it is entered and serving: events are delivered to it."""
    _renderer: asyncio.Task[None] | None = None
    """The task rendering and sending updates, while a component waits to render."""
    _context: contextvars.Context | None = None
    """The connection's context, in which every render runs (as in one long-lived task)."""
    _handlers: set[asyncio.Task[None]] | None = None
    """The event handlers running in tasks of their own (made with the first)."""
    _state: ConnectionState | None = None
    _uuid: str = ""
    dotted_path: str = ""
    """The mounted component's dotted path, from the WebSocket URL (as in reactpy-django:
    `use_connection().carrier.dotted_path`); set as the socket connects."""
    _has_args: bool = False
    _max_frame: int = 0
    _drops: int = 0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        # Channels' base would open a layer channel per socket and hop to a thread for
        # close_old_connections() on every frame; this consumer needs neither.
        self.scope = scope
        self.base_send = send
        # A list, not a deque: it holds at most _QUEUE_LIMIT events and an empty list is a
        # seventh of an empty deque's size, kept by every idle session.
        self._waiting: list[LayoutEventMessage] = []
        try:
            while True:
                message = await receive()
                kind = message["type"]
                if kind == "websocket.receive":
                    await self.receive(message.get("text"), message.get("bytes"))
                elif kind == "websocket.connect":
                    await self.connect()
                elif kind == "websocket.disconnect":
                    await self.disconnect(int(message.get("code", 1000)))
                    return
        finally:
            await self._stop()

    async def connect(self) -> None:
        """Accept, then mount the component the URL names, or close with a `CloseCode`."""
        url_route = self.scope.get("url_route")
        route: dict[str, Any] = url_route["kwargs"] if url_route else {}
        self.dotted_path = dotted_path = str(route.get("dotted_path", ""))
        self._max_frame = reactpy_settings().max_message_size
        raise_gc_threshold()
        await self.accept()
        try:
            self._uuid = str(UUID(str(route.get("uuid", ""))))
        except ValueError:
            logger.warning("Refused WebSocket for %r: its root id is not a uuid.", dotted_path)
            await self._close(CloseCode.BAD_REQUEST, "bad root id")
            return
        constructor = get_component(dotted_path)
        if constructor is None:
            logger.warning(
                "Refused WebSocket for %r: no template rendered it and it is not registered "
                "(reactpy_django.register_component).",
                dotted_path,
            )
            await self._close(CloseCode.UNKNOWN_COMPONENT, "unknown component")
            return
        args: tuple[Any, ...] = ()
        kwargs: dict[str, Any] = {}
        try:
            if route.get("has_args"):
                self._has_args = True
                session = self.scope.get("session")
                session_key = str(getattr(session, "session_key", None) or "")
                args, kwargs = await load_arguments(self._uuid, dotted_path, session_key)
            root = constructor(*args, **kwargs)
        except ArgumentsRefused as refused:
            self._has_args = False  # nothing of ours to keep alive
            logger.warning("Refused WebSocket for %r: %s", dotted_path, refused)
            await self._close(CloseCode.ARGUMENTS_REFUSED, "arguments refused")
            return
        except Exception as error:
            logger.exception("Could not build component %r.", dotted_path)
            if not debug_mode():
                await self._close(CloseCode.INTERNAL_ERROR, "component failed")
                return
            # Debug mode: show the error where the component would be; no retry loop.
            root = mount_error(f"{type(error).__name__}: {error}")

        state = ConnectionState(root_id=self._uuid)
        self._state = state
        # Channels types the scope as a closed TypedDict; hooks keep their state in it.
        scope = cast("MutableMapping[str, Any]", self.scope)
        scope[SCOPE_KEY] = state
        connection = new_connection(scope, self._location(), self)
        layout = Layout(ConnectionRoot(root, state, scope, connection))
        self._context = contextvars.copy_context()
        await layout.__aenter__()  # queues the root's first render; `_stop` exits it
        self._layout = self._live = layout
        _patches.render_on_demand(layout, self._wake)
        self._wake()
        self._deliver_waiting()

    def _location(self) -> Location:
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        pathname = query.get("http_pathname", ["/"])[0][:2048]
        search = query.get("http_search", [""])[0][:8192]
        if not pathname.startswith("/"):
            pathname = "/"
        if search and not search.startswith("?"):
            search = "?" + search
        return Location(pathname=pathname, search=search)

    def _wake(self) -> None:
        """A component asked to render: start a render task unless one is running.

        Plain asyncio rather than ReactPy's anyio `serve_layout`, and no task waiting for
        renders: the task ends once nothing waits to render, so an idle session holds no task,
        coroutine frames or hook stack of its own (`_patches.render_on_demand`).
        """
        layout = self._layout
        if self._renderer is None and layout is not None:
            self._renderer = asyncio.get_running_loop().create_task(
                self._render(layout), name=f"reactpy:{self.dotted_path}", context=self._context
            )

    async def _render(self, layout: Layout) -> None:
        """Render and send updates while components wait to render (one render at a time)."""
        try:
            while renders_waiting(layout):
                await self._send_update(await layout.render())
        except asyncio.CancelledError:
            raise
        except Exception as error:
            self._live = None  # events no longer reach it; `_stop` unmounts it
            logger.error("Component %r stopped: %s", self.dotted_path, error, exc_info=error)
            # A closed socket lets the browser reconnect into a fresh layout.
            await self._close(CloseCode.INTERNAL_ERROR, "component stopped")
        finally:
            if self._renderer is asyncio.current_task():
                self._renderer = None

    def _deliver_waiting(self) -> None:
        """Start a handler task for each waiting event while fewer than `_HANDLER_LIMIT` run.

        Handlers run concurrently, so a slow one does not hold back later events; each
        finished handler starts the next waiting event.
        """
        layout = self._live
        if layout is None:
            return
        loop = asyncio.get_running_loop()
        while self._waiting and (self._handlers is None or len(self._handlers) < _HANDLER_LIMIT):
            event = self._waiting.pop(0)
            if not self._handlers and _run_in_place(layout, event):
                continue
            task = loop.create_task(layout.deliver(event))
            if self._handlers is None:
                self._handlers = set()
            self._handlers.add(task)
            task.add_done_callback(self._handler_done)

    def _handler_done(self, task: asyncio.Task[None]) -> None:
        if self._handlers is not None:
            self._handlers.discard(task)
        if self._waiting:
            self._deliver_waiting()

    async def _send_update(self, update: LayoutUpdateMessage) -> None:
        await self.send(text_data=orjson.dumps(update, default=str).decode())

    async def _close(self, code: CloseCode, reason: str) -> None:
        with contextlib.suppress(Exception):  # the peer may be gone already
            await self.close(int(code), reason)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        """Validate one frame and queue it for the layout; anything malformed is dropped."""
        raw = text_data if text_data is not None else bytes_data
        if raw is None or self._layout is None:
            return
        size = len(raw)
        if isinstance(raw, str) and size * 4 > self._max_frame:  # UTF-8: up to 4 bytes a char
            size = len(raw.encode("utf-8", "surrogatepass"))
        if size > self._max_frame:
            self._dropped(
                "Dropped a %d-byte frame on WebSocket %s: REACTPY_MAX_MESSAGE_SIZE is %d.",
                size,
                self._uuid,
                self._max_frame,
            )
            return
        try:
            event = parse_event(raw)
        except FrameError as error:
            # The text, not the exception: a buffering log handler would keep its traceback,
            # and with it this whole connection, alive.
            self._dropped("Dropped a frame on WebSocket %s: %s", self._uuid, str(error))
            return
        if len(self._waiting) >= _QUEUE_LIMIT:
            self._dropped(
                "Dropped an event on WebSocket %s: %d events are already waiting.",
                self._uuid,
                _QUEUE_LIMIT,
            )
            return
        self._waiting.append(event)
        self._deliver_waiting()

    def _dropped(self, message: str, *args: object) -> None:
        """Log the first `_LOGGED_DROPS` dropped frames; a flood is counted, not logged."""
        self._drops += 1
        if self._drops <= _LOGGED_DROPS:
            logger.warning(message, *args)

    async def disconnect(self, code: int) -> None:
        """The browser went away: stop the layout and every task of this connection."""
        await self._stop()

    async def _unmount(self, layout: Layout) -> None:
        """Cancel the running handlers, then exit the layout: its components unmount and their
        effects clean up."""
        self._waiting.clear()
        handlers, self._handlers = self._handlers, None
        if handlers:
            for handler in handlers:
                handler.cancel()
            await asyncio.wait(handlers)
        try:
            await layout.__aexit__(None, None, None)
        except Exception:
            logger.exception("Unmounting the components of WebSocket %s failed.", self._uuid)

    async def _stop(self) -> None:
        if self._drops > _LOGGED_DROPS:
            logger.warning(
                "WebSocket %s dropped %d frames in all (only the first %d were logged).",
                self._uuid,
                self._drops,
                _LOGGED_DROPS,
            )
            self._drops = 0
        layout, self._layout = self._layout, None  # no render task starts after this
        self._live = None
        renderer, self._renderer = self._renderer, None
        state, self._state = self._state, None
        if renderer is not None:
            renderer.cancel()
            await asyncio.wait({renderer})
        if layout is not None:
            await self._unmount(layout)
        if state is not None:
            await state.close()
            self.scope.pop(SCOPE_KEY, None)  # type: ignore[misc]  # channels' scope is a TypedDict
            try:
                if self._has_args:
                    self._has_args = False
                    await touch_arguments(self._uuid)
                await cleaning.clean_if_due()
            except Exception:
                logger.exception("Bookkeeping after WebSocket %s closed failed.", self._uuid)
