"""Test-only components for the user hooks: use_user, use_auth and use_user_data."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from reactpy import component, hooks, html
from reactpy.core.types import VdomDict

from reactpy_django.exceptions import UserNotFoundError
from reactpy_django.hooks import use_auth, use_root_id, use_scope, use_user, use_user_data


def _name(user: object) -> str:
    username = str(getattr(user, "username", ""))
    return username or "AnonymousUser"


@component
def auth_view() -> VdomDict:
    """The hooks doc's use_auth example, with ids, a second user and a login without rerender."""
    auth = use_auth()
    user = use_user()
    error, set_error = hooks.use_state("")

    async def login_as(username: str, rerender: bool = True) -> None:
        try:
            new_user, _created = await get_user_model().objects.aget_or_create(username=username)
            await auth.login(new_user, rerender=rerender)
        except Exception as exception:
            set_error(f"{type(exception).__name__}: {exception}")

    async def login_user(event: object) -> None:
        await login_as("ExampleUser")

    async def login_other(event: object) -> None:
        await login_as("OtherUser")

    async def login_quietly(event: object) -> None:
        await login_as("QuietUser", rerender=False)

    async def logout_user(event: object) -> None:
        await auth.logout()

    return html.div(
        html.p({"id": "current"}, f"Current User: {_name(user)}"),
        html.button({"id": "login", "onClick": login_user}, "Login"),
        html.button({"id": "login-other", "onClick": login_other}, "Login as OtherUser"),
        html.button({"id": "login-quiet", "onClick": login_quietly}, "Login without rerender"),
        html.button({"id": "logout", "onClick": logout_user}, "Logout"),
        html.p({"id": "auth-error"}, error),
    )


@component
def user_view() -> VdomDict:
    """Only reads `use_user()`: another component (or tab) of the same browser session."""
    return html.p({"id": "watcher"}, f"Watcher sees: {_name(use_user())}")


@component
def user_or_error() -> VdomDict:
    """Shows `use_user()`'s error instead of failing the render."""
    try:
        user = use_user()
    except UserNotFoundError as error:
        return html.p({"id": "user-error"}, f"{type(error).__name__}: {error}")
    return html.p({"id": "watcher"}, _name(user))


@component
def arguments_and_user(label: str, **kwargs: Any) -> VdomDict:
    """A component with stored arguments: they must stay usable across a login."""
    return html.div(
        html.p({"id": "label"}, f"label:{label}"),
        html.p({"id": "root"}, use_root_id()),
        html.p({"id": "watcher"}, f"Watcher sees: {_name(use_user())}"),
    )


@component
def user_data_doc() -> VdomDict:
    """The hooks doc's first use_user_data example (ids added), guarded as the page means it.

    The doc writes `query.data` for "loaded"; an empty stored dict is falsy (a plain dict, as
    in reactpy-django 5.2.1), so that guard would never add the first key.
    """
    query, mutation = use_user_data()

    def on_submit(event: dict[str, Any]) -> None:
        if event["key"] == "Enter" and query.data is not None:
            new_key = str(len(query.data))
            mutation({**query.data, new_key: event["target"]["value"]})

    return html.div(
        html.div({"id": "data"}, f"Data: {query.data}"),
        html.div({"id": "loading"}, f"Loading: {query.loading | mutation.loading}"),
        html.div({"id": "errors"}, f"Error(s): {query.error} {mutation.error}"),
        html.input({"id": "entry", "on_key_press": on_submit}),
    )


@component
def user_data_guard() -> VdomDict:
    """A reactpy-django 5.2.1 site's guard: `if not query.data:` means "nothing stored yet"."""
    query, mutation = use_user_data()

    def store(event: object) -> None:
        mutation({"theme": "dark"})

    if query.data is None:
        text = "Loading" if query.loading else "Anonymous"
    elif not query.data:
        text = "Nothing stored yet"
    else:
        text = f"Stored: {sorted(query.data)}"
    return html.div(
        html.p({"id": "guard"}, text),
        html.button({"id": "store", "on_click": store}, "Store"),
    )


def sync_default() -> str:
    """A computed default (sync: runs in a thread)."""
    return "from sync"


async def async_default() -> list[int]:
    """A computed default (async)."""
    return [1, 2, 3]


@component
def user_data_defaults(save: bool = False) -> VdomDict:
    """The hooks doc's default_data example, with `save_default_data` from the argument."""
    user_data = use_user_data(
        default_data={
            "basic_example": "123",
            "computed_example_sync": sync_default,
            "computed_example_async": async_default,
        },
        save_default_data=save,
    )
    data = user_data.query.data
    return html.div(
        html.div({"id": "data"}, f"Data: {dict(sorted(data.items())) if data else data}"),
        html.div({"id": "errors"}, f"Error: {user_data.query.error}"),
    )


@component
def user_data_changing_defaults() -> VdomDict:
    """Defaults built in every render: a value a button changes, and a function (a new
    closure each render, the same code) that counts its calls."""
    theme, set_theme = hooks.use_state("light")
    bumps, set_bumps = hooks.use_state(0)
    calls = hooks.use_ref(0)

    def computed() -> int:
        calls.current += 1
        return calls.current

    query, _ = use_user_data(default_data={"theme": theme, "computed": computed})
    data = query.data
    return html.div(
        html.button({"id": "dark", "on_click": lambda: set_theme("dark")}, "dark"),
        html.button({"id": "bump", "on_click": lambda: set_bumps(bumps + 1)}, "bump"),
        html.div({"id": "bumps"}, f"bumps={bumps}"),
        html.div({"id": "data"}, f"Data: {dict(sorted(data.items())) if data else data}"),
    )


class Greeting:
    """A computed default that is a callable object (no `__code__`), whose `==` raises."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __call__(self) -> str:
        return self.text

    def __eq__(self, other: object) -> bool:
        msg = "Greeting objects cannot be compared"
        raise TypeError(msg)

    __hash__ = object.__hash__


@component
def user_data_uncomparable_default() -> VdomDict:
    """A default that `==` cannot compare, kept (one object) until a button replaces it."""
    text, set_text = hooks.use_state("hello")
    greeting = hooks.use_memo(lambda: Greeting(text), [text])
    query, _ = use_user_data(default_data={"greeting": greeting})
    return html.div(
        html.button({"id": "goodbye", "on_click": lambda: set_text("goodbye")}, "goodbye"),
        html.div({"id": "data"}, f"Data: {query.data}"),
    )


@component
def user_data_editor(name: str = "editor") -> VdomDict:
    """Shows the data and writes whatever value a button names (some are not JSON)."""
    query, mutation = use_user_data()
    values: dict[str, Any] = {
        "theme-dark": {"theme": "dark"},
        "theme-light": {"theme": "light"},
        "a-set": {"theme": {"dark", "light"}},
        "nan": {"ratio": float("nan")},
        "int-key": {"nested": {1: "one"}},
        "not-a-dict": ["theme"],
    }

    def writer(value: Any) -> Callable[[object], None]:
        def write(event: object) -> None:
            mutation(value)

        return write

    return html.div(
        html.div({"id": f"{name}-data"}, f"Data: {query.data}"),
        html.div({"id": f"{name}-state"}, f"loading={query.loading} saving={mutation.loading}"),
        html.div({"id": f"{name}-error"}, f"Error: {mutation.error}"),
        [
            html.button({"id": f"{name}-{label}", "on_click": writer(value), "key": label}, label)
            for label, value in values.items()
        ],
    )


@component
def scope_user_view() -> VdomDict:
    """Uses no auth hook: reads the scope's user through `use_scope()`, so only the root's
    login sync link (registered by the app, not imported by this tree) can move it."""
    return html.p({"id": "scope-user"}, f"Scope user: {_name(use_scope().get('user'))}")


@component
def session_view() -> VdomDict:
    """Shows the key of the connection's session (`use_scope()["session"]`)."""
    session = use_scope().get("session")
    return html.p({"id": "session"}, f"Session: {getattr(session, 'session_key', None)}")
