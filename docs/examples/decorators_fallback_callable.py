from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser, User
from reactpy import component, html
from reactpy.core.types import VdomDict

from reactpy_django.decorators import user_passes_test


def is_staff(user: AbstractBaseUser | AnonymousUser) -> bool:
    return isinstance(user, User) and user.is_staff


def staff_only(title: str) -> VdomDict:
    """The fallback is called with the component's own arguments."""
    return html.p(f"{title} is for staff.")


@user_passes_test(is_staff, fallback=staff_only)
@component
def dashboard(title: str) -> VdomDict:
    return html.h1(title)
