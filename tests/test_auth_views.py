"""The login-token view: single use, bound to the browser session, expiring; refusals change
nothing."""

from __future__ import annotations

from datetime import timedelta
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.base import SessionBase
from django.test import AsyncClient
from django.utils import timezone

from reactpy_django.conf import reactpy_settings
from reactpy_django.models import AuthToken
from reactpy_django.testing import MountedComponent, mount, new_session

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.backends]

AUTH = "tests.auth_components.auth_view"


def _store(key: str) -> SessionBase:
    store: SessionBase = import_module(settings.SESSION_ENGINE).SessionStore(key)
    return store


def _cookie(page: MountedComponent) -> str:
    assert page.session is not None
    return str(page.session.session_key)


async def _request(method: str, url: str, cookie: str | None) -> tuple[int, str | None, str]:
    """(status, the session cookie set, Cache-Control), as a browser holding `cookie`."""
    client = AsyncClient(enforce_csrf_checks=True)
    if cookie is not None:
        client.cookies[settings.SESSION_COOKIE_NAME] = cookie
    response = await (client.post(url) if method == "POST" else client.get(url))
    morsel = response.cookies.get(settings.SESSION_COOKIE_NAME)
    return (
        response.status_code,
        morsel.value if morsel is not None else None,
        response.get("Cache-Control", ""),
    )


async def _login(page: MountedComponent) -> str:
    """Click login and return the token URL the browser was told to POST."""
    await page.click(id="login")
    await page.wait_for(lambda: bool(page.find_all("HttpRequest")))
    return str(page.find("HttpRequest").attributes["url"])


async def _logged_in_user(cookie: str) -> object:
    return await _store(cookie).aget(SESSION_KEY)


async def test_a_token_is_redeemed_once_by_its_own_browser_only() -> None:
    async with mount(AUTH) as page:
        cookie = _cookie(page)
        url = await _login(page)
    stranger = str((await new_session()).session_key)

    assert await _request("GET", url, cookie) == (405, None, "")
    assert (await _request("POST", url, stranger))[:2] == (403, None)
    assert (await _request("POST", url, None))[:2] == (403, None)
    assert await _logged_in_user(stranger) is None  # the stranger's session is untouched

    status, new_cookie, cache_control = await _request("POST", url, cookie)
    assert status == 204
    assert cache_control == "no-store"
    assert new_cookie
    assert await _logged_in_user(new_cookie) is not None

    # Replayed, by the same browser (either cookie) or anyone else: nothing happens.
    assert (await _request("POST", url, cookie))[:2] == (404, None)
    assert (await _request("POST", url, new_cookie))[:2] == (404, None)
    assert (await _request("POST", url, stranger))[:2] == (404, None)
    assert await _logged_in_user(new_cookie) is not None


async def test_unknown_tokens_are_not_found() -> None:
    cookie = str((await new_session()).session_key)
    for token in ("nope", "x" * 43, "a" * 300):
        assert (await _request("POST", f"/reactpy/auth/{token}/", cookie))[:2] == (404, None)


async def test_an_expired_token_is_gone_and_changes_nothing() -> None:
    async with mount(AUTH) as page:
        cookie = _cookie(page)
        url = await _login(page)
    past = timezone.now() - timedelta(seconds=reactpy_settings().auth_token_max_age + 1)
    assert await AuthToken.objects.aupdate(created_at=past) == 1
    assert (await _request("POST", url, cookie))[:2] == (410, None)
    assert await AuthToken.objects.acount() == 0
    assert (await _request("POST", url, cookie))[:2] == (404, None)
    # The browser keeps the session it had: still there, still anonymous.
    assert await _store(cookie).aexists(cookie)
    assert await _logged_in_user(cookie) is None


async def test_tokens_are_stored_hashed() -> None:
    async with mount(AUTH) as page:
        url = await _login(page)
    token = url.rstrip("/").rsplit("/", 1)[-1]
    assert len(token) >= 43
    assert not await AuthToken.objects.filter(value=token).aexists()
    assert await AuthToken.objects.acount() == 1


async def test_a_login_token_is_void_once_the_session_logged_out() -> None:
    async with mount(AUTH) as page:
        cookie = _cookie(page)
        login_url = await _login(page)
        await page.wait_for_text("Current User: ExampleUser")
        await page.click(id="logout")
        await page.wait_for_text("Current User: AnonymousUser")
        await page.wait_for(lambda: len(page.find_all("HttpRequest")) == 2)
        logout_url = str(page.find_all("HttpRequest")[1].attributes["url"])
    # Whatever order the browser redeems them in, it ends logged out.
    status, new_cookie, _ = await _request("POST", login_url, cookie)
    assert status == 204
    assert new_cookie
    assert await _logged_in_user(new_cookie) is None
    assert not await _store(cookie).aexists(cookie)
    assert (await _request("POST", logout_url, cookie))[0] in (403, 404)
