"""`django_css` / `django_js`: a static file's text inlined as `<style>` / `<script>`."""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass
from uuid import uuid4

from django.contrib.staticfiles import finders
from reactpy import component, hooks, html
from reactpy.core.types import ComponentType, Key, VdomDict

__all__ = ["django_css", "django_js", "static_file_text"]


@dataclass(frozen=True, slots=True)
class _Cached:
    path: str
    modified_ns: int
    text: str


_cache: dict[str, _Cached] = {}
_lock = threading.Lock()


def static_file_text(static_path: str) -> str:
    """The text of the static file `static_path` (the name `{% static %}` takes).

    Found through Django's staticfiles finders once and read once; later calls only check
    the file's modification time, so an edited file is read again. Raises
    `FileNotFoundError` naming the path when no finder has it.
    """
    cached = _cache.get(static_path)
    if cached is not None:
        try:
            if os.stat(cached.path).st_mtime_ns == cached.modified_ns:
                return cached.text
        except OSError:
            pass  # moved or deleted: look it up again
    found = finders.find(static_path)
    if not found:
        msg = (
            f"The static file {static_path!r} was not found by Django's staticfiles finders. "
            f"Put it in an app's static/ folder or in STATICFILES_DIRS, and give the path "
            f"{{% static %}} would take."
        )
        raise FileNotFoundError(msg)
    with open(found, encoding="utf-8") as file:
        modified_ns = os.fstat(file.fileno()).st_mtime_ns
        text = file.read()
    with _lock:
        _cache[static_path] = _Cached(str(found), modified_ns, text)
    return text


def django_css(static_path: str, key: Key | None = None) -> ComponentType:
    """A `<style>` element holding the static CSS file `static_path` (as `{% static %}` names
    it), loaded with the component instead of by the page. A missing file is an error when
    the component renders, naming the path.

    Args:
        static_path: The file's name for Django's staticfiles finders, e.g. `"app/site.css"`.
        key: A key unique among the component's siblings.

    Returns:
        The component.
    """
    return _django_css(static_path, key=key)


def django_js(static_path: str, key: Key | None = None) -> ComponentType:
    """A `<script>` holding the static JavaScript file `static_path` (as `{% static %}` names
    it). The browser runs it once when the component mounts (not again on re-renders). A
    missing file is an error when the component renders, naming the path.

    Args:
        static_path: The file's name for Django's staticfiles finders, e.g. `"app/site.js"`.
        key: A key unique among the component's siblings.

    Returns:
        The component.
    """
    return _django_js(static_path, key=key)


@component
def _django_css(static_path: str) -> VdomDict:
    return html.style(static_file_text(static_path))


@component
def _django_js(static_path: str) -> VdomDict:
    instance = hooks.use_state(_instance_id)[0]
    return html.script(once_per_mount(static_file_text(static_path), instance))


def _instance_id() -> str:
    return uuid4().hex


def once_per_mount(script: str, instance: str) -> str:
    """`script` guarded so that it runs once for this component instance.

    ReactPy's client evaluates a `<script>`'s text in an effect that depends on its DOM
    node, so the text runs at mount and again at the component's first re-render. The guard
    is a block, not a function: the script's completion value (a returned cleanup function)
    and its strict-mode scoping stay as they were.
    """
    return (
        f"if (!(window.__reactpyDjangoJs ??= new Set()).has({json.dumps(instance)})) "
        f"{{ window.__reactpyDjangoJs.add({json.dumps(instance)});\n{script}\n}}"
    )
