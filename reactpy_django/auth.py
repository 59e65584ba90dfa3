"""`use_user`, `use_auth` and `use_user_data`: the connection's user, login, per-user data."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser

from reactpy_django.connection import use_scope
from reactpy_django.types import UseAuthTuple, UserData

__all__ = ["use_auth", "use_user", "use_user_data"]


def use_user() -> AbstractBaseUser | AnonymousUser:
    """The connection's user (an `AnonymousUser` when logged out)."""
    user = use_scope().get("user")
    if user is None:
        msg = (
            "No user on this connection: wrap the WebSocket route in Channels' "
            "AuthMiddlewareStack in asgi.py."
        )
        raise RuntimeError(msg)
    if not isinstance(user, AbstractBaseUser | AnonymousUser):
        msg = f"scope['user'] is a {type(user).__name__}, not a Django user."
        raise TypeError(msg)
    return user


def use_auth() -> UseAuthTuple:
    """Placeholder until the auth issue lands."""
    raise NotImplementedError


def use_user_data() -> UserData:
    """Placeholder until the auth issue lands."""
    raise NotImplementedError
