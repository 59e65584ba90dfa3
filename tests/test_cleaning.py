"""Cleaning expired rows: `manage.py clean_reactpy`, and the throttled automatic cleaning."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from reactpy_django import cleaning
from reactpy_django.models import (
    AuthToken,
    CleanupState,
    ComponentSession,
    UnconvertedUserData,
    UserDataModel,
)
from reactpy_django.testing import mount

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.backends]


@pytest.fixture(autouse=True)
def _fresh_throttle() -> Iterator[None]:
    cleaning._next_check = 0.0
    yield
    cleaning._next_check = 0.0


def _ago(seconds: float) -> datetime:
    return timezone.now() - timedelta(seconds=seconds)


def _rows() -> None:
    """Two of each kind: one expired (or orphaned), one still wanted."""
    for uuid, age in (("old-session", 400_000), ("new-session", 10)):
        ComponentSession.objects.create(
            uuid=uuid, component="c", session_key="k", params=b"", last_accessed=_ago(age)
        )
    for value, age in (("old-token", 60), ("new-token", 1)):
        AuthToken.objects.create(value=value, session_key="k", created_at=_ago(age))
    user = User.objects.create(username="kept")
    UserDataModel.objects.create(user_pk=str(user.pk), data={"a": 1})
    UserDataModel.objects.create(user_pk="999999", data={"gone": True})


def _left() -> tuple[list[str], list[str], list[str]]:
    return (
        sorted(ComponentSession.objects.values_list("uuid", flat=True)),
        sorted(AuthToken.objects.values_list("value", flat=True)),
        sorted(UserDataModel.objects.values_list("user_pk", flat=True)),
    )


def test_command_deletes_what_expired_and_says_so() -> None:
    _rows()
    kept_user = str(User.objects.get(username="kept").pk)
    out = StringIO()
    call_command("clean_reactpy", stdout=out)
    assert _left() == (["new-session"], ["new-token"], [kept_user])
    assert out.getvalue().splitlines() == [
        "Deleted 1 expired component argument rows.",
        "Deleted 1 expired login tokens.",
        "Deleted 1 user data rows of deleted users.",
    ]
    assert CleanupState.objects.get().cleaned_at > _ago(5)


def test_command_options_pick_kinds() -> None:
    _rows()
    out = StringIO()
    call_command("clean_reactpy", "--auth-tokens", stdout=out)
    sessions, tokens, data = _left()
    assert (len(sessions), tokens, len(data)) == (2, ["new-token"], 2)
    assert out.getvalue() == "Deleted 1 expired login tokens.\n"


def test_user_data_option_removes_the_rows_of_users_that_no_longer_exist() -> None:
    kept = User.objects.create(username="kept")
    UserDataModel.objects.create(user_pk=str(kept.pk), data={"a": 1})
    UserDataModel.objects.create(user_pk="999999", data={"gone": True})
    # Bytes kept from reactpy-django 5.2.1 by migration 0010 go with their user too.
    UnconvertedUserData.objects.create(user_pk=str(kept.pk), data=b"\xff", error="not JSON")
    UnconvertedUserData.objects.create(user_pk="999998", data=b"\xff", error="not JSON")
    out = StringIO()
    call_command("clean_reactpy", "--user-data", stdout=out)
    assert out.getvalue() == "Deleted 2 user data rows of deleted users.\n"
    assert list(UserDataModel.objects.values_list("user_pk", flat=True)) == [str(kept.pk)]
    assert list(UnconvertedUserData.objects.values_list("user_pk", flat=True)) == [str(kept.pk)]


@override_settings(REACTPY_CLEAN_SESSIONS=False, REACTPY_CLEAN_USER_DATA=False)
def test_settings_turn_kinds_off() -> None:
    _rows()
    assert cleaning.clean() == {"auth_tokens": 1}
    sessions, tokens, data = _left()
    assert (len(sessions), tokens, len(data)) == (2, ["new-token"], 2)


@override_settings(REACTPY_SESSION_MAX_AGE=5)
def test_session_max_age_decides_what_expired() -> None:
    _rows()
    cleaning.clean(sessions=True, auth_tokens=False, user_data=False)
    assert _left()[0] == []


async def test_automatic_cleaning_is_throttled() -> None:
    await _arows()
    # Due (never cleaned): cleans.
    assert await cleaning.clean_if_due() == {"sessions": 1, "auth_tokens": 1, "user_data": 1}
    await _arows(suffix="-2")
    # Within this process's minute: no query at all, nothing deleted.
    assert await cleaning.clean_if_due() is None
    assert await ComponentSession.objects.filter(uuid="old-session-2").aexists()
    # A minute later, but the last cleaning (by any process) is recent: still not due.
    cleaning._next_check = 0.0
    assert await cleaning.clean_if_due() is None
    # After REACTPY_CLEAN_INTERVAL has passed: cleans again.
    await CleanupState.objects.aupdate(cleaned_at=_ago(604_801))
    cleaning._next_check = 0.0
    deleted = await cleaning.clean_if_due()
    assert deleted is not None
    assert deleted["sessions"] == 1
    assert not await ComponentSession.objects.filter(uuid="old-session-2").aexists()


@override_settings(REACTPY_CLEAN_INTERVAL=None)
async def test_no_interval_means_no_automatic_cleaning() -> None:
    await _arows()
    assert await cleaning.clean_if_due() is None
    assert await ComponentSession.objects.filter(uuid="old-session").aexists()


async def test_a_closing_websocket_triggers_the_cleaning() -> None:
    await _arows()
    async with mount("tests.components.counter", 1) as page:
        assert await ComponentSession.objects.filter(uuid="old-session").aexists()
    assert page.close_code is None
    assert not await ComponentSession.objects.filter(uuid="old-session").aexists()
    assert await ComponentSession.objects.filter(uuid=page.root_id).aexists()


async def _arows(suffix: str = "") -> None:
    await ComponentSession.objects.acreate(
        uuid=f"old-session{suffix}",
        component="c",
        session_key="k",
        params=b"",
        last_accessed=_ago(400_000),
    )
    await AuthToken.objects.acreate(
        value=f"old-token{suffix}", session_key="k", created_at=_ago(60)
    )
    await UserDataModel.objects.acreate(user_pk=f"99999{suffix}", data={})
