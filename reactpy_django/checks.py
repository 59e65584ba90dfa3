"""System checks (`manage.py check`): every misconfiguration gets a message naming the fix."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register
from django.urls import NoReverseMatch, reverse

from reactpy_django.conf import dropped_settings, reactpy_settings
from reactpy_django.registry import failed_paths

__all__ = ["register_all"]

_registered = False


def _check_client_bundle() -> list[CheckMessage]:
    bundle = Path(__file__).parent / "static" / "reactpy_django" / "client.js"
    if not bundle.is_file():
        return [
            Error(
                "The ReactPy browser client (static/reactpy_django/client.js) is missing.",
                hint="Reinstall reactpy_django, or build it: cd js && npm ci && npm run build.",
                id="reactpy_django.E001",
            )
        ]
    return []


def _check_urls() -> list[CheckMessage]:
    try:
        reverse("reactpy:web_modules", args=["x.js"])
    except NoReverseMatch:
        return [
            Warning(
                "reactpy_django's HTTP views are not in your URLconf: logins cannot persist and "
                "web modules cannot load.",
                hint='Add path("reactpy/", include("reactpy_django.http.urls")) to urlpatterns.',
                id="reactpy_django.W001",
            )
        ]
    return []


def _check_settings() -> list[CheckMessage]:
    messages: list[CheckMessage] = []
    for name, replacement in dropped_settings().items():
        messages.append(
            Warning(
                f"{name} has no effect in this ReactPy integration.",
                hint=f"Remove it: {replacement}.",
                id="reactpy_django.W002",
            )
        )
    config = reactpy_settings()
    if config.database not in settings.DATABASES:
        messages.append(
            Error(
                f"REACTPY_DATABASE names {config.database!r}, which is not in DATABASES.",
                hint=f"Use one of {sorted(settings.DATABASES)} or add that alias to DATABASES.",
                id="reactpy_django.E002",
            )
        )
    for path, reason in failed_paths().items():
        messages.append(
            Error(
                f"Component {path!r}, named in a template, cannot be imported: {reason}",
                hint="Fix the dotted path in the {% component %} tag or the module's import.",
                id="reactpy_django.E004",
            )
        )
    return messages


def _check_session_engine() -> list[CheckMessage]:
    if settings.SESSION_ENGINE == "django.contrib.sessions.backends.signed_cookies":
        return [
            Error(
                "SESSION_ENGINE keeps sessions in signed cookies, which a WebSocket cannot set: "
                "use_auth logins cannot persist and component arguments cannot be bound.",
                hint="Use a server-side engine: django.contrib.sessions.backends.db (the "
                "default), cached_db, cache or file.",
                id="reactpy_django.E005",
            )
        ]
    return []


def _check_redis_layers() -> list[CheckMessage]:
    # channels_redis' RedisChannelLayer waits on Redis in blocking reads of `brpop_timeout`
    # seconds; a socket timeout not well above that (redis-py 8's default equals it) makes
    # idle receivers fail every few seconds.
    from channels.layers import channel_layers

    messages: list[CheckMessage] = []
    for alias in sorted(channel_layers.configs):
        try:
            layer: Any = channel_layers[alias]
        except Exception:  # a broken config: Channels reports it when the layer is used
            continue
        blocking: object = getattr(layer, "brpop_timeout", None)
        if not isinstance(blocking, int | float) or not hasattr(layer, "create_pool"):
            continue
        for index in range(int(getattr(layer, "ring_size", 1))):
            pool = layer.create_pool(index)
            timeout: object = pool.connection_class(**pool.connection_kwargs).socket_timeout
            if isinstance(timeout, int | float) and timeout < 2 * blocking:
                messages.append(
                    Warning(
                        f"CHANNEL_LAYERS[{alias!r}] reads Redis with a {timeout}s socket timeout, "
                        f"not above the layer's {blocking}s blocking read: idle "
                        "use_channel_layer receivers and consumers fail every few seconds.",
                        hint=f"Give each host socket_timeout >= {2 * blocking} (or None), e.g. "
                        '"hosts": [{"address": "redis://127.0.0.1:6379/0", "socket_timeout": '
                        f"{max(10, 2 * blocking)}}}].",
                        id="reactpy_django.W007",
                    )
                )
                break
    return messages


_MAX_DEPTH = 32


def _children(app: object) -> list[object]:
    """What an ASGI application wraps, as far as Channels' own classes show it."""
    mapping = getattr(app, "application_mapping", None)
    if isinstance(mapping, dict):  # ProtocolTypeRouter: only the WebSocket side matters
        websocket: object = mapping.get("websocket")  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]  # an untyped dict of applications
        return [] if websocket is None else [websocket]
    routes = getattr(app, "routes", None)
    if isinstance(routes, list | tuple):  # URLRouter: its routes' applications
        return [route for route in routes]  # pyright: ignore[reportUnknownVariableType]  # untyped routes
    found: list[object] = []
    for name in ("callback", "application", "inner", "app"):
        child: object = getattr(app, name, None)
        if child is not None:
            found.append(child)
    return found


def _chains_to_route(app: object) -> list[list[object]]:
    """Every chain of wrappers from `app` down to `REACTPY_WEBSOCKET_ROUTE`'s consumer."""
    from reactpy_django.consumer import ReactpyAsyncWebsocketConsumer

    chains: list[list[object]] = []
    stack: list[tuple[object, list[object]]] = [(app, [])]
    seen: set[int] = set()
    while stack:
        node, chain = stack.pop()
        if id(node) in seen or len(chain) > _MAX_DEPTH:
            continue
        seen.add(id(node))
        consumer: object = getattr(node, "consumer_class", None)
        if isinstance(consumer, type) and issubclass(consumer, ReactpyAsyncWebsocketConsumer):
            chains.append(chain)
            continue
        stack.extend((child, [*chain, node]) for child in _children(node))
    return chains


def _check_asgi_application() -> list[CheckMessage]:
    """Warn when the ASGI application serves the ReactPy route without an origin check."""
    path: object = getattr(settings, "ASGI_APPLICATION", None)
    if not isinstance(path, str) or not path:
        return []
    try:
        from channels.security.websocket import OriginValidator
        from channels.sessions import SessionMiddleware
        from django.utils.module_loading import import_string

        chains = _chains_to_route(import_string(path))
    except Exception:  # best effort: an unimportable application is reported when served
        return []
    messages: list[CheckMessage] = []
    wrapped = (
        "AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter([REACTPY_WEBSOCKET_ROUTE])))"
    )
    if any(not any(isinstance(app, OriginValidator) for app in chain) for chain in chains):
        messages.append(
            Warning(
                f"{path} serves REACTPY_WEBSOCKET_ROUTE without checking the WebSocket's Origin: "
                "any website can open your components with a visitor's cookies (cross-site "
                "WebSocket hijacking).",
                hint=f'In asgi.py, route "websocket" to {wrapped} '
                "(from channels.security.websocket import AllowedHostsOriginValidator).",
                id="reactpy_django.W010",
            )
        )
    if any(not any(isinstance(app, SessionMiddleware) for app in chain) for chain in chains):
        messages.append(
            Warning(
                f"{path} serves REACTPY_WEBSOCKET_ROUTE without Channels' session middleware: "
                "components given arguments refuse to mount and no component sees the user.",
                hint=f'In asgi.py, route "websocket" to {wrapped} '
                "(from channels.auth import AuthMiddlewareStack).",
                id="reactpy_django.W011",
            )
        )
    return messages


def reactpy_checks(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """All of this package's system checks."""
    return [
        *_check_client_bundle(),
        *_check_urls(),
        *_check_settings(),
        *_check_session_engine(),
        *_check_redis_layers(),
        *_check_asgi_application(),
    ]


def register_all() -> None:
    """Register the checks with Django (once)."""
    global _registered
    if not _registered:
        register(reactpy_checks, "reactpy_django")
        _registered = True
