"""Test-only components for `reactpy_django.decorators.user_passes_test`."""

from __future__ import annotations

from reactpy import component, html
from reactpy.core.types import VdomDict

from reactpy_django.decorators import user_passes_test


def _is_authenticated(user: object) -> bool:
    return bool(getattr(user, "is_authenticated", False))


@component
def login_prompt(label: str) -> VdomDict:
    """A component used as the fallback itself."""
    return html.p({"id": "fallback-component"}, f"Log in to see {label}.")


@user_passes_test(_is_authenticated, fallback=html.p({"id": "fallback-vdom"}, "Members only."))
@component
def members_vdom(label: str) -> VdomDict:
    """Falls back to VDOM."""
    return html.p({"id": "content-vdom"}, f"Members see {label}.")


def _needs_login(label: str) -> VdomDict:
    return html.p({"id": "fallback-callable"}, f"{label} needs a login.")


@user_passes_test(_is_authenticated, fallback=_needs_login)
@component
def members_callable(label: str) -> VdomDict:
    """Falls back to a callable given the component's arguments."""
    return html.p({"id": "content-callable"}, f"Members see {label}.")


@user_passes_test(_is_authenticated, fallback=login_prompt("the club"))
@component
def members_component(label: str) -> VdomDict:
    """Falls back to a component."""
    return html.p({"id": "content-component"}, f"Members see {label}.")


@user_passes_test(lambda user: user.get_username() == "ExampleUser")
@user_passes_test(_is_authenticated)
@component
def example_user_only() -> VdomDict:
    """Two tests stacked, no fallback: nothing until ExampleUser logs in."""
    return html.p({"id": "content-stacked"}, "Only ExampleUser sees this.")


class _NotAComponentFactory:
    """A callable object (not a plain function, so accepted when decorating) that returns VDOM."""

    def __call__(self) -> VdomDict:
        return html.p("not a component")


_gated_factory = user_passes_test(lambda user: True)(_NotAComponentFactory())  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


@component
def factory_beside_sibling() -> VdomDict:
    """The gated factory fails its own render; its sibling renders."""
    return html.div(html.p({"id": "sibling"}, "still here"), _gated_factory())
