"""The `REACTPY_*` Django settings, read lazily into one typed, frozen object."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

__all__ = ["ReactPySettings", "reactpy_settings"]


@dataclass(frozen=True, slots=True)
class ReactPySettings:
    """Every setting this package reads. Each field is `REACTPY_<FIELD NAME UPPERCASED>`."""

    url_prefix: str = "reactpy"
    """Path prefix of the WebSocket route and the HTTP views (no slashes at the ends)."""
    database: str = "default"
    """Database alias that holds component arguments, login tokens and user data."""
    session_max_age: int = 259200
    """Seconds a page's stored component arguments stay usable after their last use."""
    auth_token_max_age: int = 30
    """Seconds a one-time login token may take to be redeemed by the browser."""
    default_query_postprocessor: str | None = "reactpy_django.utils.django_query_postprocessor"
    """Dotted path of `use_query`'s default postprocessor; `None` disables it."""
    auth_backend: str | None = None
    """Authentication backend that `use_auth().login` records (needed with several backends)."""
    default_hosts: tuple[str, ...] = ()
    """Hosts (`"host:port"`) the WebSocket is served from, used in turn; empty: the page's host."""
    prerender: bool = False
    """Whether `{% component %}` prerenders HTML by default (the tag's `prerender=` overrides)."""
    reconnect_interval: int = 750
    """Milliseconds before the browser's first reconnect attempt."""
    reconnect_max_interval: int = 60000
    """Longest wait between reconnect attempts, in milliseconds."""
    reconnect_max_retries: int = 150
    """Reconnect attempts before the browser gives up."""
    reconnect_backoff_multiplier: float = 1.25
    """Factor by which the wait grows after every failed attempt (before jitter)."""
    clean_interval: int | None = 604800
    """Seconds between automatic cleanings of expired rows; `None` leaves it to `clean_reactpy`."""
    clean_sessions: bool = True
    """Whether cleaning deletes expired component arguments."""
    clean_auth_tokens: bool = True
    """Whether cleaning deletes expired login tokens."""
    clean_user_data: bool = True
    """Whether cleaning deletes user data whose user no longer exists."""
    max_message_size: int = 1_048_576
    """Largest WebSocket frame (bytes) the consumer reads; a larger one is dropped and logged."""
    query_threads: int = 4
    """Threads for sync `thread_sensitive` queries and mutations, shared; each connection's
    calls run one at a time, in order."""
    gc_threshold: int | None = 20_000
    """Least young-generation threshold (`gc.set_threshold`'s first value) of a process that
    serves components; `None` keeps Python's (700). Renders allocate in bursts that the default
    turns into needless collections (about a quarter of the CPU at 200 connections)."""
    refetch_layer: str | None = "default"
    """Channel layer carrying refetches, logins and logouts to the site's other server
    processes; `None`: this process only."""
    default_form_template: str | None = None
    """Template `django_form` renders forms with when it is given no `form_template`;
    `None`: the form's own (`Form.template_name`, Django's `django/forms/div.html`)."""


_PREFIX = "REACTPY_"
_DROPPED = {
    "REACTPY_BACKHAUL_THREAD": "every connection renders on the server's own event loop",
    "REACTPY_ASYNC_RENDERING": "ReactPy's async rendering is unsafe in 1.1; rendering is serial",
    "REACTPY_AUTO_RELOGIN": "logins persist through a one-time token redeemed by the browser",
    "REACTPY_CACHE": "automatic cleaning is throttled through one row in REACTPY_DATABASE",
}


@cache
def reactpy_settings() -> ReactPySettings:
    """The current settings; rebuilt after `override_settings` changes a `REACTPY_*` name."""
    values: dict[str, Any] = {}
    for name in ReactPySettings.__dataclass_fields__:
        setting = _PREFIX + name.upper()
        if hasattr(settings, setting):
            value = getattr(settings, setting)
            values[name] = tuple(value) if name == "default_hosts" and value else value
    values["url_prefix"] = str(values.get("url_prefix", "reactpy")).strip("/")
    return ReactPySettings(**values)


def dropped_settings() -> dict[str, str]:
    """Old-library settings that are set here but have no effect, with what replaced them.

    A name that is also a field of `ReactPySettings` is honoured, so never listed.
    """
    honoured = ReactPySettings.__dataclass_fields__
    return {
        name: why
        for name, why in _DROPPED.items()
        if hasattr(settings, name) and name.removeprefix(_PREFIX).lower() not in honoured
    }


@receiver(setting_changed)
def _clear_cache(*, setting: str, **kwargs: object) -> None:
    if setting.startswith(_PREFIX):
        reactpy_settings.cache_clear()
