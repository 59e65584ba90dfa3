"""`view_to_component`: a Django view's HTML rendered as a ReactPy component."""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Callable, MutableMapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.template.response import SimpleTemplateResponse
from reactpy import component, hooks
from reactpy.core.types import ComponentType, Key, VdomDict
from reactpy.utils import del_html_head_body_transform

from reactpy_django._executor import next_version, run_sync
from reactpy_django._html_vdom import html_to_vdom
from reactpy_django._state import ConnectionState, connection_state
from reactpy_django._view_render import (
    DjangoView,
    ViewCallable,
    call_view,
    is_async_view,
    render_lazy,
    resolve_view,
    response_html,
    view_name,
)
from reactpy_django.connection import use_scope
from reactpy_django.types import ViewToComponentConstructor

__all__ = ["view_to_component"]

logger: logging.Logger = logging.getLogger(__name__)

Transform = Callable[[VdomDict], Any]
"""A function given each VDOM node of the view's HTML, returning the node to use instead."""


def view_to_component(
    view: DjangoView,
    transforms: Sequence[Transform] = (),
    strict_parsing: bool = True,
) -> ViewToComponentConstructor:
    """Turn a Django view into a component constructor; also usable as a bare decorator.

    `view` is a function view (sync or async), a class-based view (the `View` subclass, or
    its `.as_view()`; a `TemplateView`'s response is rendered), or its dotted path.

    The returned constructor is `(request=None, *args, key=None, **kwargs)`: the view is
    called as `view(request, *args, **kwargs)`, with a blank GET `HttpRequest` (carrying the
    connection's `user` and `session`) when `request` is `None`. A sync view runs in the query
    threads (this connection's calls in order), an async one on the event loop. Its HTML
    becomes the VDOM ReactPy's `html_to_vdom` gives (`<html>`, `<head>` and `<body>` dropped)
    and each of `transforms` is applied to every node. With `strict_parsing` (the default) HTML that
    is not well-formed HTML5 is an error; `False` lets lxml repair it.

    Nothing shows until the view has answered (nor while prerendering). The view runs again
    when the request object or the arguments change (compared with `==`). A view that raises,
    or HTML that cannot be parsed, is logged and renders nothing; the session goes on.

    Args:
        view: A function view (sync or async), a `View` subclass or its `.as_view()`, or the
            view's dotted path.
        transforms: Functions given each VDOM node of the view's HTML, each returning the
            node to use instead.
        strict_parsing: Treat HTML that is not well-formed HTML5 as an error (`False`: let
            lxml repair it).

    Returns:
        A constructor `(request=None, *args, key=None, **kwargs)` of the component; `request`,
            `args` and `kwargs` go to the view, `key` is the component's key among its siblings.
    """
    transform_list = tuple(transforms)

    def constructor(
        request: HttpRequest | None = None,
        *args: Any,
        key: Key | None = None,
        **kwargs: Any,
    ) -> ComponentType:
        return _view_component(view, transform_list, strict_parsing, request, args, kwargs, key=key)

    constructor.__name__ = constructor.__qualname__ = f"view_to_component({view_name(view)})"
    constructor.__doc__ = f"The view {view_name(view)} as a component."
    return constructor


@dataclass(frozen=True, slots=True, eq=False)
class _Inputs:
    """One render's arguments; a run starts when they differ from the last run's."""

    view: DjangoView
    transforms: tuple[Transform, ...]
    strict: bool
    request: HttpRequest | None
    args: tuple[Any, ...]
    kwargs: dict[str, Any]

    def same_run(self, other: _Inputs) -> bool:
        """Whether `other` would call the view the same way."""
        return (
            self.view is other.view
            and self.request is other.request
            and self.strict == other.strict
            and _equal(self.transforms, other.transforms)
            and _equal(self.args, other.args)
            and _equal(self.kwargs, other.kwargs)
        )


def _equal(old: object, new: object) -> bool:
    """`old == new`, or identity for values that cannot be compared."""
    if old is new:
        return True
    try:
        return bool(old == new)
    except Exception:
        return False


@component
def _view_component(
    view: DjangoView,
    transforms: tuple[Transform, ...],
    strict: bool,
    request: HttpRequest | None,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> VdomDict | None:
    scope = use_scope()
    state = connection_state(scope)
    _, set_version = hooks.use_state(0)
    runner: _ViewRunner = hooks.use_state(lambda: _ViewRunner(state, scope, set_version))[0]
    runner.render(_Inputs(view, transforms, strict, request, args, kwargs))
    hooks.use_effect(runner.mount, dependencies=[])
    return runner.vdom


class _ViewRunner:
    """One `view_to_component` instance: runs the view, keeps the VDOM of its last answer."""

    def __init__(
        self,
        state: ConnectionState,
        scope: MutableMapping[str, Any],
        set_version: Callable[[Callable[[int], int]], None],
    ) -> None:
        self._state = state
        self._scope = scope
        self._set_version = set_version
        self._inputs: _Inputs | None = None
        self._task: asyncio.Task[None] | None = None
        self._default_request: HttpRequest | None = None
        self._disposed = False
        self.vdom: VdomDict | None = None

    def render(self, inputs: _Inputs) -> None:
        """Take this render's arguments; new ones start a new run of the view."""
        previous, self._inputs = self._inputs, inputs
        if not self._state.live or self._disposed:
            return  # prerendering: the view runs once the WebSocket has mounted it
        if previous is not None and previous.same_run(inputs):
            return
        if self._task is not None:
            self._task.cancel()
        request = inputs.request or self._blank_request()
        self._task = self._state.spawn(self._run(inputs, request), name="view_to_component")

    def mount(self) -> Callable[[], None]:
        """The mount effect; its cleanup cancels a running view."""
        return self.dispose

    def dispose(self) -> None:
        """Unmounted: drop the running view's answer."""
        self._disposed = True
        if self._task is not None:
            self._task.cancel()
            self._task = None

    def _blank_request(self) -> HttpRequest:
        """A GET request for views called without one; the same object on every render."""
        if self._default_request is None:
            request = HttpRequest()
            request.method = "GET"
            user = self._scope.get("user")
            if user is not None:
                request.user = user
            session = self._scope.get("session")
            if session is not None:
                request.session = session
            self._default_request = request
        return self._default_request

    async def _run(self, inputs: _Inputs, request: HttpRequest) -> None:
        name = view_name(inputs.view)
        try:
            resolved = resolve_view(inputs.view)
            if is_async_view(resolved):
                vdom = await _render_async(resolved, request, inputs, name, self._state)
            else:

                def work() -> VdomDict | None:
                    response = call_view(resolved, request, inputs.args, inputs.kwargs)
                    return _to_vdom(response, inputs, name)

                vdom = await run_sync(work, self._state)
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("view_to_component: the view %s failed; it renders nothing.", name)
            vdom = None
        if self._disposed or self._inputs is None or not inputs.same_run(self._inputs):
            return
        self._task = None
        self.vdom = vdom
        self._set_version(next_version)


async def _render_async(
    view: ViewCallable, request: HttpRequest, inputs: _Inputs, name: str, state: ConnectionState
) -> VdomDict | None:
    result = view(request, *inputs.args, **inputs.kwargs)
    response = await result if inspect.isawaitable(result) else result
    if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
        # A template may query the database, which the event loop's thread may not.
        return await run_sync(lambda: _to_vdom(render_lazy(response), inputs, name), state)
    return _to_vdom(response, inputs, name)


def _to_vdom(response: object, inputs: _Inputs, name: str) -> VdomDict | None:
    if not isinstance(response, HttpResponseBase):
        msg = (
            f"The view {name} returned {type(response).__name__}; a Django view must return "
            f"an HttpResponse."
        )
        raise TypeError(msg)
    html = response_html(response, name).strip()
    if not html:
        return None
    transforms = (del_html_head_body_transform, *inputs.transforms)
    return html_to_vdom(html, *transforms, strict=inputs.strict)
