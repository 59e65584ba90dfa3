"""The HTTP side: ReactPy web-module files, login-token redemption, `view_to_iframe` pages."""

from __future__ import annotations

import inspect
import mimetypes
import os
from pathlib import Path
from typing import Any

from asgiref.sync import sync_to_async
from django.http import FileResponse, Http404, HttpRequest, HttpResponseBadRequest
from django.http.response import HttpResponseBase
from django.template.response import SimpleTemplateResponse
from django.views.decorators.http import require_GET
from reactpy.config import REACTPY_WEB_MODULES_DIR

from reactpy_django._iframes import ARGS_PARAMETER, get_iframe_view
from reactpy_django._view_render import ViewCallable, call_view, is_async_view, render_lazy
from reactpy_django.auth_views import redeem_auth_token

__all__ = ["redeem_auth_token", "view_to_iframe", "web_module_file"]


def _module_path(root: Path, file: str) -> Path | None:
    """`file` inside `root`, or `None` when the name climbs out of it.

    The check is on the name, not on the resolved file: `module_from_file(symlink=True)`
    writes links pointing elsewhere, and those are served.
    """
    if "\x00" in file or "\\" in file:
        return None
    parts = file.split("/")
    if any(part in ("", ".", "..") for part in parts) or os.path.isabs(file):
        return None
    target = root.joinpath(*parts)
    return target if target.is_file() else None


@require_GET
def web_module_file(request: HttpRequest, file: str) -> FileResponse:
    """Serve a file written by `reactpy.web.module_from_*`, refusing names outside the folder."""
    target = _module_path(Path(REACTPY_WEB_MODULES_DIR.current), file)
    if target is None:
        raise Http404("No such web module.")
    content_type = "text/javascript"
    if target.suffix not in (".js", ".mjs"):
        content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    response = FileResponse(target.open("rb"), content_type=content_type)
    response["Cache-Control"] = "no-cache"
    response["X-Content-Type-Options"] = "nosniff"
    # Public files, imported as module scripts (CORS) by pages of other hosts when the
    # WebSocket is served elsewhere (`{% component host=... %}`, REACTPY_DEFAULT_HOSTS).
    response["Access-Control-Allow-Origin"] = "*"
    return response


async def view_to_iframe(request: HttpRequest, dotted_path: str) -> HttpResponseBase:
    """Serve a view registered with `register_iframe`, for `view_to_iframe`'s `<iframe>`.

    Only registered views: any other `dotted_path` is a 404 and is never imported. The query
    string's `_args` (repeated) are the positional arguments, every other name a keyword
    (a name given several times arrives as a list). The page may be framed by its own site.
    """
    view = get_iframe_view(dotted_path)
    if view is None:
        raise Http404("No view is registered for view_to_iframe under this name.")
    args = tuple(request.GET.getlist(ARGS_PARAMETER))
    kwargs: dict[str, str | list[str]] = {
        key: values[0] if len(values) == 1 else values
        for key, values in request.GET.lists()
        if key != ARGS_PARAMETER
    }
    try:
        _check_arguments(view, request, args, kwargs)
    except TypeError as error:
        return HttpResponseBadRequest(
            f"The view {dotted_path} does not take these query arguments: {error}.",
            content_type="text/plain",
        )
    except ValueError:  # no signature to check (some builtins): let the call decide
        pass
    if is_async_view(view):
        result = view(request, *args, **kwargs)
        response = await result if inspect.isawaitable(result) else result
        if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
            response = await sync_to_async(render_lazy)(response)
    else:
        response = await sync_to_async(call_view)(view, request, args, kwargs)
    response["X-Frame-Options"] = "SAMEORIGIN"
    return response


def _check_arguments(
    view: ViewCallable, request: HttpRequest, args: tuple[str, ...], kwargs: dict[str, Any]
) -> None:
    """Raise `TypeError` if the view (for a class-based view, its handler for the request's
    method) cannot take these arguments."""
    view_class: object = getattr(view, "view_class", None)
    if isinstance(view_class, type):
        handler: object = getattr(view_class, (request.method or "get").lower(), None)
        if callable(handler):
            inspect.signature(handler).bind(view_class, request, *args, **kwargs)
        return
    inspect.signature(view).bind(request, *args, **kwargs)
