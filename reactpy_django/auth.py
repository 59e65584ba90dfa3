"""`use_user`, `use_auth` and `use_user_data`: the connection's user, login, per-user data.

A live WebSocket cannot set cookies, so `use_auth().login` works in two steps. On the
WebSocket it logs the user in at once: a new session (a new key) is created and every
connection of the same browser session in this process is switched to it and re-rendered.
For the cookie it issues a one-time token, bound to the session the browser holds now; the
hidden auth manager of the caller's tree has the browser redeem it over HTTP
(`reactpy_django.auth_views.redeem_auth_token`), and that response sets the new cookie.
`logout` ends the old session on the server at once and moves the cookie the same way.
"""

from __future__ import annotations

import hashlib
import inspect
import logging
import math
import secrets
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING, Any

from channels.db import database_sync_to_async
from django.conf import settings
from django.contrib.auth import (
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    aget_user,
    get_user_model,
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

from reactpy_django import _session_sync
from reactpy_django._executor import is_async, run_sync
from reactpy_django._json import is_dict, is_object, is_sequence
from reactpy_django._state import ConnectionState, connection_state
from reactpy_django.conf import reactpy_settings
from reactpy_django.connection import use_connection
from reactpy_django.exceptions import UserNotFoundError
from reactpy_django.models import AuthToken, UserDataModel
from reactpy_django.mutation import use_mutation
from reactpy_django.query import use_query
from reactpy_django.types import UseAuthTuple, UserData, UserDataDict

if TYPE_CHECKING:
    # django-stubs' name for "the project's user model or AnonymousUser": mypy's Django plugin
    # resolves it to AUTH_USER_MODEL, as it does for `HttpRequest.user`.
    from django.contrib.auth.models import _AnyUser

__all__ = ["use_auth", "use_user", "use_user_data"]

logger: logging.Logger = logging.getLogger(__name__)

_EXTENSION = "reactpy_django.auth"
_MARKER = "_reactpy"  # the key `{% component %}` puts in every page's session


def use_user() -> _AnyUser:
    """The connection's user: a user of the project's user model, or an `AnonymousUser`
    when logged out. After `use_auth().login`/`logout` it is the new user.

    Raises `reactpy_django.exceptions.UserNotFoundError` when the connection carries no user
    (the WebSocket route lacks `AuthMiddlewareStack`, or the request `AuthenticationMiddleware`).

    Returns:
        AbstractBaseUser | AnonymousUser: The connection's user.
    """
    connection = use_connection()
    user = connection.scope.get("user")
    if user is None:
        if isinstance(connection.carrier, HttpRequest):
            msg = (
                "No user on this request: add "
                "'django.contrib.auth.middleware.AuthenticationMiddleware' to MIDDLEWARE."
            )
        else:
            msg = (
                "No user on this connection: wrap the WebSocket route in Channels' "
                "AuthMiddlewareStack in asgi.py: "
                "AuthMiddlewareStack(URLRouter([REACTPY_WEBSOCKET_ROUTE]))."
            )
        raise UserNotFoundError(msg)
    if not isinstance(user, (get_user_model(), AnonymousUser)):
        msg = (
            f"scope['user'] is a {type(user).__name__}, neither the user model "
            "(AUTH_USER_MODEL) nor an AnonymousUser: check the authentication backends."
        )
        raise TypeError(msg)
    return user


def use_auth() -> UseAuthTuple:
    """Persistent `login(user, rerender=True)` and `logout(rerender=True)` coroutines.

    Both change the user of this connection and of every other connection of the same
    browser session at once (those always re-render; this tree re-renders if `rerender`).
    The browser then redeems a one-time token over HTTP to receive the new session cookie,
    so a page reload keeps the login (or logout). Needs Channels' `AuthMiddlewareStack` and
    a server-side `SESSION_ENGINE` (database, cache or file).

    Returns:
        UseAuthTuple: A named tuple of the `login(user, rerender=True)` and
            `logout(rerender=True)` coroutines.
    """
    scope = use_connection().scope

    async def login(user: AbstractBaseUser, rerender: bool = True) -> None:
        await _login(_link_of(scope, "login"), user, rerender)

    async def logout(rerender: bool = True) -> None:
        await _logout(_link_of(scope, "logout"), rerender)

    return UseAuthTuple(login, logout)


def use_user_data(
    default_data: Mapping[str, object] | None = None, save_default_data: bool = False
) -> UserData:
    """The connection's user's stored data (a JSON object in `REACTPY_DATABASE`) and a
    mutation that replaces it: `query, mutation = use_user_data()`.

    `query.data` is `None` for an anonymous user (and while loading), else a plain dict, empty
    (so falsy) while nothing is stored, as in reactpy-django 5.2.1: test "loaded" with
    `query.data is not None` and "nothing stored" with `not query.data`. `default_data` gives
    `{key: value}` for keys not stored; a value may be a sync or async function computing
    it. `save_default_data=True` stores those missing defaults.

    `mutation(new_dict)` replaces the whole dict in one atomic write, then every mounted
    `use_user_data` of that user refetches (other processes too, through the refetch
    layer). A value JSON cannot store (a set, a datetime, NaN, a non-string key) is refused
    with an error naming it, as is a write by an anonymous user; the stored data stays as
    it was and `mutation.error` says why.

    Args:
        default_data: `{key: value}` pairs used for keys not stored yet; a value may be a sync
            or async function that computes it.
        save_default_data: Whether missing defaults are written to the database.

    Returns:
        UserData: A named tuple `(query, mutation)`: `query.data` is the user's dict (`None`
            when anonymous or loading); `mutation(new_dict)` replaces it.
    """
    user = use_user()
    state = connection_state(use_connection().scope)
    user_pk = str(user.pk) if user.is_authenticated else None
    query = use_query(
        _user_data_query(user_pk, state),
        {"defaults": _Defaults(default_data or {}), "save": save_default_data},
        postprocessor=None,
    )
    mutation = use_mutation(_user_data_writer(user_pk), refetch=_user_data_query(user_pk, state))
    return UserData(query, mutation)


# --- The connections of each browser session (this process) ---------------------------------


@dataclass(eq=False, slots=True)
class _AuthLink:
    """One mounted connection, as login sync sees it."""

    scope: MutableMapping[str, Any]
    state: ConnectionState
    redeem: Callable[[str], None]
    """Have the browser redeem a token at this URL (renders the hidden HTTP request)."""
    session_key: str


_links: dict[str, set[_AuthLink]] = {}
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
    link = _AuthLink(scope, state, redeem, _session_key(scope))
    state.extensions[_EXTENSION] = link
    if link.session_key:
        _add_link(link)
    state.closers.append(lambda: _unlink(link))


def _add_link(link: _AuthLink) -> None:
    peers = _links.get(link.session_key)
    if peers is None:
        peers = _links[link.session_key] = set()
        _session_sync.join(link.session_key, _follow)  # hear of logins in other processes
    peers.add(link)


def _unlink(link: _AuthLink) -> None:
    peers = _links.get(link.session_key)
    if peers is not None:
        peers.discard(link)
        if not peers:
            del _links[link.session_key]
            _session_sync.leave(link.session_key)


def _link_of(scope: MutableMapping[str, Any], action: str) -> _AuthLink:
    state = connection_state(scope)
    link = state.extensions.get(_EXTENSION)
    if not state.live:
        msg = (
            f"use_auth().{action} needs the component's WebSocket; it cannot run while "
            "prerendering."
        )
        raise RuntimeError(msg)
    if not isinstance(link, _AuthLink):
        msg = (
            f"use_auth().{action} ran before the connection finished mounting; call it from "
            "an event handler or an effect."
        )
        raise RuntimeError(msg)
    return link


# --- Sessions and tokens ----------------------------------------------------------------------


def _store_class() -> type[SessionBase]:
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
    store = _store_class()()
    store.update(data)
    store[_MARKER] = True
    store.create()
    return store


def _digest(token: str) -> str:
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
            value=_digest(token),
            session_key=new_key,
            previous_session_key=old_key,
            created_at=timezone.now(),
        )
    if ending:
        store = _store_class()()
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
    store = _store_class()(key)
    await store.akeys()  # loads it now: components may read it without touching the database
    return store


async def _switch(
    origin: _AuthLink,
    old_key: str,
    store: SessionBase,
    user: AbstractBaseUser | AnonymousUser,
    rerender: bool,
) -> None:
    """Move `origin` and every connection of its browser session to `store` and `user`."""
    new_key = str(store.session_key)
    peers: set[_AuthLink] = _links.pop(old_key, set()) if old_key else set()
    _session_sync.leave(old_key)
    peers.discard(origin)
    _unlink(origin)
    for link in (origin, *peers):
        if link is origin:
            session = store
        else:
            try:
                session = await _open_session(new_key)
            except Exception:
                logger.exception("Could not move a connection to its new session.")
                continue
        if not link.state.live:
            continue
        link.scope["session"] = session
        link.scope["user"] = user if isinstance(user, AbstractBaseUser) else AnonymousUser()
        link.session_key = new_key
        _add_link(link)
        if link is not origin or rerender:
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
        try:
            session = await _open_session(new_key)
        except Exception:
            logger.exception("Could not move a connection to its new session.")
            continue
        if not link.state.live:
            continue
        link.scope["session"] = session
        link.scope["user"] = user
        link.session_key = new_key
        _add_link(link)
        link.state.rerender()


def _deliver(link: _AuthLink, token: str | None, action: str) -> None:
    if token is None:
        logger.warning(
            "use_auth().%s changed this WebSocket only: the page has no session cookie, so a "
            "reload forgets it. Pages with components get one through {%% component %%} when "
            "SessionMiddleware is in MIDDLEWARE.",
            action,
        )
        return
    link.redeem(_token_url(token))


async def _login(link: _AuthLink, user: AbstractBaseUser, rerender: bool) -> None:
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


async def _logout(link: _AuthLink, rerender: bool) -> None:
    _require_server_side_sessions()
    old_key = link.session_key
    store, token = await database_sync_to_async(_begin_logout)(old_key, link.scope.get("user"))
    await _switch(link, old_key, store, AnonymousUser(), rerender)
    _deliver(link, token, "logout")


# --- use_user_data ----------------------------------------------------------------------------


class _Defaults:
    """`default_data`, compared by keys and values (functions by their code), so a literal
    dict built in every render does not start a new query each time."""

    __slots__ = ("values",)

    def __init__(self, values: Mapping[str, object]) -> None:
        self.values = dict(values)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, _Defaults):
            return NotImplemented
        if self.values.keys() != other.values.keys():
            return False
        return all(_same_default(self.values[key], other.values[key]) for key in self.values)

    def __hash__(self) -> int:
        return hash(tuple(self.values))


def _same_default(old: object, new: object) -> bool:
    if old is new:
        return True
    old_code, new_code = getattr(old, "__code__", None), getattr(new, "__code__", None)
    if old_code is not None or new_code is not None:
        return old_code is new_code
    try:
        return bool(old == new)
    except Exception:
        return False


def _check_json(value: object, where: str) -> None:
    """Refuse, naming where it sits, anything JSON would not store as it is."""
    if value is None or isinstance(value, bool | int | str):
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            msg = f"use_user_data: {where} is {value!r}, which JSON cannot store."
            raise ValueError(msg)
        return
    if is_sequence(value):
        for index, item in enumerate(value):
            _check_json(item, f"{where}[{index}]")
        return
    if is_dict(value):
        for key, item in value.items():
            if not isinstance(key, str):
                msg = f"use_user_data: {where} has the key {key!r}; JSON object keys are strings."
                raise TypeError(msg)
            _check_json(item, f"{where}[{key!r}]")
        return
    msg = (
        f"use_user_data: {where} is a {type(value).__name__}, which JSON cannot store; use "
        "str, int, float, bool, None, lists and dicts with string keys."
    )
    raise TypeError(msg)


def _checked_data(data: object) -> dict[str, Any]:
    if not is_object(data):
        msg = f"use_user_data: the mutation takes a dict, not a {type(data).__name__}."
        raise TypeError(msg)
    try:
        _check_json(data, "data")
    except RecursionError:
        msg = "use_user_data: the data is nested too deeply (or contains itself)."
        raise ValueError(msg) from None
    return data


def _read_user_data(user_pk: str) -> dict[str, Any]:
    db = reactpy_settings().database
    row = UserDataModel.objects.using(db).filter(user_pk=user_pk).first()
    if row is None:
        return {}
    data: object = row.data
    if not is_object(data):
        msg = f"The stored user data of user {user_pk} is not a JSON object; fix the row."
        raise TypeError(msg)
    return data


def _add_missing(user_pk: str, missing: dict[str, Any]) -> dict[str, Any]:
    """Store the defaults still missing (keys written meanwhile win); the data afterwards."""
    db = reactpy_settings().database
    with transaction.atomic(using=db):
        row, _ = (
            UserDataModel.objects.using(db)
            .select_for_update()
            .get_or_create(user_pk=user_pk, defaults={"data": {}})
        )
        current: object = row.data
        stored = current if is_object(current) else {}
        added = {key: value for key, value in missing.items() if key not in stored}
        if added:
            stored = {**stored, **added}
            row.data = stored
            row.save(update_fields=["data"])
        return stored


async def _default_value(value: object, state: ConnectionState) -> object:
    if not callable(value):
        return value
    result: object = value() if is_async(value) else await run_sync(value, state)
    if inspect.isawaitable(result):
        result = await result
    return result


def _user_data_query(
    user_pk: str | None, state: ConnectionState
) -> Callable[..., Awaitable[UserDataDict | None]]:
    """The query function of one user's data, named after the user: a write refetches only
    that user's `use_user_data` hooks, in every connection and process."""

    async def user_data(defaults: _Defaults, save: bool) -> UserDataDict | None:
        pk = user_pk
        if pk is None:
            return None
        stored = await run_sync(lambda: _read_user_data(pk), state)
        missing = {key: value for key, value in defaults.values.items() if key not in stored}
        if not missing:
            return stored
        computed = {key: await _default_value(value, state) for key, value in missing.items()}
        _check_json(computed, "default_data")
        if save:
            stored = await run_sync(lambda: _add_missing(pk, computed), state)
        else:
            stored = {**computed, **stored}
        return stored

    user_data.__qualname__ = f"use_user_data[{user_pk or 'anonymous'}]"
    return user_data


def _user_data_writer(user_pk: str | None) -> Callable[[UserDataDict], None]:
    """The mutation function of one user's data (sync: it runs in the connection's query
    thread)."""

    def store_user_data(data: UserDataDict) -> None:
        if user_pk is None:
            msg = (
                "use_user_data: an anonymous user has no stored data; log the user in "
                "(use_auth().login) before writing."
            )
            raise PermissionError(msg)
        checked = _checked_data(data)
        db = reactpy_settings().database
        UserDataModel.objects.using(db).update_or_create(
            user_pk=user_pk, defaults={"data": checked}
        )

    return store_user_data
