"""Components for the several-processes tests (`tests/test_multiprocess.py`).

Each one renders the name of the server process it runs in (`REACTPY_TEST_SERVER_NAME`,
"A" or "B"), so a test sees which process serves a page's WebSocket.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from django.contrib.auth import get_user_model
from reactpy import component, hooks, html
from reactpy.core.types import VdomDict

from demo_app.models import TodoItem
from reactpy_django.hooks import (
    use_auth,
    use_channel_layer,
    use_mutation,
    use_query,
    use_user,
    use_user_data,
)
from reactpy_django.types import ChannelMessage

SERVER = os.environ.get("REACTPY_TEST_SERVER_NAME", "test")
"""This process's name, given by the test that started it."""

BURST = 50
"""How many mutations the todo list's "burst" button starts at once."""


def _served() -> VdomDict:
    return html.p({"id": "server"}, f"served by {SERVER}")


def _name(user: object) -> str:
    return str(getattr(user, "username", "")) or "AnonymousUser"


# Component arguments ---------------------------------------------------------------------------


@component
def arguments_view(label: str, *, number: int) -> VdomDict:
    """Shows the arguments the page's HTTP request stored."""
    return html.div(_served(), html.p({"id": "arguments"}, f"label={label} number={number}"))


# use_channel_layer -----------------------------------------------------------------------------


@component
def chat(group: str) -> VdomDict:
    """Sends what is typed to `group` and lists what the group received, with its sender."""
    received, set_received = hooks.use_state(tuple[str, ...]())

    async def receive(message: ChannelMessage) -> None:
        line = f"{message['server']} said {message['text']}"
        set_received(lambda lines: (*lines, line))

    sender = use_channel_layer(group=group, receiver=receive)

    async def send(event: dict[str, Any]) -> None:
        if event["key"] == "Enter":
            await sender({"text": event["target"]["value"], "server": SERVER})

    return html.div(
        _served(),
        html.input({"id": "message", "type": "text", "onKeyDown": send}),
        html.ul(
            {"id": "received"},
            [html.li({"key": index}, line) for index, line in enumerate(received)],
        ),
    )


# use_query / use_mutation(refetch=) --------------------------------------------------------------


class RunCounter:
    """Counts the runs of one component's query function (kept in a `use_ref`)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._runs = 0

    def next(self) -> int:
        """Count one more run; the number of runs so far."""
        with self._lock:
            self._runs += 1
            return self._runs


def todo_texts(counter: RunCounter) -> tuple[int, list[str]]:
    """The todo items' texts, and how many times this component's query has run."""
    return counter.next(), [item.text for item in TodoItem.objects.order_by("pk")]


def add_todo(text: str) -> None:
    """Store a todo item."""
    TodoItem.objects.create(text=text)


@component
def todo_list() -> VdomDict:
    """The items (refetched by mutations on any process), an "add" and a "burst" button."""
    counter = hooks.use_ref(RunCounter()).current
    query = use_query(todo_texts, {"counter": counter}, postprocessor=None)
    mutation = use_mutation(add_todo, refetch=todo_texts)
    added, set_added = hooks.use_state(0)

    def add(event: object) -> None:
        mutation(f"item {SERVER}{added}")
        set_added(added + 1)

    def burst(event: object) -> None:
        for number in range(BURST):
            mutation(f"burst {SERVER}{number}")

    if query.data is None:
        shown = html.p({"id": "items"}, "loading" if query.loading else f"error: {query.error}")
    else:
        runs, texts = query.data
        shown = html.div(
            html.p({"id": "count"}, f"{len(texts)} items"),
            html.p({"id": "runs"}, f"query runs in {SERVER}: {runs}"),
            html.ul({"id": "items"}, [html.li({"key": text}, text) for text in texts]),
        )
    return html.div(
        _served(),
        html.p({"id": "state"}, "loading" if query.loading else "loaded"),
        html.button({"id": "add", "onClick": add}, "Add"),
        html.button({"id": "burst", "onClick": burst}, f"Add {BURST}"),
        shown,
    )


# use_auth / use_user ------------------------------------------------------------------------------


@component
def login_view() -> VdomDict:
    """Logs in as `multi-user` (created if needed), or out; shows the connection's user."""
    auth = use_auth()
    user = use_user()

    async def login(event: object) -> None:
        new_user, _ = await get_user_model().objects.aget_or_create(username="multi-user")
        await auth.login(new_user)

    async def logout(event: object) -> None:
        await auth.logout()

    return html.div(
        _served(),
        html.p({"id": "user"}, f"user: {_name(user)}"),
        html.button({"id": "login", "onClick": login}, "Login"),
        html.button({"id": "logout", "onClick": logout}, "Logout"),
    )


@component
def user_view() -> VdomDict:
    """Only reads `use_user()`: another tab of the same browser session."""
    return html.div(_served(), html.p({"id": "user"}, f"user: {_name(use_user())}"))


# use_user_data -----------------------------------------------------------------------------------


@component
def user_data_view() -> VdomDict:
    """The user's stored `note`, and a field that stores a new one on Enter."""
    query, mutation = use_user_data()

    def store(event: dict[str, Any]) -> None:
        if event["key"] == "Enter" and query.data is not None:
            mutation({**query.data, "note": event["target"]["value"]})

    note = "loading" if query.data is None else str(query.data.get("note", "(none)"))
    return html.div(
        _served(),
        html.p({"id": "note"}, f"note: {note}"),
        html.input({"id": "new-note", "type": "text", "onKeyDown": store}),
    )
