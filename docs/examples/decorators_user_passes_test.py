from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from reactpy import component, html
from reactpy.core.types import VdomDict

from reactpy_django.decorators import user_passes_test


def is_member(user: AbstractBaseUser | AnonymousUser) -> bool:
    return user.is_authenticated


@user_passes_test(is_member, fallback=html.p("Members only."))
@component
def members(title: str) -> VdomDict:
    return html.p(f"Welcome to {title}.")
