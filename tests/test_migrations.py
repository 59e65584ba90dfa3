"""reactpy_django's migrations: 5.2.1's user data bytes become JSON, and back; nothing lost."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import orjson
import pytest
from django.apps.registry import Apps
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from reactpy_django.models import UnconvertedUserData, UserDataModel

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.backends]

AT_5_2_1 = ("reactpy_django", "0007_authtoken")
LATEST = ("reactpy_django", "0011_userdatamodel_data_as_json")
STORED: dict[str, Any] = {
    "theme": "dark",
    "name": "Zoë ☃ 𝄞",
    "numbers": [1, -2.5, 0.1, 1.5e-7, 9007199254740993],
    "flags": {"on": True, "off": False, "none": None},
    "empty": {"list": [], "dict": {}, "text": ""},
}


def _migrate(target: tuple[str, str]) -> Apps:
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


@pytest.fixture
def at_5_2_1(transactional_db: None) -> Iterator[Apps]:
    """reactpy_django's tables as 5.2.1 left them; migrated forward again afterwards."""
    apps = _migrate(AT_5_2_1)
    yield apps
    _migrate(LATEST)


def _store_as_5_2_1(apps: Apps, rows: dict[str, bytes | None]) -> None:
    model = apps.get_model("reactpy_django", "UserDataModel")
    for user_pk, data in rows.items():
        model._default_manager.create(user_pk=user_pk, data=data)


def _converted() -> dict[str, object]:
    return dict(UserDataModel.objects.order_by("user_pk").values_list("user_pk", "data"))


def test_each_users_bytes_become_the_same_json(at_5_2_1: Apps) -> None:
    _store_as_5_2_1(
        at_5_2_1,
        {"1": orjson.dumps(STORED), "2": b"{}", "3": b"", "4": None, "5": b'{"a": [1, 2]}'},
    )
    _migrate(LATEST)
    assert _converted() == {"1": STORED, "2": {}, "3": {}, "4": {}, "5": {"a": [1, 2]}}
    assert UnconvertedUserData.objects.count() == 0


def test_bytes_that_are_not_a_json_object_are_logged_and_kept(
    at_5_2_1: Apps, caplog: pytest.LogCaptureFixture
) -> None:
    raw = {
        "7": b"\xff\xfe not json",
        "8": b"[1, 2, 3]",
        "9": b'{"ratio": NaN}',
        "10": b'{"cut": "of',
    }
    _store_as_5_2_1(at_5_2_1, {"1": b'{"fine": 1}', **raw})
    with caplog.at_level(logging.WARNING, logger="reactpy_django.migrations"):
        _migrate(LATEST)
    assert _converted() == {"1": {"fine": 1}}
    kept = {row.user_pk: row for row in UnconvertedUserData.objects.all()}
    assert {key: bytes(row.data) for key, row in kept.items()} == raw
    assert kept["8"].error == "JSON, but a list, not an object"
    assert kept["7"].error.startswith("not valid JSON (")
    warned = [record.getMessage() for record in caplog.records]
    assert len(warned) == 4
    for user_pk in raw:
        assert any(f"The stored use_user_data of user {user_pk} is " in line for line in warned)
    assert "reactpy_django_unconverteduserdata" in warned[0]


def test_a_nul_character_is_kept_aside_where_jsonb_cannot_store_it(at_5_2_1: Apps) -> None:
    _store_as_5_2_1(at_5_2_1, {"1": b'{"text": "a\\u0000b"}'})
    _migrate(LATEST)
    if connection.vendor == "postgresql":
        assert _converted() == {}
        assert UnconvertedUserData.objects.get(user_pk="1").error == (
            "JSON with a NUL character, which PostgreSQL's jsonb cannot store"
        )
    else:
        assert _converted() == {"1": {"text": "a\x00b"}}


def test_migrating_back_gives_5_2_1_its_bytes_again(at_5_2_1: Apps) -> None:
    _store_as_5_2_1(at_5_2_1, {"1": orjson.dumps(STORED), "2": b"not json"})
    _migrate(LATEST)
    UserDataModel.objects.create(user_pk="3", data={"written": "after the switch"})
    apps = _migrate(AT_5_2_1)
    old = apps.get_model("reactpy_django", "UserDataModel")
    back = {row.user_pk: bytes(row.data) for row in old._default_manager.all()}
    assert back["2"] == b"not json"  # the kept bytes, exactly
    # JSON as 5.2.1 reads it (PostgreSQL's jsonb does not keep the key order).
    assert {key: orjson.loads(back[key]) for key in ("1", "3")} == {
        "1": STORED,
        "3": {"written": "after the switch"},
    }
    assert sorted(back) == ["1", "2", "3"]


def test_models_and_migrations_agree() -> None:
    # `--check` exits with status 1 when a model change has no migration (any app).
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
