"""`reactpy_django.database.Router`: reactpy-django's router path, with a second database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import override_settings
from playwright.async_api import Page, expect

from reactpy_django.database import Router
from reactpy_django.models import AuthToken, UserDataModel
from reactpy_django.routers import ReactPyRouter
from tests import databases
from tests.conftest import AsgiServerFactory, FreshDatabase
from tests.redeem import click_and_redeem

ROOT = Path(__file__).resolve().parent.parent
OUR_TABLES = {
    "reactpy_django_authtoken",
    "reactpy_django_cleanupstate",
    "reactpy_django_componentsession",
    "reactpy_django_unconverteduserdata",
    "reactpy_django_userdatamodel",
}


def test_the_router_is_reactpy_router_at_5_2_1s_path() -> None:
    router = Router()
    assert isinstance(router, ReactPyRouter)
    with override_settings(REACTPY_DATABASE="reactpy_data"):
        assert router.db_for_read(UserDataModel) == "reactpy_data"
        assert router.db_for_write(AuthToken) == "reactpy_data"
        assert router.db_for_write(User) is None
        assert router.allow_migrate("reactpy_data", "reactpy_django") is True
        assert router.allow_migrate("default", "reactpy_django") is False


def _migrate(env: dict[str, str], *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "django", "migrate", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, f"migrate {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"


@pytest.mark.backends
@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
async def test_a_site_with_the_router_and_a_second_database_migrates_and_works(
    fresh_database: FreshDatabase, asgi_server: AsgiServerFactory, page: Page
) -> None:
    main, data = fresh_database(), fresh_database()
    site = {
        "DJANGO_SETTINGS_MODULE": "tests.settings_router",
        "REACTPY_TEST_DB_NAME": main,
        "REACTPY_TEST_DATA_DB_NAME": data,
    }
    env = {**os.environ, **site}
    _migrate(env)
    _migrate(env, "--database", "reactpy_data")
    assert databases.tables(main).isdisjoint(OUR_TABLES)
    assert databases.tables(data) >= OUR_TABLES

    url = asgi_server(**site)
    await page.goto(f"{url}/test/auth_user_data/")
    await expect(page.locator("#data")).to_have_text("Data: None")
    assert (await click_and_redeem(page, "#login")).status == 204
    await expect(page.locator("#data")).to_have_text("Data: {}")
    await page.fill("#entry", "hello")
    await page.press("#entry", "Enter")
    await expect(page.locator("#data")).to_have_text("Data: {'0': 'hello'}")
    await page.reload()
    await expect(page.locator("#current")).to_have_text("Current User: ExampleUser")
    await expect(page.locator("#data")).to_have_text("Data: {'0': 'hello'}")

    (user_pk,) = databases.query(main, "SELECT id FROM auth_user WHERE username = 'ExampleUser'")[0]
    stored = databases.query(data, "SELECT user_pk FROM reactpy_django_userdatamodel")
    assert stored == [(str(user_pk),)]
