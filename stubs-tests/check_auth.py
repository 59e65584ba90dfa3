"""use_user, use_auth and use_user_data: what the docs' examples need from the types."""

from __future__ import annotations

from typing import Any, assert_type

from django.contrib.auth.models import AnonymousUser, User

from reactpy_django.hooks import use_auth, use_user, use_user_data
from reactpy_django.types import Mutation, Query, UseAuthTuple, UserData, UserDataDict


async def login_and_logout(user: User) -> None:
    auth = use_auth()
    assert_type(auth, UseAuthTuple)
    await auth.login(user)
    await auth.login(user, rerender=False)
    await auth.logout()
    await auth.logout(rerender=False)
    login, logout = auth  # a NamedTuple unpacks
    await login(user)
    await logout()


async def auth_misuse(user: User) -> None:
    auth = use_auth()
    await auth.login("ExampleUser")  # E: arg-type reportArgumentType
    await auth.login(AnonymousUser())  # E: arg-type reportArgumentType
    await auth.logout(user)  # E: arg-type reportArgumentType
    auth.login(user)  # E: unused-coroutine reportUnusedCoroutine


def user_is_a_user_or_anonymous() -> None:
    user = use_user()
    assert_type(user.get_username(), str)  # both kinds of user have it
    if isinstance(user, AnonymousUser):
        assert_type(user.pk, None)
    else:
        user.set_password("new")  # only a real user has a password
    user.set_unusable_password()  # E: union-attr reportAttributeAccessIssue


def user_data_types() -> None:
    user_data = use_user_data()
    assert_type(user_data, UserData)
    query, mutation = user_data
    assert_type(query, Query[UserDataDict | None])
    assert_type(query.data, dict[str, Any] | None)
    assert_type(mutation, Mutation[[UserDataDict]])
    query.refetch()
    mutation.reset()


def user_data_docs_example(value: str) -> None:
    query, mutation = use_user_data()
    if query.data:  # the docs' guard: loaded, for a logged-in user
        new_key = str(len(query.data))
        mutation({**query.data, new_key: value})
    mutation("not a dict")  # E: arg-type reportArgumentType
    mutation({1: "one"})  # E: dict-item reportArgumentType
    query.data["key"]  # E: index reportOptionalSubscript


def sync_default() -> str:
    return "123"


async def async_default() -> list[int]:
    return [1]


def user_data_defaults() -> None:
    use_user_data(
        default_data={"basic": "123", "sync": sync_default, "async": async_default},
        save_default_data=True,
    )
    use_user_data(default_data=["basic"])  # E: arg-type reportArgumentType
