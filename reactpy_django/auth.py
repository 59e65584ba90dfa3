"""`use_user`, `use_auth` and `use_user_data`: the connection's user, login, per-user data.

The hooks only: login and logout live in `_auth_session` (sessions, tokens, login sync), the
stored user data in `_user_data`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from reactpy_django import _auth_session
from reactpy_django._state import connection_state
from reactpy_django._user_data import Defaults, user_data_query, user_data_writer
from reactpy_django.connection import use_connection
from reactpy_django.exceptions import UserNotFoundError
from reactpy_django.mutation import use_mutation
from reactpy_django.query import use_query
from reactpy_django.types import UseAuthTuple, UserData

if TYPE_CHECKING:
    # django-stubs' name for "the project's user model or AnonymousUser": mypy's Django plugin
    # resolves it to AUTH_USER_MODEL, as it does for `HttpRequest.user`.
    from django.contrib.auth.models import _AnyUser

__all__ = ["use_auth", "use_user", "use_user_data"]


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
        await _auth_session.login(_auth_session.link_of(scope, "login"), user, rerender)

    async def logout(rerender: bool = True) -> None:
        await _auth_session.logout(_auth_session.link_of(scope, "logout"), rerender)

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
        user_data_query(user_pk, state),
        {"defaults": Defaults(default_data or {}), "save": save_default_data},
        postprocessor=None,
    )
    mutation = use_mutation(user_data_writer(user_pk), refetch=user_data_query(user_pk, state))
    return UserData(query, mutation)
