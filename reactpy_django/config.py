"""reactpy-django 5.2.1's `reactpy_django.config`: its `REACTPY_*` values, read on each access.

`from reactpy_django import config; config.REACTPY_DATABASE` reads the current Django
settings (so `override_settings` shows at once), not a copy taken at import. New code reads
`reactpy_django.conf.reactpy_settings()`, one typed object with every setting.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from django.conf import settings

from reactpy_django.conf import ReactPySettings, reactpy_settings

if TYPE_CHECKING:
    from reactpy_django.registry import ComponentConstructor
    from reactpy_django.types import AsyncPostprocessor, SyncPostprocessor

__all__ = [
    "DJANGO_DEBUG",
    "REACTPY_AUTH_BACKEND",
    "REACTPY_AUTH_TOKEN_MAX_AGE",
    "REACTPY_AUTO_RELOGIN",
    "REACTPY_BACKHAUL_THREAD",
    "REACTPY_CACHE",
    "REACTPY_CLEAN_AUTH_TOKENS",
    "REACTPY_CLEAN_INTERVAL",
    "REACTPY_CLEAN_SESSIONS",
    "REACTPY_CLEAN_USER_DATA",
    "REACTPY_DATABASE",
    "REACTPY_DEBUG_MODE",
    "REACTPY_DEFAULT_FORM_TEMPLATE",
    "REACTPY_DEFAULT_HOSTS",
    "REACTPY_DEFAULT_QUERY_POSTPROCESSOR",
    "REACTPY_FAILED_COMPONENTS",
    "REACTPY_GC_THRESHOLD",
    "REACTPY_MAX_MESSAGE_SIZE",
    "REACTPY_PRERENDER",
    "REACTPY_QUERY_THREADS",
    "REACTPY_RECONNECT_BACKOFF_MULTIPLIER",
    "REACTPY_RECONNECT_INTERVAL",
    "REACTPY_RECONNECT_MAX_INTERVAL",
    "REACTPY_RECONNECT_MAX_RETRIES",
    "REACTPY_REFETCH_LAYER",
    "REACTPY_REGISTERED_COMPONENTS",
    "REACTPY_SESSION_MAX_AGE",
    "REACTPY_URL_PREFIX",
]

_PREFIX = "REACTPY_"


def _debug_mode() -> bool:
    from reactpy.config import REACTPY_DEBUG_MODE

    return bool(REACTPY_DEBUG_MODE.current)


def _default_hosts() -> itertools.cycle[str] | None:
    # 5.2.1 keeps one endless cycle of the hosts; each read here starts a new one.
    hosts = reactpy_settings().default_hosts
    return itertools.cycle(hosts) if hosts else None


def _postprocessor() -> SyncPostprocessor | AsyncPostprocessor | None:
    from reactpy_django.query import _import_postprocessor

    path = reactpy_settings().default_query_postprocessor
    return _import_postprocessor(path) if path else None


def _registered_components() -> Mapping[str, ComponentConstructor]:
    from reactpy_django.registry import registered_components

    return registered_components()


def _failed_components() -> frozenset[str]:
    from reactpy_django.registry import failed_paths

    return frozenset(failed_paths())


def _setting(name: str, default: object) -> Callable[[], object]:
    """A reader of a 5.2.1 setting this package does not use (kept for code that reads it)."""

    def read() -> object:
        value: object = getattr(settings, name, default)
        return value

    return read


_READERS: dict[str, Callable[[], object]] = {
    "DJANGO_DEBUG": lambda: bool(settings.DEBUG),
    "REACTPY_DEBUG_MODE": _debug_mode,
    "REACTPY_DEFAULT_HOSTS": _default_hosts,
    "REACTPY_DEFAULT_QUERY_POSTPROCESSOR": _postprocessor,
    "REACTPY_REGISTERED_COMPONENTS": _registered_components,
    "REACTPY_FAILED_COMPONENTS": _failed_components,
    "REACTPY_CACHE": _setting("REACTPY_CACHE", "default"),
    "REACTPY_BACKHAUL_THREAD": _setting("REACTPY_BACKHAUL_THREAD", False),
    "REACTPY_AUTO_RELOGIN": _setting("REACTPY_AUTO_RELOGIN", False),
    "REACTPY_DEFAULT_FORM_TEMPLATE": _setting("REACTPY_DEFAULT_FORM_TEMPLATE", None),
}


# Defined for the runtime only: the checkers see the declared names below, so a misspelt
# name is an error there rather than an `object`.
if not TYPE_CHECKING:

    def __getattr__(name: str) -> object:
        reader = _READERS.get(name)
        if reader is not None:
            return reader()
        field = name.removeprefix(_PREFIX).lower()
        if name.startswith(_PREFIX) and field in ReactPySettings.__dataclass_fields__:
            value: object = getattr(reactpy_settings(), field)
            return value
        msg = (
            f"module {__name__!r} has no attribute {name!r}; its names are {', '.join(__all__)} "
            "(read every setting at once with reactpy_django.conf.reactpy_settings())."
        )
        raise AttributeError(msg)

    def __dir__() -> list[str]:
        return sorted(__all__)


if TYPE_CHECKING:
    DJANGO_DEBUG: bool
    """Django's `DEBUG` setting."""
    REACTPY_DEBUG_MODE: bool
    """Whether ReactPy's debug mode (extra checks and logs) is on."""
    REACTPY_URL_PREFIX: str
    """Prefix of the WebSocket route and HTTP views, without slashes (default `"reactpy"`)."""
    REACTPY_DATABASE: str
    """Database alias for component arguments, login tokens and user data."""
    REACTPY_SESSION_MAX_AGE: int
    """Seconds stored component arguments live after their last use."""
    REACTPY_AUTH_TOKEN_MAX_AGE: int
    """Seconds a one-time login token may take to be redeemed."""
    REACTPY_DEFAULT_QUERY_POSTPROCESSOR: SyncPostprocessor | AsyncPostprocessor | None
    """`use_query`'s default postprocessor, imported from the setting's dotted path."""
    REACTPY_AUTH_BACKEND: str | None
    """Authentication backend `use_auth().login` records."""
    REACTPY_DEFAULT_HOSTS: itertools.cycle[str] | None
    """The WebSocket hosts, in turn (a new cycle from the first host on each read), or `None`."""
    REACTPY_PRERENDER: bool
    """Whether `{% component %}` prerenders by default."""
    REACTPY_RECONNECT_INTERVAL: int
    """Milliseconds before the browser's first reconnect attempt."""
    REACTPY_RECONNECT_MAX_INTERVAL: int
    """Longest wait between reconnect attempts, in milliseconds."""
    REACTPY_RECONNECT_MAX_RETRIES: int
    """Reconnect attempts before the browser gives up."""
    REACTPY_RECONNECT_BACKOFF_MULTIPLIER: float
    """Growth of the wait per reconnect attempt."""
    REACTPY_CLEAN_INTERVAL: int | None
    """Seconds between automatic cleanings; `None`: only `manage.py clean_reactpy`."""
    REACTPY_CLEAN_SESSIONS: bool
    """Whether cleaning deletes expired component arguments."""
    REACTPY_CLEAN_AUTH_TOKENS: bool
    """Whether cleaning deletes expired login tokens."""
    REACTPY_CLEAN_USER_DATA: bool
    """Whether cleaning deletes user data whose user no longer exists."""
    REACTPY_MAX_MESSAGE_SIZE: int
    """Largest frame (bytes) a browser may send (this package's setting)."""
    REACTPY_QUERY_THREADS: int
    """Threads for sync ORM work (this package's setting)."""
    REACTPY_GC_THRESHOLD: int | None
    """Least young-generation garbage collector threshold (this package's setting)."""
    REACTPY_REFETCH_LAYER: str | None
    """Channel layer carrying refetches, logins and logouts (this package's setting)."""
    REACTPY_DEFAULT_FORM_TEMPLATE: str | None
    """The setting as the site set it (default `None`)."""
    REACTPY_CACHE: str
    """The setting as the site set it (default `"default"`); this package uses no cache."""
    REACTPY_BACKHAUL_THREAD: bool
    """The setting as the site set it (default `False`); it has no effect here."""
    REACTPY_AUTO_RELOGIN: bool
    """The setting as the site set it (default `False`); it has no effect here."""
    REACTPY_REGISTERED_COMPONENTS: Mapping[str, ComponentConstructor]
    """Every component that may be mounted, by dotted path (read-only, live)."""
    REACTPY_FAILED_COMPONENTS: frozenset[str]
    """Dotted paths named in templates that could not be imported."""
