"""The exceptions reactpy_django raises, under the names reactpy-django 5.2.1 sites catch.

Each keeps 5.2.1's base class, so `except AttributeError:` written against 5.2.1 still
catches `ComponentDoesNotExistError`.
"""

from __future__ import annotations

__all__ = [
    "ComponentCarrierError",
    "ComponentDoesNotExistError",
    "ComponentParamError",
    "DecoratorParamError",
    "InvalidHostError",
    "OfflineComponentMissingError",
    "UserNotFoundError",
    "ViewDoesNotExistError",
    "ViewNotRegisteredError",
]


class ComponentParamError(TypeError):
    """A component was given arguments its signature does not accept."""


class ComponentDoesNotExistError(AttributeError):
    """A dotted path names no component (nothing importable there, or not a component)."""


class OfflineComponentMissingError(ComponentDoesNotExistError):
    """The `offline=` component of a `{% component %}` tag does not exist."""


class InvalidHostError(ValueError):
    """A `host=` or `REACTPY_DEFAULT_HOSTS` value is not a host a browser can reach."""


class ComponentCarrierError(Exception):
    """A hook needed the connection's carrier (WebSocket or HTTP request) and there is none."""


class UserNotFoundError(Exception):
    """`use_user()` was called where the connection has no user (no `AuthMiddlewareStack`)."""


class ViewNotRegisteredError(AttributeError):
    """`view_to_iframe` was given a view that `register_iframe` has not registered."""


class ViewDoesNotExistError(AttributeError):
    """A dotted path given for a view names nothing importable."""


class DecoratorParamError(TypeError):
    """A decorator was applied to something it cannot decorate, or with wrong arguments."""
