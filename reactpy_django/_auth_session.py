"""Login and logout on a live connection: the connections of each browser session, the
switch to a new session, and the one-time tokens that move the cookie.

A live WebSocket cannot set cookies, so `use_auth().login` works in two steps. On the
WebSocket it logs the user in at once: a new session (a new key) is created and every
connection of the same browser session in this process is switched to it and re-rendered.
For the cookie it issues a one-time token, bound to the session the browser holds now; the
hidden auth manager of the caller's tree has the browser redeem it over HTTP
(`reactpy_django.auth_views.redeem_auth_token`), and that response sets the new cookie.
`logout` ends the old session on the server at once and moves the cookie the same way.

Connections reach this module through `_login_sync`, where `connect()` (run by the app's
`ready()`) registers `attach_connection`: the connection root never imports this module.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from channels.db import database_sync_to_async
from django.conf import settings
from django.contrib.auth import (
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    aget_user,
    user_logged_in,
    user_logged_out,
)
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.dispatch import Signal
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from reactpy_django import _login_sync, _session_sync
from reactpy_django._state import ConnectionState, connection_state
from reactpy_django.conf import reactpy_settings
from reactpy_django.models import AuthToken

__all__ = [
    "AuthLink",
    "attach_connection",
    "connect",
    "digest",
    "link_of",
    "login",
    "logout",
    "store_class",
]

logger: logging.Logger = logging.getLogger(__name__)

_EXTENSION = "reactpy_django.auth"
_MARKER = "_reactpy"  # the key `{% component %}` puts in every page's session


# --- The connections of each browser session (this process) ---------------------------------


@dataclass(eq=False, slots=True)
class AuthLink:
    """One mounted connection, as login sync sees it."""

    scope: MutableMapping[str, Any]
    """The connection's ASGI scope, whose `session` and `user` a login replaces."""
    state: ConnectionState
    """The connection's state: `live`, `rerender`, and its closers."""
    redeem: Callable[[str], None]
    """Have the browser redeem a token at this URL (renders the hidden HTTP request)."""
    session_key: str
    """The browser session the connection holds now (`""` when it has none)."""


_links: dict[str, set[AuthLink]] = {}
"""Live connections by the session key they carry; a login or logout moves them all."""


def _session_key(scope: MutableMapping[str, Any]) -> str:
    key = getattr(scope.get("session"), "session_key", None)
    return str(key) if key else ""


def attach_connection(
    scope: MutableMapping[str, Any], state: ConnectionState, redeem: Callable[[str], None]
) -> None:
    """Make this connection reachable by `use_auth` and by logins of its browser session,
    until it closes (idempotent: the root manager calls it on every render)."""
    if _EXTENSION in state.extensions or not state.live:
        return
    link = AuthLink(scope, state, redeem, _session_key(scope))
    state.extensions[_EXTENSION] = link
    if link.session_key:
        _add_link(link)
    state.closers.append(lambda: _unlink(link))


def _add_link(link: AuthLink) -> None:
    peers = _links.get(link.session_key)
    if peers is None:
        peers = _links[link.session_key] = set()
        _session_sync.join(link.session_key, _follow)  # hear of logins in other processes
    peers.add(link)


def _unlink(link: AuthLink) -> None:
    peers = _links.get(link.session_key)
    if peers is not None:
        peers.discard(link)
        if not peers:
            del _links[link.session_key]
            _session_sync.leave(link.session_key)


def link_of(scope: MutableMapping[str, Any], action: str) -> AuthLink:
    """This connection's link, for `use_auth().<action>`; an error says why there is none."""
    state = connection_state(scope)
    link = state.extensions.get(_EXTENSION)
    if not state.live:
        msg = (
            f"use_auth().{action} needs the component's WebSocket; it cannot run while "
            "prerendering."
        )
        raise RuntimeError(msg)
    if not isinstance(link, AuthLink):
        msg = (
            f"use_auth().{action} ran before the connection finished mounting; call it from "
            "an event handler or an effect."
        )
        raise RuntimeError(msg)
    return link


# --- Sessions and tokens ----------------------------------------------------------------------


def store_class() -> type[SessionBase]:
    """The `SessionStore` of the configured `SESSION_ENGINE`."""
    store: type[SessionBase] = import_module(settings.SESSION_ENGINE).SessionStore
    return store


def _require_server_side_sessions() -> None:
    if settings.SESSION_ENGINE == "django.contrib.sessions.backends.signed_cookies":
        msg = (
            "use_auth needs a server-side session engine, but SESSION_ENGINE keeps sessions in "
            "signed cookies, which a WebSocket cannot set. Use the db, cached_db, cache or file "
            "engine."
        )
        raise RuntimeError(msg)


def _new_session(data: dict[str, Any]) -> SessionBase:
    """A new, saved session (with a new key) holding `data`."""
    store = store_class()()
    store.update(data)
    store[_MARKER] = True
    store.create()
    return store


def digest(token: str) -> str:
    """Tokens are stored hashed: a leaked table row cannot be redeemed."""
    return hashlib.sha256(token.encode()).hexdigest()


def _issue_token(old_key: str, new_key: str, *, ending: bool) -> str:
    """A one-time token that moves a browser holding `old_key` to `new_key`.

    Tokens still waiting to move a browser to `old_key` are re-pointed to `new_key`, so two
    logins in a row land on the last one whichever token the browser redeems. `ending` (a
    logout) also deletes the old session and the sessions those tokens would replace.
    """
    db = reactpy_settings().database
    token = secrets.token_urlsafe(32)
    with transaction.atomic(using=db):
        pending = AuthToken.objects.using(db).select_for_update().filter(session_key=old_key)
        replaced = list(pending.values_list("previous_session_key", flat=True))
        pending.update(session_key=new_key)
        AuthToken.objects.using(db).create(
            value=digest(token),
            session_key=new_key,
            previous_session_key=old_key,
            created_at=timezone.now(),
        )
    if ending:
        store = store_class()()
        for key in {old_key, *replaced}:
            if key and key != new_key:
                store.delete(key)
    return token


def _token_url(token: str) -> str:
    try:
        return reverse("reactpy:auth", args=[token])
    except NoReverseMatch:
        return f"/{reactpy_settings().url_prefix}/auth/{token}/"


def _backend_for(user: AbstractBaseUser) -> str:
    configured = reactpy_settings().auth_backend
    if configured:
        return configured
    backend = getattr(user, "backend", None)
    if isinstance(backend, str) and backend:
        return backend
    backends: list[str] = list(settings.AUTHENTICATION_BACKENDS)
    if len(backends) == 1:
        return backends[0]
    msg = (
        f"Several AUTHENTICATION_BACKENDS are configured ({', '.join(backends)}): set "
        "REACTPY_AUTH_BACKEND to the one use_auth().login should record, or pass a user "
        "returned by authenticate() (it carries .backend)."
    )
    raise ValueError(msg)


def _notify(signal: Signal, user: AbstractBaseUser) -> None:
    """Send Django's `user_logged_in`/`user_logged_out` as its login()/logout() do."""
    signal.send(sender=user.__class__, request=None, user=user)  # pyright: ignore[reportUnknownMemberType]  # django-stubs types receivers as a bare Callable


def _begin_login(
    old_session: SessionBase | None, old_key: str, user: AbstractBaseUser, backend: str
) -> tuple[SessionBase, str | None]:
    """(sync) The logged-in session, and the token that moves the cookie to it."""
    user_pk = str(user.pk)
    user_hash = user.get_session_auth_hash()
    data: dict[str, Any] = {}
    if old_session is not None:
        old_data = dict(old_session.items())
        # As Django's login(): keep the session's data unless it belongs to another user.
        previous_pk = old_data.get(SESSION_KEY)
        if previous_pk is None or (
            str(previous_pk) == user_pk
            and constant_time_compare(str(old_data.get(HASH_SESSION_KEY, "")), user_hash)
        ):
            data = old_data
    data.update({SESSION_KEY: user_pk, BACKEND_SESSION_KEY: backend, HASH_SESSION_KEY: user_hash})
    store = _new_session(data)
    _notify(user_logged_in, user)
    new_key = str(store.session_key)
    token = _issue_token(old_key, new_key, ending=False) if old_key else None
    return store, token


def _begin_logout(old_key: str, user: object) -> tuple[SessionBase, str | None]:
    """(sync) A fresh anonymous session, and the token that moves the cookie to it."""
    if isinstance(user, AbstractBaseUser):
        _notify(user_logged_out, user)
    store = _new_session({})
    new_key = str(store.session_key)
    if not old_key:
        return store, None
    return store, _issue_token(old_key, new_key, ending=True)


async def _open_session(key: str) -> SessionBase:
    store = store_class()(key)
    await store.akeys()  # loads it now: components may read it without touching the database
    return store


async def _switch(
    origin: AuthLink,
    old_key: str,
    store: SessionBase,
    user: AbstractBaseUser | AnonymousUser,
    rerender: bool,
) -> None:
    """Move `origin` and every connection of its browser session to `store` and `user`."""
    new_key = str(store.session_key)
    peers: set[AuthLink] = _links.pop(old_key, set()) if old_key else set()
    _session_sync.leave(old_key)
    peers.discard(origin)
    _unlink(origin)
    for link in (origin, *peers):
        scope_user = user if isinstance(user, AbstractBaseUser) else AnonymousUser()
        moved = await _move(link, new_key, scope_user, store if link is origin else None)
        if moved and (link is not origin or rerender):
            link.state.rerender()
    _session_sync.publish(old_key, new_key)  # the same browser's connections elsewhere


async def _follow(old_key: str, new_key: str) -> None:
    """Another process logged the browser session `old_key` in or out: move its connections
    in this process to `new_key` (and that session's user) and re-render them."""
    peers = _links.pop(old_key, set())
    _session_sync.leave(old_key)
    if not peers:
        return
    request = HttpRequest()  # Django's aget_user reads (and checks) only its session
    request.session = await _open_session(new_key)
    user = await aget_user(request)
    for link in peers:
        if await _move(link, new_key, user):
            link.state.rerender()


async def _move(
    link: AuthLink,
    new_key: str,
    user: AbstractBaseUser | AnonymousUser,
    session: SessionBase | None = None,
) -> bool:
    """Point `link`'s scope at the browser session `new_key` (`session` when already open) and
    at `user`, and file it under that key. False, and `link` left as it was, when the session
    cannot be opened or the connection has closed meanwhile."""
    if session is None:
        try:
            session = await _open_session(new_key)
        except Exception:
            logger.exception("Could not move a connection to its new session.")
            return False
    if not link.state.live:
        return False
    link.scope["session"] = session
    link.scope["user"] = user
    link.session_key = new_key
    _add_link(link)
    return True


def _deliver(link: AuthLink, token: str | None, action: str) -> None:
    if token is None:
        logger.warning(
            "use_auth().%s changed this WebSocket only: the page has no session cookie, so a "
            "reload forgets it. Pages with components get one through {%% component %%} when "
            "SessionMiddleware is in MIDDLEWARE.",
            action,
        )
        return
    link.redeem(_token_url(token))


async def login(link: AuthLink, user: AbstractBaseUser, rerender: bool) -> None:
    """Log `user` in on this connection and its browser session's, then move the cookie."""
    if getattr(user, "pk", None) is None:  # AnonymousUser, or a user never saved
        msg = f"use_auth().login needs a saved user of the user model, not {user!r}."
        raise TypeError(msg)
    _require_server_side_sessions()
    backend = _backend_for(user)
    old_key = link.session_key
    old_session = link.scope.get("session")
    store, token = await database_sync_to_async(_begin_login)(
        old_session if isinstance(old_session, SessionBase) else None, old_key, user, backend
    )
    await _switch(link, old_key, store, user, rerender)
    _deliver(link, token, "login")


async def logout(link: AuthLink, rerender: bool) -> None:
    """Log this connection's browser session out, then move the cookie to a fresh session."""
    _require_server_side_sessions()
    old_key = link.session_key
    store, token = await database_sync_to_async(_begin_logout)(old_key, link.scope.get("user"))
    await _switch(link, old_key, store, AnonymousUser(), rerender)
    _deliver(link, token, "logout")


def connect() -> None:
    """Register `attach_connection` with the connection root (the app's `ready()` calls it)."""
    _login_sync.register(attach_connection)
