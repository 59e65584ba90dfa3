"""Login sync reaches every connection root through `_login_sync`, the interface the root owns."""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from typing import Any

import pytest

from reactpy_django import _auth_session, _login_sync
from reactpy_django._state import ConnectionState
from reactpy_django.testing import mount

AUTH = "tests.auth_components.auth_view"
SCOPE_USER = "tests.auth_components.scope_user_view"


def test_the_app_registers_the_auth_machinery() -> None:
    redeemed: list[str] = []
    state = ConnectionState(root_id="registered")
    _login_sync.attach_connection({}, state, redeemed.append)  # AppConfig.ready() registered it
    links = [link for link in state.extensions.values() if isinstance(link, _auth_session.AuthLink)]
    assert len(links) == 1  # the auth machinery linked it
    assert links[0].state is state


def test_the_root_calls_only_what_is_registered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_login_sync, "_registered", None)
    state = ConnectionState(root_id="unregistered")
    _login_sync.attach_connection({}, state, lambda url: None)  # nothing registered: no-op
    assert state.extensions == {}

    seen: list[tuple[MutableMapping[str, Any], ConnectionState]] = []

    def attach(
        scope: MutableMapping[str, Any], state: ConnectionState, redeem: Callable[[str], None], /
    ) -> None:
        seen.append((scope, state))

    _login_sync.register(attach)
    scope: dict[str, Any] = {"type": "websocket"}
    _login_sync.attach_connection(scope, state, lambda url: None)
    assert seen == [(scope, state)]


@pytest.mark.django_db(transaction=True)
@pytest.mark.backends
async def test_a_tree_without_auth_hooks_follows_a_login_of_its_session() -> None:
    async with mount(AUTH) as page, mount(SCOPE_USER, session=page.session) as plain:
        assert plain.find(id="scope-user").text == "Scope user: AnonymousUser"
        await page.click(id="login")
        await plain.wait_for_text("Scope user: ExampleUser")
        await page.click(id="logout")
        await plain.wait_for_text("Scope user: AnonymousUser")
