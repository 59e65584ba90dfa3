"""`{% load reactpy %}` and `{% component "dotted.path" arg key=value %}`."""

from __future__ import annotations

import inspect
import itertools
import logging
from typing import Any
from uuid import uuid4

from django import template
from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from reactpy_django.arguments import save_arguments
from reactpy_django.conf import reactpy_settings
from reactpy_django.exceptions import (
    ComponentCarrierError,
    ComponentDoesNotExistError,
    ComponentParamError,
    InvalidHostError,
    OfflineComponentMissingError,
)
from reactpy_django.prerender import prerender_component
from reactpy_django.registry import get_component, register_component
from reactpy_django.routing import websocket_path

__all__ = ["component"]

register: template.Library = template.Library()
logger: logging.Logger = logging.getLogger(__name__)
_host_cycle: itertools.cycle[str] | None = None
_hosts_seen: tuple[str, ...] = ()


class ComponentTagError(Exception):
    """A `{% component %}` tag that cannot render; the message names the fix."""


def _next_host() -> str | None:
    global _host_cycle, _hosts_seen
    hosts = reactpy_settings().default_hosts
    if not hosts:
        return None
    if _host_cycle is None or hosts != _hosts_seen:
        _host_cycle, _hosts_seen = itertools.cycle(hosts), hosts
    return next(_host_cycle)


def _truthy(value: object) -> bool:
    return value is True or str(value).lower() in ("true", "1", "yes")


def _session_key(request: HttpRequest | None) -> str:
    session = getattr(request, "session", None)
    if session is None:
        msg = (
            "Component arguments are bound to the page's session: add "
            "'django.contrib.sessions.middleware.SessionMiddleware' to MIDDLEWARE and "
            "'django.template.context_processors.request' to your template context processors."
        )
        raise ComponentTagError(msg)
    if not session.get("_reactpy"):
        session["_reactpy"] = True  # marks the session modified, so its cookie is sent
    if session.session_key is None:
        session.save()
    return str(session.session_key)


def _web_modules_path() -> str:
    try:
        return reverse("reactpy:web_modules", args=["x"])[:-1]
    except NoReverseMatch:
        return f"/{reactpy_settings().url_prefix}/web_module/"


@register.simple_tag(takes_context=True)
def component(
    context: template.Context,
    dotted_path: str,
    *args: Any,
    host: str | None = None,
    prerender: str | bool | None = None,
    offline: str = "",
    **kwargs: Any,
) -> SafeString:
    """Mount the component at `dotted_path` here, with these arguments.

    Options: `host="host:port"` serves the WebSocket from another host; `prerender="true"`
    puts the first render's HTML in the page; `offline="dotted.path"` is shown while
    disconnected; `class="..."` styles the mount point.
    """
    request = context.get("request")
    if not isinstance(request, HttpRequest):
        request = None
    css_class = str(kwargs.pop("class", ""))
    try:
        return _render(dotted_path, args, kwargs, request, host, prerender, offline, css_class)
    except Exception as error:
        logger.exception("{%% component %r %%} failed to render.", dotted_path)
        if settings.DEBUG:
            return mark_safe(f"<pre>{escape(type(error).__name__)}: {escape(str(error))}</pre>")
        return mark_safe("")


def _render(
    dotted_path: str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    request: HttpRequest | None,
    host: str | None,
    prerender: str | bool | None,
    offline: str,
    css_class: str,
) -> SafeString:
    config = reactpy_settings()
    constructor = get_component(dotted_path)
    if constructor is None:
        register_component(dotted_path)
        constructor = get_component(dotted_path)
    assert constructor is not None
    try:
        inspect.signature(constructor).bind(*args, **kwargs)
    except TypeError as error:
        msg = f"Arguments do not fit {dotted_path!r}: {error}"
        raise ComponentParamError(msg) from None
    except ValueError:  # no signature to check (a builtin or C callable)
        pass
    uuid = str(uuid4())
    has_args = bool(args or kwargs)
    if has_args:
        save_arguments(uuid, dotted_path, _session_key(request), args, kwargs)
    elif getattr(request, "session", None) is not None:
        _session_key(request)  # every page gets a session cookie, for use_auth's login token
    host = host or _next_host()
    if host is not None and "://" in host:
        msg = (
            f"The WebSocket host {host!r} starts with a scheme; give only the host and port "
            f"(e.g. {host.split('://', 1)[1]!r}): the page picks ws:// or wss:// itself."
        )
        raise InvalidHostError(msg)
    do_prerender = config.prerender if prerender is None else _truthy(prerender)
    prerendered = ""
    if do_prerender:
        if request is None:
            msg = "prerender needs the request: add 'django.template.context_processors.request'."
            raise ComponentCarrierError(msg)
        prerendered = prerender_component(constructor(*args, **kwargs), request, uuid)
    offline_html = ""
    if offline:
        offline_constructor = get_component(offline)
        if offline_constructor is None:
            try:
                offline_constructor = get_component(register_component(offline))
            except ComponentDoesNotExistError as error:
                raise OfflineComponentMissingError(str(error)) from error
        assert offline_constructor is not None
        if request is not None:
            offline_html = prerender_component(offline_constructor(), request, uuid)
    mount_id = f"reactpy-{uuid}"
    client_config = {
        "mountId": mount_id,
        "wsPath": websocket_path(dotted_path, uuid, has_args),
        "host": host,
        "webModulesPath": _web_modules_path(),
        "prerenderId": f"{mount_id}-prerender" if prerendered else None,
        "offlineId": f"{mount_id}-offline" if offline else None,
        "reconnect": {
            "interval": config.reconnect_interval,
            "maxInterval": config.reconnect_max_interval,
            "maxRetries": config.reconnect_max_retries,
            "backoffMultiplier": config.reconnect_backoff_multiplier,
        },
    }
    return render_to_string(
        "reactpy/component.html",
        {
            "mount_id": mount_id,
            "css_class": css_class,
            "config": client_config,
            "config_id": f"{mount_id}-config",
            "client_url": static("reactpy_django/client.js"),
            "prerendered": mark_safe(prerendered),
            "offline_html": mark_safe(offline_html),
            "has_offline": bool(offline),
        },
    )
