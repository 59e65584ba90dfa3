"""Components of the user-hooks demo page: use_user, use_auth and use_user_data."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from reactpy import component, html
from reactpy.core.types import VdomDict

from reactpy_django.hooks import use_auth, use_user, use_user_data

DEFAULT_SETTINGS: dict[str, object] = {"theme": "light", "greeting": "Hello"}


@component
def login_panel() -> VdomDict:
    """The hooks doc's use_auth example: log in as a demo user, log out."""
    auth = use_auth()
    user = use_user()

    async def login_user(event: object) -> None:
        new_user, _created = await get_user_model().objects.aget_or_create(username="ExampleUser")
        await auth.login(new_user)

    async def logout_user(event: object) -> None:
        await auth.logout()

    return html.div(
        html.p({"id": "current-user"}, f"Current User: {user}"),
        html.button({"id": "login", "onClick": login_user}, "Login"),
        html.button({"id": "logout", "onClick": logout_user}, "Logout"),
    )


@component
def user_card() -> VdomDict:
    """Another component: it sees the login at once, without a reload."""
    user = use_user()
    if not user.is_authenticated:
        return html.p({"id": "user-card"}, "Nobody is logged in.")
    return html.p({"id": "user-card"}, f"Hello {user.get_username()}, user #{user.pk}.")


@component
def user_settings() -> VdomDict:
    """Settings kept per user with use_user_data (defaults shown until saved)."""
    query, mutation = use_user_data(default_data=DEFAULT_SETTINGS)

    if query.loading and query.data is None:
        return html.p("Loading settings...")
    if query.error:
        return html.p(f"Could not load settings: {query.error}")
    if query.data is None:
        return html.p({"id": "settings"}, "Log in to keep your settings.")
    data = query.data

    def save(**changes: Any) -> None:
        mutation({**data, **changes})

    def on_theme(event: dict[str, Any]) -> None:
        save(theme=str(event["target"]["value"]))

    def on_greeting(event: dict[str, Any]) -> None:
        if event["key"] == "Enter":
            save(greeting=str(event["target"]["value"]))

    return html.div(
        {"id": "settings"},
        html.label(
            "Theme: ",
            html.select(
                {"id": "theme", "value": str(data.get("theme")), "on_change": on_theme},
                html.option({"value": "light"}, "light"),
                html.option({"value": "dark"}, "dark"),
            ),
        ),
        html.label(
            " Greeting (Enter saves): ",
            html.input(
                {
                    "id": "greeting",
                    "default_value": str(data.get("greeting")),
                    "on_key_down": on_greeting,
                }
            ),
        ),
        html.p({"id": "saved"}, f"Saved: {data}"),
        html.p("Saving..." if mutation.loading else ""),
        html.p({"id": "settings-error"}, f"Error: {mutation.error}" if mutation.error else ""),
    )


@component
def user_data_log() -> VdomDict:
    """The hooks doc's first use_user_data example, as written: Enter adds a key."""
    query, mutation = use_user_data()

    def on_submit(event: dict[str, Any]) -> None:
        if event["key"] == "Enter" and query.data:
            new_key = str(len(query.data))
            mutation({**query.data, new_key: event["target"]["value"]})

    return html.div(
        html.div({"id": "log-data"}, f"Data: {query.data}"),
        html.div(f"Loading: {query.loading | mutation.loading}"),
        html.div(f"Error(s): {query.error} {mutation.error}"),
        html.input({"id": "log-entry", "on_key_press": on_submit}),
    )
