"""Run a Django view of any kind (function, async, class-based, dotted path) and read its HTML."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any, TypeAlias, cast

from django.http import HttpRequest
from django.http.response import HttpResponseBase, StreamingHttpResponse
from django.template.response import SimpleTemplateResponse
from django.utils.module_loading import import_string
from django.views import View
from typing_extensions import TypeIs

from reactpy_django._executor import is_async
from reactpy_django.exceptions import ViewDoesNotExistError

__all__ = [
    "DjangoView",
    "ViewCallable",
    "call_view",
    "is_async_view",
    "render_lazy",
    "resolve_view",
    "response_html",
    "view_name",
]

ViewCallable: TypeAlias = Callable[..., HttpResponseBase | Awaitable[HttpResponseBase]]
"""A function view, sync or async, or what `View.as_view()` returns."""

DjangoView: TypeAlias = ViewCallable | type[View] | str
"""What `view_to_component`, `view_to_iframe` and `register_iframe` accept: a function view
(sync or async), a class-based view (the `View` subclass or its `.as_view()`), or the dotted
path of one of these."""


def view_name(view: DjangoView) -> str:
    """The view's dotted path: `module.qualname`; for `.as_view()` the class's."""
    if isinstance(view, str):
        return view
    target: object = getattr(view, "view_class", view)
    module = getattr(target, "__module__", None)
    name = getattr(target, "__qualname__", None) or getattr(target, "__name__", None)
    if not isinstance(module, str) or not isinstance(name, str):
        msg = (
            f"Expected a Django view (a function, a View subclass or its .as_view()), "
            f"got {view!r}, which has no module and name. Pass a view or its dotted path."
        )
        raise TypeError(msg)
    return f"{module}.{name}"


def resolve_view(view: DjangoView) -> ViewCallable:
    """The callable that serves a request: a dotted path imported, a `View` subclass's
    `.as_view()`. Raises `ViewDoesNotExistError` naming a path that imports nothing."""
    target: object = view
    if isinstance(view, str):
        try:
            target = import_string(view)
        except ImportError as error:
            msg = (
                f"The view {view!r} could not be imported ({error}). Give the dotted path of "
                f"a view function or class, e.g. 'myapp.views.hello'."
            )
            raise ViewDoesNotExistError(msg) from error
    if _is_view_class(target):
        return target.as_view()
    if not callable(target):
        msg = (
            f"Expected a Django view (a function, a View subclass or its .as_view()), "
            f"got {target!r} of type {type(target).__name__}."
        )
        raise TypeError(msg)
    # callable() narrows to a bare Callable; a view is called with a request and arguments.
    return cast("ViewCallable", target)


def _is_view_class(target: object) -> TypeIs[type[View]]:
    return isinstance(target, type) and issubclass(target, View)


def is_async_view(view: ViewCallable) -> bool:
    """Whether calling `view` gives a coroutine (`async def`, or an async `View`'s
    `.as_view()`, which Django marks with asgiref's marker)."""
    # asgiref's `markcoroutinefunction` (Django's async `.as_view()`) sets this on 3.11.
    return is_async(view) or getattr(view, "_is_coroutine", None) is not None


def call_view(
    view: ViewCallable, request: HttpRequest, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> HttpResponseBase:
    """Call a sync view and render a lazy `TemplateResponse` (in the calling thread, since
    rendering a template may query the database)."""
    response = view(request, *args, **kwargs)
    if inspect.isawaitable(response):
        close = getattr(response, "close", None)
        if callable(close):
            close()  # never awaited: say so below, not in a "never awaited" warning
        msg = (
            f"The view {view_name(view)} returned an awaitable from a sync call; "
            f"declare it with async def."
        )
        raise TypeError(msg)
    return render_lazy(response)


def render_lazy(response: HttpResponseBase) -> HttpResponseBase:
    """Render a `TemplateResponse` that has not been rendered yet (a `TemplateView`'s)."""
    if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
        response.render()
    return response


def response_html(response: HttpResponseBase, view: str) -> str:
    """The response's body as text, in its own charset."""
    if isinstance(response, StreamingHttpResponse):
        msg = (
            f"The view {view} returned a StreamingHttpResponse; view_to_component needs the "
            f"whole page. Return an HttpResponse or TemplateResponse instead."
        )
        raise TypeError(msg)
    # Any non-streaming response has `content`; HttpResponseBase itself does not declare it.
    content = cast("bytes", getattr(response, "content", b""))
    return content.decode(response.charset or "utf-8", errors="replace")
