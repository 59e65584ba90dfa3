"""The WebSocket consumer: one ReactPy layout per mounted component."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import MutableMapping
from enum import IntEnum
from typing import Any, cast
from urllib.parse import parse_qs
from uuid import UUID

import orjson
from channels.generic.websocket import AsyncWebsocketConsumer
from reactpy.backend.types import Location
from reactpy.core.hooks import ConnectionContext
from reactpy.core.layout import Layout
from reactpy.core.serve import serve_layout
from reactpy.core.types import ComponentType, LayoutEventMessage, LayoutUpdateMessage

from reactpy_django import cleaning
from reactpy_django._state import SCOPE_KEY, ConnectionState
from reactpy_django.arguments import ArgumentsRefused, load_arguments, touch_arguments
from reactpy_django.components import root_manager
from reactpy_django.conf import reactpy_settings
from reactpy_django.connection import new_connection
from reactpy_django.frames import FrameError, parse_event
from reactpy_django.registry import get_component

__all__ = ["CloseCode", "ReactpyAsyncWebsocketConsumer"]

logger: logging.Logger = logging.getLogger(__name__)

_QUEUE_LIMIT = 256
"""Events waiting for a handler slot; more are dropped (and logged)."""
_HANDLER_LIMIT = 256
"""Event handlers of one connection running at once (ReactPy starts each as its own task)."""
_LOGGED_DROPS = 10
"""Dropped frames logged one by one per connection; the total is logged when it closes."""


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
    """The component could not be built or its layout stopped; the browser reconnects."""


class ReactpyAsyncWebsocketConsumer(AsyncWebsocketConsumer):
    """Serves one `{% component %}` mount point over a WebSocket."""

    _layout_task: asyncio.Task[None] | None = None
    _state: ConnectionState | None = None
    _uuid: str = ""
    _dotted_path: str = ""
    _has_args: bool = False
    _max_frame: int = 0
    _drops: int = 0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        # Channels' base would open a layer channel per socket and hop to a thread for
        # close_old_connections() on every frame; this consumer needs neither.
        self.scope = scope
        self.base_send = send
        self._inbox: asyncio.Queue[LayoutEventMessage] = asyncio.Queue(_QUEUE_LIMIT)
        self._handler_slots = asyncio.Semaphore(_HANDLER_LIMIT)
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
        self._dotted_path = dotted_path = str(route.get("dotted_path", ""))
        self._max_frame = reactpy_settings().max_message_size
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
        except Exception:
            logger.exception("Could not build component %r.", dotted_path)
            await self._close(CloseCode.INTERNAL_ERROR, "component failed")
            return

        state = ConnectionState(root_id=self._uuid)
        self._state = state
        scope = cast("MutableMapping[str, Any]", self.scope)
        scope[SCOPE_KEY] = state
        connection = new_connection(scope, self._location(), self)
        layout = _BoundedLayout(
            ConnectionContext(root_manager(root, state), value=connection), self._handler_slots
        )
        self._layout_task = asyncio.get_running_loop().create_task(
            self._serve(layout), name=f"reactpy:{dotted_path}"
        )

    def _location(self) -> Location:
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        pathname = query.get("http_pathname", ["/"])[0][:2048]
        search = query.get("http_search", [""])[0][:8192]
        if not pathname.startswith("/"):
            pathname = "/"
        if search and not search.startswith("?"):
            search = "?" + search
        return Location(pathname=pathname, search=search)

    async def _serve(self, layout: Layout) -> None:
        try:
            await serve_layout(
                layout,  # pyright: ignore[reportArgumentType]  # reactpy's Layout.__aenter__ returns Layout, which pyright will not match to its own LayoutType protocol
                self._send_update,
                self._next_event,
            )
        except asyncio.CancelledError:
            raise
        except BaseException as error:
            for cause in _causes(error):
                logger.error(
                    "Component %r stopped: %s",
                    self._dotted_path,
                    cause,
                    exc_info=(type(cause), cause, cause.__traceback__),
                )
            # A closed socket lets the browser reconnect into a fresh layout.
            await self._close(CloseCode.INTERNAL_ERROR, "component stopped")

    async def _next_event(self) -> LayoutEventMessage:
        """The next event, once a handler slot is free (`_BoundedLayout` frees it)."""
        await self._handler_slots.acquire()
        try:
            return await self._inbox.get()
        except BaseException:
            self._handler_slots.release()
            raise

    async def _send_update(self, update: LayoutUpdateMessage) -> None:
        await self.send(text_data=orjson.dumps(update, default=str).decode())

    async def _close(self, code: CloseCode, reason: str) -> None:
        with contextlib.suppress(Exception):  # the peer may be gone already
            await self.close(int(code), reason)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        """Validate one frame and queue it for the layout; anything malformed is dropped."""
        raw = text_data if text_data is not None else bytes_data
        if raw is None or self._layout_task is None:
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
        try:
            self._inbox.put_nowait(event)
        except asyncio.QueueFull:
            self._dropped(
                "Dropped an event on WebSocket %s: %d events are already waiting.",
                self._uuid,
                _QUEUE_LIMIT,
            )

    def _dropped(self, message: str, *args: object) -> None:
        """Log the first `_LOGGED_DROPS` dropped frames; a flood is counted, not logged."""
        self._drops += 1
        if self._drops <= _LOGGED_DROPS:
            logger.warning(message, *args)

    async def disconnect(self, code: int) -> None:
        """The browser went away: stop the layout and every task of this connection."""
        await self._stop()

    async def _stop(self) -> None:
        if self._drops > _LOGGED_DROPS:
            logger.warning(
                "WebSocket %s dropped %d frames in all (only the first %d were logged).",
                self._uuid,
                self._drops,
                _LOGGED_DROPS,
            )
            self._drops = 0
        task, self._layout_task = self._layout_task, None
        state, self._state = self._state, None
        if task is not None:
            task.cancel()
            await asyncio.wait({task})
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


class _BoundedLayout(Layout):
    """A layout that frees its event's handler slot when the handler returns.

    ReactPy runs every event's handler as a task of its own without waiting for it, so a
    flood of events for a slow async handler would start one task per event; with the slots
    at most `_HANDLER_LIMIT` run, `_QUEUE_LIMIT` more wait and the rest are dropped.
    """

    __slots__ = ("_handler_slots",)

    def __init__(self, root: ComponentType, handler_slots: asyncio.Semaphore) -> None:
        super().__init__(root)
        self._handler_slots = handler_slots

    async def deliver(self, event: LayoutEventMessage) -> None:
        """Run the event's handler, then free its slot."""
        try:
            await super().deliver(event)
        finally:
            self._handler_slots.release()


def _causes(error: BaseException) -> list[BaseException]:
    """The real exceptions inside (possibly nested) exception groups."""
    inner: tuple[BaseException, ...] = getattr(error, "exceptions", ())
    if isinstance(error, BaseExceptionGroup) and inner:
        return [cause for exception in inner for cause in _causes(exception)]
    return [error]
