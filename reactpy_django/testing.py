"""Mount a component over the real consumer, in-process, and read and click what it renders.

    from reactpy_django.testing import mount

    async def test_counter() -> None:
        async with mount("myapp.components.counter", start=1) as page:
            assert page.find(id="count").text == "Count: 1"
            await page.click(text="+1")
            await page.wait_for_text("Count: 2")

The WebSocket goes through Channels' `AuthMiddlewareStack` with a real session cookie, the
component's arguments are stored and loaded as for a rendered page, and the tree is kept up to
date from the consumer's `layout-update` frames. No browser and no server are needed; the
database is (use `pytest.mark.django_db(transaction=True)`).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncGenerator, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any, cast
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

from reactpy_django._html import vdom_to_html
from reactpy_django._json import is_array, is_object
from reactpy_django.arguments import save_arguments
from reactpy_django.registry import ComponentConstructor, register_component
from reactpy_django.routing import REACTPY_WEBSOCKET_ROUTE, websocket_path

__all__ = ["DEFAULT_TIMEOUT", "Element", "MountedComponent", "connect", "mount", "new_session"]

DEFAULT_TIMEOUT = 5.0
"""Seconds `mount` and every `wait_for...` wait before failing."""

_DEFAULT_ORIGIN = "http://testserver"


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
        error = node.get("error")
        if error:  # ReactPy's debug mode: the browser shows it in a <pre>
            return str(error)
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


def _describe(tag: str | None, text: str | None, id: str | None) -> str:
    wanted = [f"tag={tag!r}"] if tag is not None else []
    wanted += [f"text={text!r}"] if text is not None else []
    wanted += [f"id={id!r}"] if id is not None else []
    return ", ".join(wanted) or "any element"


class MountedComponent:
    """A component mounted over a real WebSocket consumer; see `mount` and `connect`.

    `text`, `html`, `find` and `find_all` read the tree as the browser would hold it now;
    `click`, `type_text`, `change` and `fire` send events the way the browser client does;
    the `wait_for...` methods wait (with a timeout) for the server's next frames.
    """

    def __init__(
        self,
        communicator: WebsocketCommunicator,
        session: SessionBase | None,
        path: str,
        url: str,
        origin: str | None,
    ) -> None:
        self._communicator = communicator
        self.session: SessionBase | None = session
        """The browser session whose cookie this WebSocket carries (`None`: no cookie)."""
        self.path: str = path
        """The WebSocket path, as a page's `{% component %}` config names it."""
        self.url: str = url
        """The page URL the WebSocket reported (what `use_location` sees)."""
        self.origin: str | None = origin
        """The `Origin` header the WebSocket sent (what `use_origin` sees)."""
        self.model: dict[str, Any] = {}
        """The whole VDOM tree as the browser would hold it."""
        self.close_code: int | None = None
        """The close code, once the server closed the WebSocket (`CloseCode` in the consumer)."""
        self.updates: int = 0
        """How many `layout-update` frames arrived."""
        self.crash: BaseException | None = None
        """The exception the consumer crashed with, if it did (leaving the block re-raises it)."""
        self._changed = asyncio.Condition()
        self._reader: asyncio.Task[None] | None = None
        self._disconnected = False

    def __repr__(self) -> str:
        state = "open" if self.close_code is None else f"closed {self.close_code}"
        return f"<MountedComponent {self.path} ({state}): {self.text[:60]!r}>"

    @property
    def root_id(self) -> str:
        """The root id `use_root_id` returns: the uuid in the WebSocket path."""
        return self.path.rstrip("/").split("/")[-2]

    @property
    def text(self) -> str:
        """All text currently rendered."""
        return _text(self.model)

    @property
    def html(self) -> str:
        """The rendered tree as HTML (as prerendering would write it; handlers left out)."""
        return vdom_to_html(self.model)

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
        """The innermost (last in document order) element matching the filters.

        Raises `LookupError`, naming what is rendered, when nothing matches.
        """
        found = self.find_all(tag, text=text, id=id)
        if not found:
            msg = f"No element with {_describe(tag, text, id)}; rendered text: {self.text!r}"
            raise LookupError(msg)
        return found[-1]

    async def _next_output(self) -> dict[str, Any]:
        """The application's next message; raises what it crashed with, if it did."""
        # asgiref leaves both untyped: its queue holds ASGI messages, its task is the app.
        queue = cast("asyncio.Queue[dict[str, Any]]", self._communicator.output_queue)
        application = cast("asyncio.Task[None]", self._communicator.future)
        if queue.empty() and not application.done():
            getter = asyncio.ensure_future(queue.get())
            try:
                await asyncio.wait({getter, application}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                if not getter.done():
                    getter.cancel()
            if getter.done() and not getter.cancelled():
                return getter.result()
        if not queue.empty():
            return queue.get_nowait()
        if not application.cancelled() and application.exception() is not None:
            application.result()  # raises it
        return {"type": "websocket.close", "code": 1006}  # ended without closing

    async def _read(self) -> None:
        while True:
            try:
                output = await self._next_output()
            except asyncio.CancelledError:
                raise
            except BaseException as error:  # the application itself crashed
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

    async def wait_for(
        self,
        condition: Callable[[], bool],
        timeout: float = DEFAULT_TIMEOUT,
        *,
        closed_ok: bool = False,
    ) -> None:
        """Wait until `condition()` is true; it is checked again after every frame.

        Fails at once (`AssertionError`) if the server closes the WebSocket first, unless
        `closed_ok`; fails with `TimeoutError` after `timeout` seconds. Both messages show
        the rendered text.
        """
        deadline = time.monotonic() + timeout
        async with self._changed:
            while not condition():
                if self.close_code is not None and not closed_ok:
                    msg = (
                        f"The server closed the WebSocket (code {self.close_code}) first; "
                        f"rendered text: {self.text!r}"
                    )
                    raise AssertionError(msg) from self.crash
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    msg = f"Not true within {timeout}s; rendered text: {self.text!r}"
                    raise TimeoutError(msg)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), remaining)

    async def wait_for_text(self, text: str, timeout: float = DEFAULT_TIMEOUT) -> None:
        """Wait until `text` appears anywhere in the rendered tree."""
        await self.wait_for(lambda: text in self.text, timeout)

    async def wait_for_element(
        self,
        tag: str | None = None,
        *,
        text: str | None = None,
        id: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> Element:
        """Wait until an element matches the filters (see `find`) and return it."""
        await self.wait_for(lambda: bool(self.find_all(tag, text=text, id=id)), timeout)
        return self.find(tag, text=text, id=id)

    async def wait_for_update(self, timeout: float = DEFAULT_TIMEOUT) -> None:
        """Wait for the server's next `layout-update` frame."""
        seen = self.updates
        await self.wait_for(lambda: self.updates > seen, timeout)

    async def wait_for_close(self, timeout: float = DEFAULT_TIMEOUT) -> int:
        """Wait until the server closes the WebSocket; returns the close code."""
        await self.wait_for(lambda: self.close_code is not None, timeout, closed_ok=True)
        assert self.close_code is not None
        return self.close_code

    async def send_raw(self, frame: str | bytes) -> None:
        """Send a raw frame, as a misbehaving client would."""
        key = "bytes" if isinstance(frame, bytes) else "text"
        await self._communicator.send_input({"type": "websocket.receive", key: frame})

    async def fire(self, element: Element, event: str, *data: Any) -> None:
        """Call the element's handler for `event` (`"onClick"` or `"on_click"`) with `data`
        (what the browser client sends: usually one serialized DOM event)."""
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
        """Click the element matching the filters (see `find`)."""
        element = self.find(tag, text=text, id=id)
        await self.fire(element, "onClick", _event("click", element))

    async def type_text(
        self, value: str, *, id: str | None = None, key: str = "Enter", event: str = "onKeyDown"
    ) -> None:
        """Send a key event to an input as if `value` was typed and then `key` pressed."""
        element = self.find("input", id=id)
        await self.fire(element, event, _event("keydown", element, value, key=key))

    async def change(
        self, value: str, *, tag: str | None = None, id: str | None = None, event: str = "onChange"
    ) -> None:
        """Send a change event to a form field (`input` unless `tag` says otherwise) whose
        value is now `value`."""
        element = self.find(tag or "input", id=id)
        await self.fire(element, event, _event("change", element, value))

    async def disconnect(self) -> None:
        """Close the WebSocket from the browser's side, as leaving the page does."""
        if self._disconnected:
            return
        self._disconnected = True
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
        try:
            await self._communicator.disconnect(timeout=DEFAULT_TIMEOUT)
        except asyncio.CancelledError:
            pass
        except Exception as error:  # the application had crashed already
            self.crash = self.crash or error

    def reconnect(
        self, *, session: SessionBase | None = None, cookies: bool = True
    ) -> contextlib.AbstractAsyncContextManager[MountedComponent]:
        """Open the same WebSocket path again: a reconnect (same page, same root id, the
        stored arguments reloaded), or with `session`/`cookies=False` someone else's replay."""
        return connect(
            self.path,
            session=session or self.session,
            cookies=cookies and (session or self.session) is not None,
            url=self.url,
            origin=self.origin,
        )


def _event(kind: str, element: Element, value: str | None = None, **extra: str) -> dict[str, Any]:
    """A DOM event as the browser client serializes it (the fields handlers usually read)."""
    target: dict[str, Any] = {"tagName": element.tag.upper()}
    if value is not None:
        target["value"] = value
    return {"type": kind, "target": target, "currentTarget": target, **extra}


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
    """A saved session (logged in as `user`, if given), as a browser's cookie would carry.

    Pass it to several `mount` calls to act as one browser with several tabs.
    """
    return await sync_to_async(_new_session_sync)(user)


@contextlib.asynccontextmanager
async def connect(
    path: str,
    *,
    session: SessionBase | None = None,
    cookies: bool = True,
    url: str = "/",
    origin: str | None = _DEFAULT_ORIGIN,
    timeout: float = DEFAULT_TIMEOUT,
) -> AsyncGenerator[MountedComponent]:
    """Open the WebSocket at `path` (`/reactpy/<dotted.path>/<uuid>/<0|1>/`, as a rendered
    page's config names it), the way the browser client does.

    `session` is the browser session whose cookie is sent (a new one if `None`);
    `cookies=False` sends no cookie at all. The block starts once the first render arrived
    or the server closed the socket (`close_code` says why). Leaving it disconnects, and
    re-raises the consumer's crash if it had one.
    """
    if session is None and cookies:
        session = await new_session()
    page = urlsplit(url)
    query = f"http_pathname={quote(page.path or '/', safe='')}"
    if page.query:
        query += f"&http_search={quote('?' + page.query, safe='')}"
    headers: list[tuple[bytes, bytes]] = []
    if cookies and session is not None:
        cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
        headers.append((b"cookie", cookie.encode()))
    if origin is not None:
        headers.append((b"origin", origin.encode()))
    application = AuthMiddlewareStack(URLRouter([REACTPY_WEBSOCKET_ROUTE]))
    communicator = WebsocketCommunicator(application, f"{path}?{query}", headers=headers)
    mounted = MountedComponent(communicator, session if cookies else None, path, url, origin)
    connected, _ = await communicator.connect(timeout=timeout)
    if not connected:
        msg = f"The consumer refused the WebSocket handshake for {path}."
        raise AssertionError(msg)
    mounted._reader = asyncio.get_running_loop().create_task(mounted._read())
    try:
        await mounted.wait_for(
            lambda: mounted.updates > 0 or mounted.close_code is not None, timeout, closed_ok=True
        )
        yield mounted
    finally:
        await mounted.disconnect()
    if mounted.crash is not None:
        msg = f"The consumer serving {path} crashed: {mounted.crash!r}"
        raise AssertionError(msg) from mounted.crash


@contextlib.asynccontextmanager
async def mount(
    component: str | ComponentConstructor,
    *args: Any,
    user: AbstractBaseUser | None = None,
    session: SessionBase | None = None,
    cookies: bool = True,
    url: str = "/",
    origin: str | None = _DEFAULT_ORIGIN,
    root_id: str | None = None,
    register: bool = True,
    props: Mapping[str, Any] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    **kwargs: Any,
) -> AsyncGenerator[MountedComponent]:
    """Mount `component` (a dotted path or the component itself) with `args` and `kwargs`,
    as a page rendering `{% component %}` and its browser would.

    - `user`: log the browser's new session in as this user (`use_user` sees them);
      `session`: reuse a browser session instead (another tab of the same browser);
      `cookies=False`: the WebSocket sends no cookie (the page's session still stores the
      arguments, so this is how a stranger replaying the URL looks).
    - `url`: the page URL `use_location` reports; `origin`: the `Origin` header.
    - `root_id`: the page's uuid (new if `None`).
    - `register=False`: mount only if the site registered the path (as a browser must).
    - `props`: more keyword arguments for the component, for names `mount` itself uses.

    The block starts once the first render arrived, or once the server refused (then
    `close_code` says why). Leaving it disconnects, as closing the page does.
    """
    if user is not None and session is not None:
        msg = "Pass `user` (a new session logged in as them) or `session`, not both."
        raise TypeError(msg)
    if register:
        path = register_component(component)
    elif isinstance(component, str):
        path = component
    else:
        path = f"{component.__module__}.{component.__qualname__}"
    kwargs = {**kwargs, **(props or {})}
    if session is None:
        session = await new_session(user)
    uuid = root_id or str(uuid4())
    has_args = bool(args or kwargs)
    if has_args:
        await sync_to_async(save_arguments)(uuid, path, str(session.session_key), args, kwargs)
    async with connect(
        websocket_path(path, uuid, has_args),
        session=session,
        cookies=cookies,
        url=url,
        origin=origin,
        timeout=timeout,
    ) as mounted:
        yield mounted
