"""System checks (`manage.py check`): every misconfiguration gets a message naming the fix."""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register
from django.urls import NoReverseMatch, reverse

from reactpy_django._compat_checks import check_other_distribution
from reactpy_django._gc import is_valid_threshold
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
    threshold = config.gc_threshold
    if not is_valid_threshold(threshold):
        messages.append(
            Error(
                f"REACTPY_GC_THRESHOLD is {threshold!r}: it must be a whole number of objects "
                "above 0, or None.",
                hint="Use e.g. REACTPY_GC_THRESHOLD = 20_000 (the default), or None to keep "
                "Python's garbage collector thresholds.",
                id="reactpy_django.E031",
            )
        )
    template = getattr(settings, "REACTPY_DEFAULT_FORM_TEMPLATE", None)  # any value may be set
    if template is not None and (not isinstance(template, str) or not template):
        messages.append(
            Error(
                f"REACTPY_DEFAULT_FORM_TEMPLATE is {template!r}: it must be a template name "
                "(a non-empty string) or None.",
                hint='Use e.g. REACTPY_DEFAULT_FORM_TEMPLATE = "django/forms/div.html", or '
                "None to render each form with its own template.",
                id="reactpy_django.E061",
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
    """Each channel layer's Redis socket timeout against its blocking read, or a warning
    that the layer could not be inspected; never an exception out of `manage.py check`."""
    from channels.layers import channel_layers

    messages: list[CheckMessage] = []
    for alias in sorted(channel_layers.configs):
        try:
            layer: object = channel_layers[alias]
        except Exception:  # a broken config: _check_channel_layers reports it (E024)
            continue
        try:
            messages.extend(_socket_timeout_warnings(alias, layer))
        except Exception as error:
            backend = channel_layers.configs[alias].get("BACKEND")
            messages.append(
                Warning(
                    f"CHANNEL_LAYERS[{alias!r}] ({backend}) could not be inspected "
                    f"({type(error).__name__}: {error}), so its Redis settings were not checked.",
                    hint=f'Check CHANNEL_LAYERS[{alias!r}]["CONFIG"] against the backend\'s '
                    'documentation (e.g. each "hosts" entry takes redis-py connection options '
                    "only); the layer itself may fail the same way when a component uses it.",
                    id="reactpy_django.W008",
                )
            )
    return messages


def _socket_timeout_warnings(alias: str, layer: object) -> list[CheckMessage]:
    # channels_redis' RedisChannelLayer waits on Redis in blocking reads of `brpop_timeout`
    # seconds; a socket timeout not well above that (redis-py 8's default equals it) makes
    # idle receivers fail every few seconds. Attributes are read with `getattr_static`: other
    # layers may build themselves on attribute access (channels_redis' RedisPubSubChannelLayer
    # makes a layer per running event loop, and raises outside one). Its reads poll with a
    # short timeout of their own, so the socket timeout does not matter there.
    blocking: object = inspect.getattr_static(layer, "brpop_timeout", None)
    create_pool: object = inspect.getattr_static(type(layer), "create_pool", None)
    if not isinstance(blocking, int | float) or create_pool is None:
        return []
    ring_size: object = inspect.getattr_static(layer, "ring_size", 1)
    redis_layer: Any = layer  # channels_redis is untyped
    for index in range(ring_size if isinstance(ring_size, int) else 1):
        pool = redis_layer.create_pool(index)
        timeout: object = pool.connection_class(**pool.connection_kwargs).socket_timeout
        if isinstance(timeout, int | float) and timeout < 2 * blocking:
            return [
                Warning(
                    f"CHANNEL_LAYERS[{alias!r}] reads Redis with a {timeout}s socket timeout, "
                    f"not above the layer's {blocking}s blocking read: idle "
                    "use_channel_layer receivers and consumers fail every few seconds.",
                    hint=f"Give each host socket_timeout >= {2 * blocking} (or None), e.g. "
                    '"hosts": [{"address": "redis://127.0.0.1:6379/0", "socket_timeout": '
                    f"{max(10, 2 * blocking)}}}].",
                    id="reactpy_django.W007",
                )
            ]
    return []


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


def _route_reachable(app: object) -> bool | None:
    """Whether `REACTPY_WEBSOCKET_ROUTE` is served by `app`; `None` when a wrapper that is
    not one of Channels' own hides what it wraps (a closure), so nobody can tell."""
    if _chains_to_route(app):
        return True
    stack: list[tuple[object, int]] = [(app, 0)]
    seen: set[int] = set()
    while stack:
        node, depth = stack.pop()
        if id(node) in seen or depth > _MAX_DEPTH:
            continue
        seen.add(id(node))
        if getattr(node, "consumer_class", None) is not None:
            continue  # another consumer: a leaf
        children = _children(node)
        known_leaf = hasattr(node, "application_mapping") or hasattr(node, "routes")
        if not children and not known_leaf:
            return None
        stack.extend((child, depth + 1) for child in children)
    return False


def _check_asgi_setup() -> list[CheckMessage]:
    """ASGI_APPLICATION set, importable, and serving the ReactPy route."""
    from django.utils.module_loading import import_string

    path: object = getattr(settings, "ASGI_APPLICATION", None)
    route = "URLRouter([REACTPY_WEBSOCKET_ROUTE])"
    if not isinstance(path, str) or not path:
        return [
            Warning(
                "ASGI_APPLICATION is not set: `manage.py runserver` (with daphne) serves no "
                "WebSockets, so components never connect, and these checks cannot inspect "
                "your asgi.py.",
                hint='Set ASGI_APPLICATION = "<project>.asgi.application", an application that '
                f'routes "websocket" to AllowedHostsOriginValidator(AuthMiddlewareStack({route})).',
                id="reactpy_django.W020",
            )
        ]
    try:
        application: object = import_string(path)
    except Exception as error:
        return [
            Warning(
                f"ASGI_APPLICATION {path!r} cannot be imported ({type(error).__name__}: {error}).",
                hint="Fix the dotted path in ASGI_APPLICATION or the import error in that module.",
                id="reactpy_django.W022",
            )
        ]
    if _route_reachable(application) is False:
        return [
            Warning(
                f"{path} does not serve REACTPY_WEBSOCKET_ROUTE: every component's WebSocket "
                "is refused, so pages show only their prerendered HTML.",
                hint='In asgi.py, route "websocket" to AllowedHostsOriginValidator('
                f"AuthMiddlewareStack({route})) (from reactpy_django import "
                "REACTPY_WEBSOCKET_ROUTE).",
                id="reactpy_django.W021",
            )
        ]
    return []


def _check_channel_layers() -> list[CheckMessage]:
    """Every CHANNEL_LAYERS entry can be built; the refetch layer exists."""
    from channels.layers import channel_layers

    messages: list[CheckMessage] = []
    configured = sorted(channel_layers.configs)
    for alias in configured:
        try:
            channel_layers[alias]
        except Exception as error:
            messages.append(
                Error(
                    f"CHANNEL_LAYERS[{alias!r}] cannot be built ({type(error).__name__}: "
                    f"{error}): use_channel_layer and cross-process refetch fail on it.",
                    hint='Fix its "BACKEND" and "CONFIG", e.g. {"BACKEND": '
                    '"channels.layers.InMemoryChannelLayer"} for one process, or '
                    '"channels_redis.core.RedisChannelLayer" with "CONFIG": {"hosts": [...]} '
                    "for several.",
                    id="reactpy_django.E024",
                )
            )
    refetch = reactpy_settings().refetch_layer
    if refetch is not None and refetch not in configured:
        messages.append(
            Warning(
                f"REACTPY_REFETCH_LAYER names {refetch!r}, which is not in CHANNEL_LAYERS "
                f"(it has {configured}): refetches and logins reach no other server process, "
                f"and use_channel_layer(layer={refetch!r}) raises.",
                hint=f"Add CHANNEL_LAYERS = {{{refetch!r}: {{...}}}} (InMemoryChannelLayer for "
                "one process, channels_redis' RedisChannelLayer for several), or set "
                "REACTPY_REFETCH_LAYER = None if this site runs in one process and never uses "
                "use_channel_layer.",
                id="reactpy_django.W023",
            )
        )
    return messages


_SESSION_MIDDLEWARE = "django.contrib.sessions.middleware.SessionMiddleware"


def _check_sessions() -> list[CheckMessage]:
    """The session engine is importable, its cache or database usable, its middleware on."""
    from importlib import import_module

    from django.contrib.sessions.backends.base import SessionBase

    engine = str(settings.SESSION_ENGINE)
    messages: list[CheckMessage] = []
    if _SESSION_MIDDLEWARE not in settings.MIDDLEWARE:
        messages.append(
            Error(
                "SessionMiddleware is not in MIDDLEWARE: pages get no session, so a "
                "{% component %} with arguments cannot render and use_auth logins cannot reach "
                "the browser.",
                hint=f'Add "{_SESSION_MIDDLEWARE}" to MIDDLEWARE (before '
                "AuthenticationMiddleware).",
                id="reactpy_django.E028",
            )
        )
    try:
        store: object = getattr(import_module(engine), "SessionStore", None)
    except ImportError as error:
        store = error
    if not (isinstance(store, type) and issubclass(store, SessionBase)):
        messages.append(
            Error(
                f"SESSION_ENGINE {engine!r} has no SessionStore class to import ({store}).",
                hint='Use a server-side engine such as "django.contrib.sessions.backends.db".',
                id="reactpy_django.E030",
            )
        )
        return messages
    from django.contrib.sessions.backends import cache, cached_db, db

    if issubclass(store, db.SessionStore) and not _installed("django.contrib.sessions"):
        messages.append(
            Error(
                f"SESSION_ENGINE {engine!r} stores sessions in the database, but "
                '"django.contrib.sessions" is not in INSTALLED_APPS: no session can be saved.',
                hint='Add "django.contrib.sessions" to INSTALLED_APPS and run migrate.',
                id="reactpy_django.E029",
            )
        )
    if issubclass(store, cache.SessionStore | cached_db.SessionStore):
        cache_only = issubclass(store, cache.SessionStore)
        messages.extend(_check_session_cache(engine, cache_only=cache_only))
    return messages


def _installed(app: str) -> bool:
    from django.apps import apps

    return apps.is_installed(app)


def _check_session_cache(engine: str, *, cache_only: bool) -> list[CheckMessage]:
    """The cache a cache-backed session engine uses: configured, real, and answering."""
    from uuid import uuid4

    from django.core.cache import caches
    from django.core.cache.backends.dummy import DummyCache

    alias = str(getattr(settings, "SESSION_CACHE_ALIAS", "default"))
    if alias not in settings.CACHES:
        return [
            Error(
                f"SESSION_ENGINE {engine!r} keeps sessions in the cache {alias!r} "
                f"(SESSION_CACHE_ALIAS), which is not in CACHES: no session can be saved.",
                hint=f"Add {alias!r} to CACHES, or set SESSION_CACHE_ALIAS to one of "
                f"{sorted(settings.CACHES)}.",
                id="reactpy_django.E025",
            )
        ]
    try:
        backend = caches[alias]
        if isinstance(backend, DummyCache):
            if not cache_only:
                return []  # cached_db still stores every session in the database
            return [
                Error(
                    f"SESSION_ENGINE {engine!r} keeps sessions in CACHES[{alias!r}], a "
                    "DummyCache that stores nothing: every session is lost at once, so "
                    "logins never persist and component arguments are refused.",
                    hint=f"Give CACHES[{alias!r}] a real backend (Redis, Memcached, database), "
                    'or use SESSION_ENGINE = "django.contrib.sessions.backends.db".',
                    id="reactpy_django.E026",
                )
            ]
        key = f"reactpy_django.check.{uuid4().hex}"
        backend.set(key, "ok", 30)
        answer: object = backend.get(key)
        backend.delete(key)
    except Exception as error:
        answer = f"{type(error).__name__}: {error}"
    if answer != "ok":
        return [
            Warning(
                f"CACHES[{alias!r}], where SESSION_ENGINE {engine!r} keeps sessions, failed "
                f"a set/get round trip ({answer!r}): sessions, logins and component arguments "
                "fail with it.",
                hint=f"Check that CACHES[{alias!r}]'s server is running and its LOCATION is "
                "right (a database cache needs `manage.py createcachetable`).",
                id="reactpy_django.W027",
            )
        ]
    return []


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
        *_check_asgi_setup(),
        *_check_channel_layers(),
        *_check_sessions(),
        *check_other_distribution(),
    ]


def register_all() -> None:
    """Register the checks with Django (once)."""
    global _registered
    if not _registered:
        register(reactpy_checks, "reactpy_django")
        _registered = True
