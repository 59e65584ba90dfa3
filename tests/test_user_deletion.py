"""Deleting a user deletes their stored `use_user_data` rows, in `REACTPY_DATABASE`."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import override_settings

from reactpy_django.models import UnconvertedUserData, UserDataModel
from reactpy_django.testing import mount

pytestmark = [pytest.mark.backends]


def _store(user: User, database: str = "default") -> None:
    UserDataModel.objects.using(database).create(user_pk=str(user.pk), data={"theme": "dark"})
    UnconvertedUserData.objects.using(database).create(
        user_pk=str(user.pk), data=b"\xff", error="not valid JSON"
    )


def _owners(database: str = "default") -> tuple[list[str], list[str]]:
    return (
        sorted(UserDataModel.objects.using(database).values_list("user_pk", flat=True)),
        sorted(UnconvertedUserData.objects.using(database).values_list("user_pk", flat=True)),
    )


@pytest.mark.django_db
def test_deleting_a_user_deletes_only_their_rows() -> None:
    alice, bob = User.objects.create(username="alice"), User.objects.create(username="bob")
    _store(alice)
    _store(bob)
    alice.delete()
    assert _owners() == ([str(bob.pk)], [str(bob.pk)])


@pytest.mark.django_db
def test_a_queryset_delete_deletes_every_deleted_users_rows() -> None:
    users = [User.objects.create(username=name) for name in ("a", "b", "c")]
    for user in users:
        _store(user)
    User.objects.filter(username__in=["a", "b"]).delete()
    assert _owners() == ([str(users[2].pk)], [str(users[2].pk)])


@pytest.mark.django_db(databases=["default", "reactpy_data"])
@override_settings(REACTPY_DATABASE="reactpy_data")
def test_the_rows_are_deleted_in_the_reactpy_database() -> None:
    alice = User.objects.create(username="alice")
    alice_pk = alice.pk
    _store(alice, "reactpy_data")
    _store(alice, "default")  # not REACTPY_DATABASE: left alone
    alice.delete()
    assert _owners("reactpy_data") == ([], [])
    assert _owners("default") == ([str(alice_pk)], [str(alice_pk)])


@pytest.mark.django_db(transaction=True)
async def test_data_written_through_the_hook_goes_with_its_user() -> None:
    alice = await User.objects.acreate(username="alice")
    async with mount("tests.auth_components.user_data_editor", user=alice) as page:
        await page.wait_for_text("loading=False")
        await page.click(id="editor-theme-dark")
        await page.wait_for_text("Data: {'theme': 'dark'}")  # stored, then read back
    assert await UserDataModel.objects.acount() == 1
    await alice.adelete()
    assert await UserDataModel.objects.acount() == 0
