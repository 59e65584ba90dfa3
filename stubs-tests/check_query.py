"""use_query: the `Query[T]` every form of the hooks doc infers, and calls that are rejected."""

from __future__ import annotations

from collections.abc import Iterable
from typing import assert_type

from channels.db import database_sync_to_async
from django.db.models import QuerySet

from demo_app.models import TodoItem
from reactpy_django.hooks import use_query
from reactpy_django.types import Query
from reactpy_django.utils import django_query_postprocessor
from tests.models import Book


async def get_items() -> QuerySet[TodoItem]:
    return await database_sync_to_async(TodoItem.objects.all)()


def get_items_sync() -> QuerySet[TodoItem]:
    return TodoItem.objects.all()


def async_query_function_gives_the_awaited_type() -> None:
    item_query = use_query(get_items)  # the doc's first example
    assert_type(item_query, Query[QuerySet[TodoItem]])
    if item_query.loading:
        pass
    elif item_query.error or not item_query.data:
        assert_type(item_query.data, QuerySet[TodoItem] | None)
    else:
        for item in item_query.data:
            assert_type(item, TodoItem)
            assert_type(item.text, str)


def sync_query_function_gives_its_return_type() -> None:
    assert_type(use_query(get_items_sync), Query[QuerySet[TodoItem]])
    assert_type(use_query(TodoItem.objects.all), Query[QuerySet[TodoItem]])
    assert_type(use_query(lambda: 3), Query[int])


def example_query(value: int, other_value: bool = False) -> None: ...


def kwargs_example() -> None:
    query = use_query(example_query, {"value": 123, "other_value": True})
    assert_type(query, Query[None])
    assert_type(query.data, None)
    use_query(example_query, [("value", 123)])  # E: call-overload reportCallIssue


def execute_thread_safe_operation() -> None:
    """This is an example query function that does some thread-safe operation."""


def thread_sensitive_example() -> None:
    query = use_query(execute_thread_safe_operation, thread_sensitive=False)
    assert_type(query, Query[None])
    operation = execute_thread_safe_operation
    use_query(operation, thread_sensitive="no")  # E: call-overload reportCallIssue
    use_query(operation, None, False)  # E: call-overload reportCallIssue


def execute_io_intensive_operation() -> list[tuple[str, int]]:
    """This is an example query function that does something IO intensive."""
    return [("a", 1)]


def postprocessor_none_example() -> None:
    query = use_query(execute_io_intensive_operation, postprocessor=None)
    assert_type(query, Query[list[tuple[str, int]]])


def my_postprocessor(
    data: Iterable[tuple[str, int]], example_kwarg: bool = True
) -> Iterable[tuple[str, int]] | dict[str, int]:
    if example_kwarg:
        return data
    return dict(data)


async def my_async_postprocessor(data: list[tuple[str, int]], *, scale: int = 1) -> int:
    return len(data) * scale


def custom_postprocessor_example() -> None:
    query = use_query(
        execute_io_intensive_operation,
        postprocessor=my_postprocessor,
        postprocessor_kwargs={"example_kwarg": False},
    )
    # The data is what the postprocessor returns.
    assert_type(query, Query[Iterable[tuple[str, int]] | dict[str, int]])
    assert_type(use_query(get_items, postprocessor=len), Query[int])
    processed = use_query(execute_io_intensive_operation, postprocessor=my_async_postprocessor)
    assert_type(processed, Query[int])  # an async postprocessor's awaited result


def takes_a_string(data: str) -> str:
    return data


def postprocessor_must_accept_the_data() -> None:
    operation = execute_io_intensive_operation
    use_query(operation, postprocessor=takes_a_string)  # E: arg-type reportCallIssue
    use_query(get_items, postprocessor=takes_a_string)  # E: arg-type reportCallIssue


def get_model_with_relationships() -> Book:
    return Book.objects.get(id=1)


def postprocessor_kwargs_example() -> None:
    query = use_query(
        get_model_with_relationships,
        postprocessor_kwargs={"many_to_many": False, "many_to_one": False},
    )
    assert_type(query, Query[Book])
    if query.loading or query.error or not query.data:
        return
    assert_type(query.data, Book)
    get = get_model_with_relationships
    use_query(get, postprocessor_kwargs={"depth": 1})
    use_query(get, postprocessor_kwargs={"many_to_many": "no"})  # E: call-overload reportCallIssue
    use_query(get, postprocessor_kwargs={"many_to_mny": False})  # E: call-overload reportCallIssue


def default_postprocessor_keeps_the_type() -> None:
    books = Book.objects.all()
    assert_type(django_query_postprocessor(books), QuerySet[Book])
    assert_type(django_query_postprocessor(books, many_to_many=False, depth=1), QuerySet[Book])
    django_query_postprocessor(books, False, False, 2)  # E: misc reportCallIssue


def query_object_api(query: Query[QuerySet[TodoItem]]) -> None:
    query.refetch()
    assert_type(query.loading, bool)
    assert_type(query.error, Exception | None)
    query.refetch(True)  # E: call-arg reportCallIssue
    query.data.count()  # E: union-attr reportOptionalMemberAccess
    query.error = None  # E: misc reportAttributeAccessIssue


def not_a_query_function() -> None:
    use_query(42)  # E: call-overload reportCallIssue
    use_query(get_items, {"value": 1}, postprocessor=42)  # E: call-overload reportCallIssue
