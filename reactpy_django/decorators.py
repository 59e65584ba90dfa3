"""Decorators for components: `user_passes_test` shows a component only to users who pass a test."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ParamSpec, TypeAlias, overload

from reactpy import component
from reactpy.core.component import Component
from reactpy.core.types import ComponentType, Key, VdomDict

from reactpy_django.auth import use_user
from reactpy_django.exceptions import DecoratorParamError

if TYPE_CHECKING:
    # django-stubs' name for "the project's user model or AnonymousUser" (what `use_user()`
    # returns): mypy's Django plugin resolves it to AUTH_USER_MODEL.
    from django.contrib.auth.models import _AnyUser

__all__ = ["FallbackContent", "user_passes_test"]

_P = ParamSpec("_P")

FallbackContent: TypeAlias = "ComponentType | VdomDict | str | None"
"""What a fallback shows: a component, VDOM (`reactpy.html`), a string, or nothing."""


def _probe() -> None:
    return None


# Every ReactPy constructor is a closure of the same inner function: sharing its code object
# is what marks a `@component` function, whatever its name or module.
_REACTPY_CONSTRUCTOR_CODE = component(_probe).__code__


@overload
def user_passes_test(
    test_func: Callable[[_AnyUser], bool],
    /,
    fallback: Callable[_P, FallbackContent],
) -> Callable[[Callable[_P, Component]], Callable[_P, Component]]: ...


@overload
def user_passes_test(
    test_func: Callable[[_AnyUser], bool],
    /,
    fallback: ComponentType | VdomDict | str | None = None,
) -> Callable[[Callable[_P, Component]], Callable[_P, Component]]: ...


def user_passes_test(
    test_func: Callable[[_AnyUser], bool],
    /,
    fallback: Callable[..., FallbackContent] | ComponentType | VdomDict | str | None = None,
) -> Callable[[Callable[..., Component]], Callable[..., Component]]:
    """Render the decorated component only for users that pass `test_func`.

    Put it above `@component`::

        @user_passes_test(lambda user: user.is_staff, fallback=html.p("Staff only."))
        @component
        def dashboard(title: str) -> VdomDict: ...

    `test_func` is called with the connection's user (`use_user()`: a user, or an
    `AnonymousUser`) at every render, so a login or logout (`use_auth()`) switches between
    the component and the fallback without a reload. `fallback` is shown otherwise: a
    component, VDOM, a string, `None` (nothing), or a callable that is given the decorated
    component's arguments and returns one of those.

    Raises `DecoratorParamError` when `test_func` is not a plain function of the user, or when
    the decorated object is not a component.

    Args:
        test_func: Called with the connection's user at every render; `True` renders the
            component.
        fallback: What renders when the test fails: a component, VDOM, a string, `None`
            (nothing), or a callable given the component's arguments.

    Returns:
        Callable[[Callable[P, Component]], Callable[P, Component]]: The decorator; the decorated
            constructor keeps its parameters.
    """
    _check_test_func(test_func)

    def decorator(constructor: Callable[..., Component]) -> Callable[..., Component]:
        _check_decorated(constructor)

        def gated(*args: Any, key: Key | None = None, **kwargs: Any) -> Component:
            return _gate(test_func, fallback, constructor, args, kwargs, key=key)

        _GATED_CODES.add(gated.__code__)
        # Name, docstring and signature (`__wrapped__`) of the decorated component.
        functools.update_wrapper(gated, constructor)
        return gated

    return decorator


_GATED_CODES: set[object] = set()
"""The code object of `user_passes_test`'s constructors: stacking the decorator is allowed."""


def _is_component_constructor(value: object) -> bool:
    code = getattr(value, "__code__", None)
    return code is _REACTPY_CONSTRUCTOR_CODE or code in _GATED_CODES


def _check_test_func(test_func: object) -> None:
    if _is_component_constructor(test_func):
        msg = (
            "user_passes_test() was given a component where it expects a test function of the "
            "user. Call it with the test first: @user_passes_test(lambda user: "
            "user.is_authenticated) above @component."
        )
        raise DecoratorParamError(msg)
    if not callable(test_func):
        msg = (
            "user_passes_test() expects a function that takes the user and returns a bool, "
            f"but got {type(test_func).__name__} {test_func!r}."
        )
        raise DecoratorParamError(msg)
    if inspect.iscoroutinefunction(test_func):
        msg = (
            f"user_passes_test() got the async function {_name(test_func)}, but components "
            "render synchronously and a coroutine is always true. Pass a plain function; "
            "load what it needs with use_query in the component instead."
        )
        raise DecoratorParamError(msg)


def _check_decorated(constructor: object) -> None:
    # A plain function here is the usual slip: `@user_passes_test(...)` written below
    # `@component`, or `@component` forgotten. Other callables (a factory object, a partial)
    # are checked when they build what they return.
    if _is_component_constructor(constructor):
        return
    if inspect.isfunction(constructor) or inspect.ismethod(constructor):
        msg = (
            f"@user_passes_test decorates components, but {_name(constructor)} is a plain "
            "function, not a ReactPy component. Put @user_passes_test(...) above @component."
        )
        raise DecoratorParamError(msg)
    if not callable(constructor):
        msg = (
            "@user_passes_test decorates components, but got "
            f"{type(constructor).__name__} {constructor!r}. Put it above @component."
        )
        raise DecoratorParamError(msg)


def _name(value: object) -> str:
    module = getattr(value, "__module__", None) or "?"
    qualname = getattr(value, "__qualname__", None) or type(value).__name__
    return f"{module}.{qualname}"


@component
def _gate(
    test_func: Callable[[_AnyUser], object],
    fallback: Callable[..., FallbackContent] | ComponentType | VdomDict | str | None,
    constructor: Callable[..., object],
    args: tuple[Any, ...],
    kwargs: Mapping[str, Any],
) -> ComponentType | VdomDict | str | None:
    """Renders the decorated component or the fallback, as the current user passes or fails."""
    passed = test_func(use_user())
    if inspect.isawaitable(passed):
        if inspect.iscoroutine(passed):
            passed.close()  # never awaited: close it so Python does not warn at collection
        msg = (
            f"user_passes_test()'s test {_name(test_func)} returned an awaitable, which would "
            "always pass. The test must be a plain function returning a bool."
        )
        raise DecoratorParamError(msg)
    if passed:
        content = constructor(*args, **kwargs)
        if not isinstance(content, ComponentType):
            msg = (
                f"@user_passes_test decorates components, but {_name(constructor)} returned "
                f"a {type(content).__name__}, not a component. Put @user_passes_test(...) above "
                "@component."
            )
            raise DecoratorParamError(msg)
        return content
    if callable(fallback):
        return fallback(*args, **kwargs)
    return fallback
