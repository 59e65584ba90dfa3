"""use_user and use_auth over the real consumer: login, logout, sync and the cookie token."""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from uuid import uuid4

import pytest
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import User
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.contrib.sessions.backends.base import SessionBase
from django.test import AsyncClient, override_settings

import reactpy_django
from reactpy_django.checks import reactpy_checks
from reactpy_django.consumer import CloseCode
from reactpy_django.models import AuthToken
from reactpy_django.registry import register_component
from reactpy_django.routing import REACTPY_WEBSOCKET_ROUTE, websocket_path
from reactpy_django.testing import MountedComponent, mount

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.backends]

AUTH = "tests.auth_components.auth_view"
WATCHER = "tests.auth_components.user_view"


def _store(key: str) -> SessionBase:
    store: SessionBase = import_module(settings.SESSION_ENGINE).SessionStore(key)
    return store


def _cookie(page: MountedComponent) -> str:
    """The session cookie the page's browser holds."""
    assert page.session is not None
    return str(page.session.session_key)


async def _session_exists(key: str) -> bool:
    return await _store(key).aexists(key)


async def _token_url(page: MountedComponent) -> str:
    """Wait for the hidden HttpRequest a login renders; the URL the browser would POST."""
    await page.wait_for(lambda: bool(page.find_all("HttpRequest")))
    return str(page.find("HttpRequest").attributes["url"])


async def _post(url: str, cookie: str | None) -> tuple[int, str | None]:
    """POST as a browser holding `cookie`: (status, the session cookie it sets, if any)."""
    client = AsyncClient()
    if cookie is not None:
        client.cookies[settings.SESSION_COOKIE_NAME] = cookie
    response = await client.post(url)
    morsel = response.cookies.get(settings.SESSION_COOKIE_NAME)
    return response.status_code, (morsel.value if morsel is not None else None)


async def _redeem(page: MountedComponent, cookie: str) -> str:
    """Do what the browser does with the hidden HttpRequest; returns the new cookie."""
    url = await _token_url(page)
    status, new_cookie = await _post(url, cookie)
    await page.fire(page.find("HttpRequest"), "callback", status, "")
    await page.wait_for(lambda: not page.find_all("HttpRequest"))
    assert status == 204
    assert new_cookie
    return new_cookie


async def test_use_user_shows_anonymous_and_logged_in_users() -> None:
    async with mount(WATCHER) as page:
        assert page.find(id="watcher").text == "Watcher sees: AnonymousUser"
    alice = await User.objects.acreate(username="alice")
    async with mount(WATCHER, user=alice) as page:
        assert page.find(id="watcher").text == "Watcher sees: alice"


async def test_use_user_without_auth_middleware_names_the_fix() -> None:
    path = register_component("tests.auth_components.user_or_error")
    communicator = WebsocketCommunicator(
        URLRouter([REACTPY_WEBSOCKET_ROUTE]), websocket_path(path, str(uuid4()), False)
    )
    connected, _ = await communicator.connect()
    assert connected
    frame = await communicator.receive_from(timeout=5)
    await communicator.disconnect()
    assert isinstance(frame, str)
    assert "UserNotFoundError: No user on this connection" in frame
    assert "AuthMiddlewareStack(URLRouter([REACTPY_WEBSOCKET_ROUTE]))" in frame


async def test_login_persists_through_the_one_time_token() -> None:
    async with mount(AUTH) as page:
        before = _cookie(page)
        await page.click(id="login")
        await page.wait_for_text("Current User: ExampleUser")
        after = await _redeem(page, before)

    assert after != before  # the session key is cycled on login
    assert not await _session_exists(before)
    new_session = _store(after)
    assert await new_session.aget(SESSION_KEY) == str(
        (await User.objects.aget(username="ExampleUser")).pk
    )
    # A reload: the browser now sends the new cookie.
    async with mount(WATCHER, session=new_session) as reloaded:
        assert reloaded.find(id="watcher").text == "Watcher sees: ExampleUser"
    # The old cookie is anonymous.
    async with mount(WATCHER, session=_store(before)) as stale:
        assert stale.find(id="watcher").text == "Watcher sees: AnonymousUser"


async def test_login_reaches_every_component_and_tab_of_the_session() -> None:
    async with (
        mount(AUTH) as page,
        mount(WATCHER, session=page.session) as same_page,
        mount(WATCHER, session=_store(_cookie(page))) as other_tab,
        mount(WATCHER) as other_browser,
    ):
        await page.click(id="login")
        await same_page.wait_for_text("Watcher sees: ExampleUser")
        await other_tab.wait_for_text("Watcher sees: ExampleUser")
        await page.wait_for_text("Current User: ExampleUser")
        await _token_url(page)
        assert other_browser.find(id="watcher").text == "Watcher sees: AnonymousUser"

        await page.click(id="logout")
        await same_page.wait_for_text("Watcher sees: AnonymousUser")
        await other_tab.wait_for_text("Watcher sees: AnonymousUser")
        await page.wait_for_text("Current User: AnonymousUser")


async def test_login_moves_every_tab_to_the_new_session() -> None:
    async with mount(AUTH) as page:
        before = _cookie(page)
        async with mount("tests.auth_components.session_view", session=_store(before)) as tab:
            assert tab.find(id="session").text == f"Session: {before}"
            await page.click(id="login")
            after = await _redeem(page, before)
            await tab.wait_for_text(f"Session: {after}")


async def test_login_without_rerender_still_updates_the_other_components() -> None:
    async with mount(AUTH) as page, mount(WATCHER, session=page.session) as watcher:
        await page.click(id="login-quiet")
        await watcher.wait_for_text("Watcher sees: QuietUser")
        await _token_url(page)
        assert page.find(id="current").text == "Current User: AnonymousUser"


async def test_logout_ends_the_session_on_the_websocket_and_the_cookie() -> None:
    alice = await User.objects.acreate(username="alice")
    async with mount(AUTH, user=alice) as page:
        before = _cookie(page)
        assert page.find(id="current").text == "Current User: alice"
        await page.click(id="logout")
        await page.wait_for_text("Current User: AnonymousUser")
        url = await _token_url(page)
        # Even if the browser never redeems the token, the old cookie is logged out.
        assert not await _session_exists(before)
        status, after = await _post(url, before)
        assert status == 204
        assert after
        assert after != before
    assert await _store(after).aget(SESSION_KEY) is None
    async with mount(WATCHER, session=_store(after)) as reloaded:
        assert reloaded.find(id="watcher").text == "Watcher sees: AnonymousUser"


async def test_a_login_on_a_page_without_a_session_cookie_warns_instead_of_issuing_a_token(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async with mount(AUTH, cookies=False) as page:
        await page.click(id="login")
        await page.wait_for_text("Current User: ExampleUser")  # this WebSocket is logged in
        # The login logged its warning (or issued its token) before this render was sent. No
        # token: the browser has no cookie to redeem one with (the view would refuse it).
        assert not page.find_all("HttpRequest")
        assert await AuthToken.objects.acount() == 0
    [record] = [r for r in caplog.records if "changed this WebSocket only" in r.getMessage()]
    assert record.levelname == "WARNING"
    assert record.getMessage().startswith("use_auth().login changed this WebSocket only")


async def test_login_and_logout_send_djangos_signals_with_the_user() -> None:
    seen: list[tuple[str, str, dict[str, object]]] = []

    def logged_in(sender: object, user: AbstractBaseUser, **kwargs: object) -> None:
        seen.append(("in", user.get_username(), kwargs))

    def logged_out(sender: object, user: AbstractBaseUser, **kwargs: object) -> None:
        seen.append(("out", user.get_username(), kwargs))

    # Receivers for the user model only, as Django's own (update_last_login) are connected.
    user_logged_in.connect(logged_in, sender=User)  # pyright: ignore[reportUnknownMemberType]  # Signal.connect is untyped in django-stubs
    user_logged_out.connect(logged_out, sender=User)  # pyright: ignore[reportUnknownMemberType]  # as above
    try:
        async with mount(AUTH) as page:
            await page.click(id="login")
            await page.wait_for_text("Current User: ExampleUser")
            await page.click(id="logout")
            await page.wait_for_text("Current User: AnonymousUser")
    finally:
        user_logged_in.disconnect(logged_in, sender=User)  # pyright: ignore[reportUnknownMemberType]  # as above
        user_logged_out.disconnect(logged_out, sender=User)  # pyright: ignore[reportUnknownMemberType]  # as above
    assert [(kind, name) for kind, name, _ in seen] == [
        ("in", "ExampleUser"),
        ("out", "ExampleUser"),
    ]
    # No HTTP request behind a WebSocket login: receivers get request=None.
    assert all(kwargs.get("request", "missing") is None for _, _, kwargs in seen)


async def test_logout_before_the_login_is_redeemed_deletes_the_first_session() -> None:
    async with mount(AUTH) as page:
        first = _cookie(page)
        await page.click(id="login")
        await page.wait_for_text("Current User: ExampleUser")
        await page.click(id="logout")  # the browser still holds `first`, its login token unused
        await page.wait_for_text("Current User: AnonymousUser")
    assert not await _session_exists(first)


async def test_stored_arguments_follow_the_session_through_login() -> None:
    async with (
        mount(AUTH) as page,
        mount("tests.auth_components.arguments_and_user", "kept", session=page.session) as other,
    ):
        before = _cookie(page)
        await page.click(id="login")
        await other.wait_for_text("Watcher sees: ExampleUser")
        after = await _redeem(page, before)
    # A reconnect after the login carries the new cookie, and still gets its arguments.
    async with other.reconnect(session=_store(after)) as reconnected:
        assert reconnected.close_code is None
        assert reconnected.find(id="label").text == "label:kept"
        assert reconnected.find(id="watcher").text == "Watcher sees: ExampleUser"
    async with other.reconnect(session=_store(before)) as refused:
        assert refused.close_code == CloseCode.ARGUMENTS_REFUSED


async def test_two_logins_before_the_browser_redeems_end_on_the_last() -> None:
    async with mount(AUTH) as page:
        cookie = _cookie(page)
        await page.click(id="login")
        await page.wait_for_text("Current User: ExampleUser")
        await page.click(id="login-other")
        await page.wait_for_text("Current User: OtherUser")
        await page.wait_for(lambda: len(page.find_all("HttpRequest")) == 2)
        first, second = (str(e.attributes["url"]) for e in page.find_all("HttpRequest"))
    # The browser sends both at once, with the cookie it holds.
    status, new_cookie = await _post(first, cookie)
    assert status == 204
    assert new_cookie
    status_second, no_cookie = await _post(second, cookie)
    assert status_second in (403, 404)
    assert no_cookie is None
    other = await User.objects.aget(username="OtherUser")
    assert await _store(new_cookie).aget(SESSION_KEY) == str(other.pk)
    assert not await _session_exists(cookie)


async def test_login_keeps_anonymous_session_data_but_not_another_users() -> None:
    anonymous = _store("")
    await anonymous.aset("cart", ["apple"])
    await anonymous.aset("_reactpy", True)
    await anonymous.acreate()
    async with mount(AUTH, session=anonymous) as page:
        await page.click(id="login")
        after = await _redeem(page, str(anonymous.session_key))
    assert await _store(after).aget("cart") == ["apple"]

    # The same user logging in again keeps the data too.
    async with mount(AUTH, session=_store(after)) as page:
        assert page.find(id="current").text == "Current User: ExampleUser"
        await page.click(id="login")
        again = await _redeem(page, after)
    assert again != after
    assert await _store(again).aget("cart") == ["apple"]

    bob = await User.objects.acreate(username="bob")
    async with mount(AUTH, user=bob) as page:
        bobs = _store(_cookie(page))
        await bobs.aset("secret", "bob's")
        await bobs.asave()
    async with mount(AUTH, session=bobs) as page:
        await page.click(id="login")
        after = await _redeem(page, _cookie(page))
    assert await _store(after).aget("secret") is None


@override_settings(
    AUTHENTICATION_BACKENDS=[
        "django.contrib.auth.backends.ModelBackend",
        "django.contrib.auth.backends.AllowAllUsersModelBackend",
    ]
)
async def test_login_with_several_backends_asks_for_the_setting() -> None:
    async with mount(AUTH) as page:
        await page.click(id="login")
        await page.wait_for_text("REACTPY_AUTH_BACKEND")
        assert page.find(id="current").text == "Current User: AnonymousUser"
    backend = "django.contrib.auth.backends.AllowAllUsersModelBackend"
    with override_settings(REACTPY_AUTH_BACKEND=backend):
        async with mount(AUTH) as page:
            await page.click(id="login")
            after = await _redeem(page, _cookie(page))
    assert await _store(after).aget(BACKEND_SESSION_KEY) == backend


def test_signed_cookie_sessions_fail_the_system_check() -> None:
    assert not [m for m in reactpy_checks() if m.id == "reactpy_django.E005"]
    with override_settings(SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies"):
        errors = [m for m in reactpy_checks() if m.id == "reactpy_django.E005"]
    assert errors
    assert "django.contrib.sessions.backends.db" in str(errors[0].hint)


async def test_every_page_with_a_component_gets_a_session_cookie() -> None:
    response = await AsyncClient().get("/test/auth/")
    assert response.status_code == 200
    morsel = response.cookies.get(settings.SESSION_COOKIE_NAME)
    assert morsel is not None
    assert await _session_exists(morsel.value)


async def test_the_token_redeeming_web_module_is_served() -> None:
    async with mount(AUTH):  # importing the consumer writes the module
        pass
    response = await AsyncClient().get("/reactpy/web_module/reactpy_django_client.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript"
    bundle = Path(reactpy_django.__file__).parent / "static" / "reactpy_django" / "client.js"
    assert response["Content-Length"] == str(bundle.stat().st_size)
