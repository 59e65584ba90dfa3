"""`view_to_iframe`: an `<iframe>` showing a registered Django view, its arguments in the URL."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from reactpy import component, html
from reactpy.core.types import ComponentType, Key, VdomDict

from reactpy_django._iframes import ARGS_PARAMETER, get_iframe_view
from reactpy_django._view_render import DjangoView, view_name
from reactpy_django.exceptions import ViewNotRegisteredError
from reactpy_django.types import ViewToIframeConstructor

__all__ = ["iframe_src", "view_to_iframe"]


def view_to_iframe(
    view: DjangoView, extra_props: Mapping[str, Any] | None = None
) -> ViewToIframeConstructor:
    """Turn a Django view into a constructor of an `<iframe>` that shows it.

    The view must be registered with `reactpy_django.utils.register_iframe(view)` in an
    `AppConfig.ready`; the iframe's `src` is the `reactpy:view_to_iframe` URL of the view's
    dotted path. The returned constructor is `(*args, key=None, **kwargs)`: the arguments
    travel in the query string and reach the view as strings, `view(request, *args, **kwargs)`
    (a keyword given a list arrives as a list). `extra_props` are added to the `<iframe>`
    element (its `src` cannot be replaced); by default it has no border and loads lazily.

    Calling the constructor with a view that is not registered raises
    `ViewNotRegisteredError`.

    Args:
        view: A function view, a `View` subclass or its `.as_view()`, or the view's dotted
            path, registered with `register_iframe`.
        extra_props: Attributes added to the `<iframe>` element (all but `src`), e.g.
            `{"title": "Greeting"}`.

    Returns:
        A constructor `(*args, key=None, **kwargs)` of the `<iframe>` component; `args` and
            `kwargs` go to the view through the query string.
    """
    name = view_name(view)
    props = {key: value for key, value in (extra_props or {}).items() if key != "src"}

    def constructor(*args: Any, key: Key | None = None, **kwargs: Any) -> ComponentType:
        if get_iframe_view(name) is None:
            msg = (
                f"The view {name!r} is not registered for view_to_iframe. Call "
                f"reactpy_django.utils.register_iframe({name!r}) in your AppConfig.ready()."
            )
            raise ViewNotRegisteredError(msg)
        return _iframe(iframe_src(name, args, kwargs), props, key=key)

    constructor.__name__ = constructor.__qualname__ = f"view_to_iframe({name})"
    constructor.__doc__ = f"The view {name} in an iframe."
    return constructor


def iframe_src(name: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> str:
    """The iframe's URL: the view's path, then kwargs and `_args` in the query string."""
    query: list[tuple[str, Any]] = [(key, value) for key, value in kwargs.items()]
    query.extend((ARGS_PARAMETER, arg) for arg in args)
    url = reverse("reactpy:view_to_iframe", args=[name])
    return f"{url}?{urlencode(query, doseq=True)}" if query else url


@component
def _iframe(src: str, props: Mapping[str, Any]) -> VdomDict:
    return html.iframe({"style": {"border": "none"}, "loading": "lazy", **props, "src": src})
