"""user_passes_test: which tests and fallbacks it takes, and what the decorated component keeps."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, assert_type

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser, User
from reactpy import component, html
from reactpy.core.component import Component
from reactpy.core.types import VdomDict

from reactpy_django.decorators import user_passes_test


def is_member(user: AbstractBaseUser | AnonymousUser) -> bool:
    return user.is_authenticated


def takes_int(number: int) -> bool:
    return number > 0


def takes_user_only(user: User) -> bool:  # AnonymousUser is not a User
    return user.get_username() == "admin"


def greeting(name: str, count: int = 1) -> Component:
    """A constructor typed by hand. ReactPy 1.1's `@component` types every constructor
    `Callable[..., Component]`, so only typed constructors have parameters to keep."""
    raise NotImplementedError


def tests_of_the_user() -> None:
    user_passes_test(is_member)
    user_passes_test(lambda user: user.is_authenticated)  # the doc's lambda, typed from context
    user_passes_test(takes_int)  # E: arg-type reportArgumentType
    user_passes_test(takes_user_only)  # E: arg-type reportArgumentType
    user_passes_test()  # E: call-overload reportCallIssue


def the_decorated_component_keeps_its_parameters() -> None:
    gated = user_passes_test(is_member)(greeting)
    assert_type(gated("Ada"), Component)
    gated("Ada", count=2)
    gated(1)  # E: arg-type reportArgumentType
    gated()  # E: call-arg reportCallIssue


def a_reactpy_component_stays_a_component() -> None:
    @user_passes_test(is_member, fallback=html.p("Members only."))
    @component
    def page(title: str) -> VdomDict:
        return html.h1(title)

    assert_type(page, Callable[..., Component])
    assert_type(page("Home"), Component)


def fallbacks() -> None:
    def fallback_for(name: str, count: int = 1) -> VdomDict:
        return html.p(f"{name} must log in.")

    def no_args() -> VdomDict:
        return html.p("Log in.")

    user_passes_test(is_member, fallback=html.p("no"))(greeting)  # VDOM
    user_passes_test(is_member, fallback="Log in.")(greeting)  # a string
    user_passes_test(is_member, fallback=greeting("guest"))(greeting)  # a component
    user_passes_test(is_member, fallback=fallback_for)(greeting)  # given the same arguments
    user_passes_test(is_member, fallback=None)(greeting)
    user_passes_test(is_member, fallback=3)  # E: call-overload reportCallIssue
    user_passes_test(is_member, fallback=no_args)(greeting)  # E: arg-type reportArgumentType


def not_a_component(anything: Any) -> None:
    def plain() -> VdomDict:
        return html.p("hi")

    user_passes_test(is_member)(plain)  # E: arg-type reportArgumentType
    user_passes_test(is_member)("app.components.page")  # E: arg-type reportArgumentType
