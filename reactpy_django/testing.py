"""Mount a component over the real consumer, in-process, and read and click what it renders.

    from reactpy_django.testing import mount

    async def test_counter() -> None:
        async with mount("myapp.components.counter", start=1) as page:
            await page.wait_for_text("Count: 1")
            await page.click(text="+1")
            await page.wait_for_text("Count: 2")

The WebSocket goes through Channels' `AuthMiddlewareStack` with a real session cookie, the
component's arguments are stored and loaded as for a rendered page, and the tree is kept up to
date from the consumer's `layout-update` frames. No browser is needed.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncGenerator, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any
from urllib.parse import quote, urlsplit
from uuid import uuid4

import orjson
from asgiref.sync import sync_to_async
from channels.auth import AuthMiddlewareStack
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.sessions.backends.base import SessionBase

from reactpy_django._json import is_array, is_object
from reactpy_django.arguments import save_arguments
from reactpy_django.registry import ComponentConstructor, register_component
from reactpy_django.routing import REACTPY_WEBSOCKET_ROUTE, websocket_path

__all__ = ["Element", "MountedComponent", "mount", "new_session"]

DEFAULT_TIMEOUT = 5.0
"""Seconds every `wait_for...` waits before failing."""

_FOREVER = 86400.0  # asgiref cancels the application when a receive times out


@dataclass(frozen=True, slots=True)
class Element:
    """One rendered element: its tag, attributes, text and event handler targets."""

    tag: str
    """The HTML tag name, e.g. `"button"`."""
    attributes: Mapping[str, Any]
    """The element's attributes as the component set them."""
    text: str
    """All text inside the element, concatenated."""
    handlers: Mapping[str, str] = field(repr=False)
    """Event name (as the component wrote it, e.g. `"onClick"`) to handler target id."""
    children: tuple[Element, ...] = field(repr=False, default=())
    """Child elements (fragments flattened)."""


def _children(node: dict[str, Any]) -> list[Any]:
    children = node.get("children", [])
    return children if is_array(children) else []


def _text(node: object) -> str:
    if isinstance(node, str):
        return node
    if is_object(node):
        return "".join(_text(child) for child in _children(node))
    return ""


def _elements(node: object) -> Iterator[Element]:
    """Every element in document order; fragments (tag "") are not elements."""
    if not is_object(node):
        return
    if node.get("tagName"):
        yield _element(node)
    for child in _children(node):
        yield from _elements(child)


def _element(node: dict[str, Any]) -> Element:
    kids: list[Element] = []

    def collect(child: object) -> None:
        if is_object(child):
            if child.get("tagName"):
                kids.append(_element(child))
            else:
                for grandchild in _children(child):
                    collect(grandchild)

    for child in _children(node):
        collect(child)
    handlers: dict[str, str] = {}
    specs = node.get("eventHandlers", {})
    if is_object(specs):
        for name, spec in specs.items():
            if is_object(spec):
                handlers[name] = str(spec.get("target"))
    attributes = node.get("attributes", {})
    return Element(
        tag=str(node["tagName"]),
        attributes=dict(attributes) if is_object(attributes) else {},
        text=_text(node),
        handlers=handlers,
        children=tuple(kids),
    )


def _child_at(node: object, token: str) -> object:
    if is_array(node):
        return node[int(token)]
    if is_object(node):
        return node[token]
    msg = f"Update path goes through a {type(node).__name__}"
    raise LookupError(msg)


def _set_pointer(root: dict[str, Any], path: str, value: object) -> dict[str, Any]:
    """Apply a layout update: replace the node at JSON Pointer `path` with `value`."""
    if path == "":
        return dict(value) if is_object(value) else {}
    tokens = [token.replace("~1", "/").replace("~0", "~") for token in path.split("/")[1:]]
    node: object = root
    for token in tokens[:-1]:
        node = _child_at(node, token)
    last = tokens[-1]
    if is_array(node):
        index = int(last)
        if index == len(node):
            node.append(value)
        else:
            node[index] = value
    elif is_object(node):
        node[last] = value
    return root


def _normalize_event_name(name: str) -> str:
    """`on_click` and `onClick` name the same handler (the browser client maps both)."""
    if "_" in name:
        first, *rest = name.split("_")
        return first + "".join(part.title() for part in rest)
    return name


class MountedComponent:
    """A component mounted over a real WebSocket consumer; see `mount`."""

    def __init__(self, communicator: WebsocketCommunicator, session: SessionBase) -> None:
        self._communicator = communicator
        self.session = session
        """The browser session this connection carries (its cookie)."""
        self.model: dict[str, Any] = {}
        """The whole VDOM tree as the browser would hold it."""
        self.close_code: int | None = None
        """The close code, once the server closed the WebSocket."""
        self.updates: int = 0
        """How many `layout-update` frames arrived."""
        self.crash: Exception | None = None
        """The exception the consumer crashed with, if it did (it never should)."""
        self._changed = asyncio.Condition()
        self._reader: asyncio.Task[None] | None = None

    async def _read(self) -> None:
        while True:
            try:
                output = await self._communicator.receive_output(timeout=_FOREVER)
            except Exception as error:  # the application itself crashed
                self.crash = error
                output = {"type": "websocket.close", "code": 1006}
            if output["type"] == "websocket.close":
                self.close_code = int(output.get("code", 1000))
            elif output["type"] == "websocket.send":
                text, data = output.get("text"), output.get("bytes")
                raw = text if isinstance(text, str) else data if isinstance(data, bytes) else "{}"
                frame: object = orjson.loads(raw)
                if is_object(frame) and frame.get("type") == "layout-update":
                    self.model = _set_pointer(self.model, str(frame["path"]), frame["model"])
                    self.updates += 1
            async with self._changed:
                self._changed.notify_all()
            if self.close_code is not None:
                return

    @property
    def text(self) -> str:
        """All text currently rendered."""
        return _text(self.model)

    def find_all(
        self, tag: str | None = None, *, text: str | None = None, id: str | None = None
    ) -> list[Element]:
        """Elements matching every given filter: tag name, contained text, `id` attribute."""
        return [
            element
            for element in _elements(self.model)
            if (tag is None or element.tag == tag)
            and (text is None or text in element.text)
            and (id is None or element.attributes.get("id") == id)
        ]

    def find(
        self, tag: str | None = None, *, text: str | None = None, id: str | None = None
    ) -> Element:
        """The innermost (last in document order) element matching the filters."""
        found = self.find_all(tag, text=text, id=id)
        if not found:
            msg = f"No element with tag={tag!r} text={text!r} id={id!r} in: {self.text!r}"
            raise LookupError(msg)
        return found[-1]

    async def wait_for(
        self, condition: Callable[[], bool], timeout: float = DEFAULT_TIMEOUT
    ) -> None:
        """Wait until `condition()` is true, re-checked after every frame."""
        deadline = time.monotonic() + timeout
        async with self._changed:
            while not condition():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    msg = f"Condition not met within {timeout}s; rendered text: {self.text!r}"
                    raise TimeoutError(msg)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), remaining)

    async def wait_for_text(self, text: str, timeout: float = DEFAULT_TIMEOUT) -> None:
        """Wait until `text` appears anywhere in the rendered tree."""
        await self.wait_for(lambda: text in self.text, timeout)

    async def wait_for_close(self, timeout: float = DEFAULT_TIMEOUT) -> int:
        """Wait until the server closes the WebSocket; returns the close code."""
        await self.wait_for(lambda: self.close_code is not None, timeout)
        assert self.close_code is not None
        return self.close_code

    async def send_raw(self, frame: str | bytes) -> None:
        """Send a raw frame, as a misbehaving client would."""
        if isinstance(frame, bytes):
            await self._communicator.send_to(bytes_data=frame)
        else:
            await self._communicator.send_to(text_data=frame)

    async def fire(self, element: Element, event: str, *data: Any) -> None:
        """Call the element's handler for `event` (`"onClick"` or `"on_click"`) with `data`."""
        wanted = _normalize_event_name(event)
        for name, target in element.handlers.items():
            if _normalize_event_name(name) == wanted:
                frame = {"type": "layout-event", "target": target, "data": list(data)}
                await self.send_raw(orjson.dumps(frame).decode())
                return
        msg = f"<{element.tag}> has no {event} handler (it has {sorted(element.handlers)})."
        raise LookupError(msg)

    async def click(
        self, tag: str | None = None, *, text: str | None = None, id: str | None = None
    ) -> None:
        """Click the element matching the filters (the event carries a minimal target)."""
        element = self.find(tag, text=text, id=id)
        await self.fire(element, "onClick", {"type": "click", "target": {"tagName": element.tag}})

    async def type_text(
        self, value: str, *, id: str | None = None, key: str = "Enter", event: str = "onKeyDown"
    ) -> None:
        """Send a key event to an input as if `value` was typed and `key` pressed."""
        element = self.find("input", id=id)
        payload = {"type": "keydown", "key": key, "target": {"tagName": "INPUT", "value": value}}
        await self.fire(element, event, payload)


def _session_store() -> SessionBase:
    store_class: type[SessionBase] = import_module(settings.SESSION_ENGINE).SessionStore
    return store_class()


def _new_session_sync(user: AbstractBaseUser | None) -> SessionBase:
    session = _session_store()
    if user is not None:
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session["_reactpy"] = True
    session.save()
    return session


async def new_session(user: AbstractBaseUser | None = None) -> SessionBase:
    """A saved session (logged in as `user`, if given), as a browser cookie would carry."""
    return await sync_to_async(_new_session_sync)(user)


@contextlib.asynccontextmanager
async def mount(
    component: str | ComponentConstructor,
    *args: Any,
    user: AbstractBaseUser | None = None,
    session: SessionBase | None = None,
    url: str = "/",
    origin: str | None = "http://testserver",
    root_id: str | None = None,
    connect: bool = True,
    **kwargs: Any,
) -> AsyncGenerator[MountedComponent]:
    """Mount `component` (dotted path or the component) with `args`/`kwargs`.

    `user` logs the connection's session in; `session` reuses a browser session (e.g. a second
    tab); `url` is the page URL `use_location` reports; `root_id` reuses a page's id (a
    reconnect). The first render has arrived when the block starts (unless the server refused,
    which `close_code` then says). Leaving the block disconnects.
    """
    path = register_component(component)
    if session is None:
        session = await new_session(user)
    uuid = root_id or str(uuid4())
    has_args = bool(args or kwargs)
    if has_args and root_id is None:
        await sync_to_async(save_arguments)(uuid, path, str(session.session_key), args, kwargs)
    page = urlsplit(url)
    query = f"http_pathname={quote(page.path or '/', safe='')}"
    if page.query:
        query += f"&http_search={quote('?' + page.query, safe='')}"
    headers = [(b"cookie", f"{settings.SESSION_COOKIE_NAME}={session.session_key}".encode())]
    if origin is not None:
        headers.append((b"origin", origin.encode()))
    application = AuthMiddlewareStack(URLRouter([REACTPY_WEBSOCKET_ROUTE]))
    communicator = WebsocketCommunicator(
        application, f"{websocket_path(path, uuid, has_args)}?{query}", headers=headers
    )
    mounted = MountedComponent(communicator, session)
    connected, _ = await communicator.connect(timeout=DEFAULT_TIMEOUT)
    if not connected:
        msg = "The consumer refused the WebSocket handshake."
        raise RuntimeError(msg)
    mounted._reader = asyncio.get_running_loop().create_task(mounted._read())
    try:
        if connect:
            await mounted.wait_for(lambda: mounted.updates > 0 or mounted.close_code is not None)
        yield mounted
    finally:
        mounted._reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await mounted._reader
        await communicator.disconnect()
