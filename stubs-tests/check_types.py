"""The typed spine: Query narrowing and Mutation's call signature."""

from __future__ import annotations

from typing import assert_type

from django.contrib.auth.base_user import AbstractBaseUser

from reactpy_django.types import (
    Connection,
    ConnectionType,
    Mutation,
    Query,
    UseAuthLogin,
    UseAuthLogout,
    UseAuthTuple,
)


def query_narrows_in_the_docs_pattern(query: Query[list[str]]) -> None:
    assert_type(query.data, list[str] | None)  # data is not claimed while loading
    if query.loading:
        pass
    elif query.error or not query.data:
        assert_type(query.error, Exception | None)
    else:
        assert_type(query.data, list[str])  # narrowed by the docs' own pattern
    query.data.append("x")  # E: union-attr reportOptionalMemberAccess
    query.refetch()


def mutation_keeps_parameters(mutation: Mutation[[str, int]]) -> None:
    mutation("text", 1)
    mutation.reset()
    assert_type(mutation.loading, bool)
    mutation(1, 1)  # E: arg-type reportArgumentType
    mutation("text")  # E: call-arg reportCallIssue


def query_is_frozen(query: Query[int]) -> None:
    query.loading = True  # E: misc reportAttributeAccessIssue


def query_can_be_built_for_a_components_own_tests() -> None:
    # A user testing a component that takes a Query builds one; the type follows `data`.
    assert_type(Query([1, 2], False, None, lambda: None), Query[list[int]])
    assert_type(Query[str](None, True, None, lambda: None).data, str | None)
    Query(1, "no", None, lambda: None)  # E: arg-type reportArgumentType
    Query(1, False, "boom", lambda: None)  # E: arg-type reportArgumentType
    Query(1, False, None, lambda: None, reads=True)  # E: arg-type reportArgumentType


def reactpy_django_5_names(connection: ConnectionType, auth: UseAuthTuple) -> None:
    # the names reactpy-django 5.2.1 exported: aliases of, or parts of, ours
    assert_type(connection, Connection)
    assert_type(auth.login, UseAuthLogin)
    assert_type(auth.logout, UseAuthLogout)
    login: UseAuthLogin = auth.logout  # E: assignment reportAssignmentType


async def auth_protocols(
    login: UseAuthLogin, logout: UseAuthLogout, user: AbstractBaseUser
) -> None:
    await login(user)
    await login(user, rerender=False)
    await logout(rerender=False)
    await login("ada")  # E: arg-type reportArgumentType
    await logout(user)  # E: arg-type reportArgumentType


def mutation_execute(mutation: Mutation[[str, int]]) -> None:
    mutation.execute("text", 1)
    mutation.execute(1, 1)  # E: arg-type reportArgumentType
