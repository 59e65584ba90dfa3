"""Which root components may be mounted over the WebSocket, looked up by dotted path.

Only paths a template names in `{% component %}`, or the site registers with
`register_component`, are importable from a WebSocket URL: the whitelist keeps a visitor
from importing arbitrary modules.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import MappingProxyType

from django.template import engines
from django.template.backends.django import DjangoTemplates
from django.utils.module_loading import import_string
from reactpy.core.types import ComponentType
from typing_extensions import TypeIs

from reactpy_django.exceptions import ComponentDoesNotExistError

__all__ = [
    "ComponentConstructor",
    "get_component",
    "register_component",
    "registered_components",
    "registered_paths",
]

logger: logging.Logger = logging.getLogger(__name__)

ComponentConstructor = Callable[..., ComponentType]

_components: dict[str, ComponentConstructor] = {}
_failed: dict[str, str] = {}

_TAG = re.compile(r"{%\s*component\s+(?P<quote>['\"])(?P<path>[\w.]+)(?P=quote)(?P<rest>.*?)%}")
_OFFLINE = re.compile(r"offline\s*=\s*(?P<quote>['\"])(?P<path>[\w.]+)(?P=quote)")
_COMMENT = re.compile(
    r"{#[^\n]*?#}|{%\s*comment(?:\s[^%]*)?%}.*?{%\s*endcomment\s*%}|"
    r"{%\s*verbatim(?:\s[^%]*)?%}.*?{%\s*endverbatim(?:\s[^%]*)?%}",
    re.DOTALL,
)


def register_component(component: str | ComponentConstructor) -> str:
    """Allow a root component to be mounted; returns its dotted path.

    Pass the dotted path (`"myapp.components.hello"`) or the component itself. Components
    named in templates are registered at startup already; use this for the rest. A path that
    imports nothing, or nothing callable, raises `ComponentDoesNotExistError`.
    """
    if isinstance(component, str):
        path = component
        imported = _import(path)
        if not _is_constructor(imported):
            msg = f"{path!r} is not a component: it is a {type(imported).__name__}."
            raise ComponentDoesNotExistError(msg)
        constructor = imported
    else:
        path = f"{component.__module__}.{component.__qualname__}"
        constructor = component
    _components[path] = constructor
    _failed.pop(path, None)
    return path


def get_component(path: str) -> ComponentConstructor | None:
    """The registered component at `path`, or `None` if it may not be mounted."""
    return _components.get(path)


def registered_components() -> Mapping[str, ComponentConstructor]:
    """Every component that may be mounted, by dotted path (a read-only, live view)."""
    return MappingProxyType(_components)


def registered_paths() -> frozenset[str]:
    """Every dotted path that may be mounted."""
    return frozenset(_components)


def failed_paths() -> dict[str, str]:
    """Paths named in templates that could not be imported, with the reason."""
    return dict(_failed)


def _is_constructor(value: object) -> TypeIs[ComponentConstructor]:
    # A component is only known by calling it; any callable is accepted here and a wrong
    # one fails when the WebSocket mounts it, with the error logged.
    return callable(value)


def _import(path: str) -> object:
    try:
        imported: object = import_string(path)
    except ImportError as error:  # reactpy-django sites catch its AttributeError subclass
        raise ComponentDoesNotExistError(str(error)) from error
    return imported


def _template_files() -> Iterator[Path]:
    for engine in engines.all():
        if not isinstance(engine, DjangoTemplates):
            continue
        for directory in engine.engine.dirs:
            yield from Path(directory).rglob("*.html")
        for loader in engine.engine.template_loaders:
            get_dirs = getattr(loader, "get_dirs", None)
            if get_dirs is None:
                continue
            for directory in get_dirs():
                yield from Path(directory).rglob("*.html")


def paths_in_template(text: str) -> set[str]:
    """Dotted paths a template's `{% component %}` tags name, offline components included."""
    found: set[str] = set()
    for match in _TAG.finditer(_COMMENT.sub("", text)):
        found.add(match["path"])
        found.update(m["path"] for m in _OFFLINE.finditer(match["rest"]))
    return found


def register_from_templates() -> None:
    """Register every component the project's templates name (runs in `AppConfig.ready`)."""
    seen: set[Path] = set()
    for file in _template_files():
        if file in seen:
            continue
        seen.add(file)
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        for path in paths_in_template(text):
            if path in _components:
                continue
            try:
                register_component(path)
            except Exception as error:
                _failed[path] = f"{type(error).__name__}: {error}"
                logger.warning("Could not import component %r named in %s: %s", path, file, error)
