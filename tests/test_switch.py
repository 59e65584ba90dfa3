"""Switching a reactpy-django 5.2.1 site: its database, made by 5.2.1 itself, then ours.

reactpy-django 5.2.1 comes from the package index into a cached venv (`rpd521_python`); it
migrates a fresh database and stores two users' data with its own model. Then this package
migrates the same database, serves it with uvicorn, and a browser logs both users in.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Page, expect

from tests import databases
from tests.conftest import AsgiServerFactory, FreshDatabase
from tests.redeem import click_and_redeem

pytestmark = [
    pytest.mark.backends,
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.timeout(1200),  # the first run installs reactpy-django 5.2.1
]

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_DATA: dict[str, Any] = {
    "theme": "dark",
    "name": "Zoë ☃",
    "scores": [1, 2.5, None, True],
    "nested": {"deep": {"ok": False, "empty": {}}},
}
OTHER_DATA: dict[str, Any] = {"0": "hello", "1": "world"}
# The auth_view component's buttons log in ExampleUser and OtherUser; BrokenUser's bytes are
# not JSON (written by hand, as a site could have).
USERS: dict[str, Any] = {"ExampleUser": EXAMPLE_DATA, "OtherUser": OTHER_DATA, "BrokenUser": None}


def _run(command: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        command, env=env, cwd=cwd, capture_output=True, text=True, timeout=300, check=False
    )
    if done.returncode != 0:
        pytest.fail(
            f"`{' '.join(command)}` exited with {done.returncode}:\n{done.stdout}\n{done.stderr}",
            pytrace=False,
        )
    return done


def _as_rpd521(python: Path, database: str, tmp_path: Path, *args: str) -> str:
    """Run 5.2.1's Python on its own site: only tests/rpd521 on the path, never this tree."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PYTHONPATH", "DJANGO_SETTINGS_MODULE"}
    }
    env |= {
        "PYTHONPATH": str(ROOT / "tests" / "rpd521"),
        "DJANGO_SETTINGS_MODULE": "rpd521_settings",
        "REACTPY_TEST_DB_NAME": database,
    }
    return _run([str(python), *args], env, cwd=tmp_path).stdout


def _as_ours(database: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "REACTPY_TEST_DB_NAME": database,
    }
    return _run([sys.executable, "-m", "django", *args], env, cwd=ROOT)


async def _log_in(page: Page, button: str, username: str) -> None:
    assert (await click_and_redeem(page, button)).status == 204
    await expect(page.locator("#current")).to_have_text(f"Current User: {username}")


async def _wait_for_data(page: Page, expected: dict[str, Any], timeout: float = 10) -> None:
    """Wait until the page shows `expected` (compared as a dict: PostgreSQL reorders keys)."""
    deadline = time.monotonic() + timeout
    text = ""
    while time.monotonic() < deadline:
        text = await page.locator("#data").inner_text()
        if text.startswith("Data: {") and ast.literal_eval(text.removeprefix("Data: ")) == expected:
            return
        await page.wait_for_timeout(50)
    pytest.fail(f"The page never showed the data {expected!r}; it last showed {text!r}.")


async def test_a_reactpy_django_5_2_1_database_switches_without_losing_user_data(
    rpd521_python: Path,
    fresh_database: FreshDatabase,
    asgi_server: AsgiServerFactory,
    page: Page,
    tmp_path: Path,
) -> None:
    database = fresh_database()
    _as_rpd521(rpd521_python, database, tmp_path, "-m", "django", "migrate")
    seeded = _as_rpd521(
        rpd521_python,
        database,
        tmp_path,
        str(ROOT / "tests" / "rpd521" / "rpd521_seed.py"),
        json.dumps(USERS),
    )
    assert seeded.strip() == "reactpy-django 5.2.1"
    applied = databases.query(
        database, "SELECT name FROM django_migrations WHERE app = 'reactpy_django' ORDER BY id"
    )
    assert [name for (name,) in applied][-1] == "0007_authtoken"

    migrated = _as_ours(database, "migrate")
    ours_applied = [
        line.split()[1]
        for line in migrated.stdout.splitlines()
        if line.strip().startswith("Applying reactpy_django.")
    ]
    assert ours_applied == [
        "reactpy_django.0008_replace_sessions_tokens_and_config...",
        "reactpy_django.0009_userdatamodel_data_json_unconverteduserdata...",
        "reactpy_django.0010_user_data_to_json...",
        "reactpy_django.0011_userdatamodel_data_as_json...",
    ]
    (broken_pk,) = databases.query(
        database, "SELECT id FROM auth_user WHERE username = 'BrokenUser'"
    )[0]
    assert f"The stored use_user_data of user {broken_pk} is not valid JSON" in migrated.stderr
    kept = databases.query(database, "SELECT user_pk, data FROM reactpy_django_unconverteduserdata")
    assert [(user_pk, bytes(data)) for user_pk, data in kept] == [
        (str(broken_pk), b"\xffnot json {")
    ]
    _as_ours(database, "makemigrations", "--check", "--dry-run")
    fresh = fresh_database()
    _as_ours(fresh, "migrate")
    switched_schema = databases.schema(database, "reactpy_django_")
    assert len(switched_schema) > 5
    assert switched_schema == databases.schema(fresh, "reactpy_django_")

    url = asgi_server(REACTPY_TEST_DB_NAME=database)
    await page.goto(f"{url}/test/auth_user_data/")
    await expect(page.locator("#data")).to_have_text("Data: None")
    await _log_in(page, "#login", "ExampleUser")
    await _wait_for_data(page, EXAMPLE_DATA)
    await _log_in(page, "#login-other", "OtherUser")
    await _wait_for_data(page, OTHER_DATA)
    await page.reload()  # the login is in the session cookie now
    await expect(page.locator("#current")).to_have_text("Current User: OtherUser")
    await _wait_for_data(page, OTHER_DATA)

    await page.goto(f"{url}/test/arguments/?a=1")
    await expect(page.locator("#args")).to_have_text("(7, 'seven', 1.5, <QueryDict: {'a': ['1']}>)")
    await expect(page.locator("#kwargs")).to_have_text("{'flag': True, 'nothing': None}")
