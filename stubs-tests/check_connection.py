"""What a component sees from the connection hooks, and the mistakes the checkers catch."""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from typing import Any, assert_type

from django.http import HttpRequest

from reactpy_django.consumer import ReactpyAsyncWebsocketConsumer
from reactpy_django.hooks import (
    use_connection,
    use_location,
    use_origin,
    use_rerender,
    use_root_id,
    use_scope,
)
from reactpy_django.types import Connection, Location


def every_hook() -> None:
    connection = use_connection()
    assert_type(connection, Connection)  # reactpy's Connection, with our carrier type
    assert_type(connection.carrier, ReactpyAsyncWebsocketConsumer | HttpRequest)
    assert_type(connection.location, Location)
    assert_type(use_scope(), MutableMapping[str, Any])  # an ASGI scope: values are anything
    assert_type(use_location().pathname, str)
    assert_type(use_location().search, str)  # "" or "?a=1": the "?" is included
    assert_type(use_origin(), str | None)
    assert_type(use_root_id(), str)
    assert_type(use_rerender(), Callable[[], None])


def carrier_narrows() -> None:
    # Narrow on the consumer: with django-stubs' mypy plugin, isinstance(x, HttpRequest)
    # narrows to its private _MutableHttpRequest and leaves the other branch un-narrowed.
    carrier = use_connection().carrier
    if isinstance(carrier, ReactpyAsyncWebsocketConsumer):
        assert_type(carrier, ReactpyAsyncWebsocketConsumer)
        assert_type(carrier.dotted_path, str)  # reactpy-django's consumer attribute
    else:
        assert_type(carrier, HttpRequest)  # prerendering


def the_docs_examples_type_check() -> tuple[str, str, Callable[[], None]]:
    location = use_location()
    rerender = use_rerender()

    def on_click() -> None:  # the doc's zero-argument handler
        rerender()

    return location.pathname + location.search, use_origin() or "No origin", on_click


def mistakes() -> None:
    use_origin().startswith("https")  # E: union-attr reportOptionalMemberAccess
    use_location().query_string  # E: attr-defined reportAttributeAccessIssue
    use_rerender()(True)  # E: call-arg reportCallIssue
    use_root_id() + 1  # E: operator reportOperatorIssue
    use_connection().carrier.user  # E: union-attr reportAttributeAccessIssue
    # Only the consumer has it: narrow first (the HttpRequest carrier while prerendering).
    use_connection().carrier.dotted_path  # E: union-attr reportAttributeAccessIssue
    use_connection().location = "/"  # E: assignment reportAttributeAccessIssue
