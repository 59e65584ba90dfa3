"""The views `register_iframe` allowed `view_to_iframe` to show, by dotted path."""

from __future__ import annotations

import threading

from reactpy_django._view_render import DjangoView, ViewCallable, resolve_view, view_name

__all__ = ["ARGS_PARAMETER", "get_iframe_view", "register_iframe_view"]

ARGS_PARAMETER = "_args"
"""The query-string name that carries the positional arguments (repeated, in order)."""

_views: dict[str, ViewCallable] = {}
_lock = threading.Lock()


def register_iframe_view(view: DjangoView) -> str:
    """Allow `view` to be served at `reactpy:view_to_iframe`; returns its dotted path.

    A dotted path is imported now (at startup, in `AppConfig.ready`), never when a request
    names it: the HTTP view only looks paths up here.
    """
    name = view_name(view)
    resolved = resolve_view(view)
    with _lock:
        _views[name] = resolved
    return name


def get_iframe_view(name: str) -> ViewCallable | None:
    """The registered view with this dotted path, or `None`."""
    return _views.get(name)
