"""use_mutation: `Mutation[P]` keeps the mutation function's parameters; wrong calls fail."""

from __future__ import annotations

from typing import assert_type

from django.db.models import QuerySet

from demo_app.models import TodoItem
from reactpy_django.hooks import use_mutation


async def add_item(text: str) -> None:
    await TodoItem(text=text).asave()


def add_item_sync(text: str) -> None:
    TodoItem(text=text).save()


def get_items() -> QuerySet[TodoItem]:
    return TodoItem.objects.all()


def async_mutation_example() -> None:
    # The doc's first example. Mutation[P] keeps the names too (`Mutation[(text: str)]`),
    # so the calls below say what P is.
    item_mutation = use_mutation(add_item)
    item_mutation(text="milk")
    item_mutation("milk")
    assert_type(item_mutation.loading, bool)
    assert_type(item_mutation.error, Exception | None)
    item_mutation(text=1)  # E: arg-type reportArgumentType
    item_mutation()  # E: call-arg reportCallIssue
    item_mutation(txt="milk")  # E: call-arg reportCallIssue


def example_mutation(value: int, other_value: bool = False) -> None: ...


def arguments_example() -> None:
    mutation = use_mutation(example_mutation)
    mutation(123, other_value=True)
    mutation(123)
    mutation("123")  # E: arg-type reportArgumentType
    mutation(123, True, 1)  # E: call-arg reportCallIssue


def execute_spelling() -> None:
    # reactpy-django 5.2.1's `mutation.execute(...)`: the same parameters as a call
    mutation = use_mutation(example_mutation)
    mutation.execute(123, other_value=True)
    assert_type(mutation.execute(123), None)
    mutation.execute("123")  # E: arg-type reportArgumentType
    mutation.execute(123, nope=True)  # E: call-arg reportCallIssue
    mutation.execute()  # E: call-arg reportCallIssue


def execute_thread_safe_mutation(text: str) -> None:
    """This is an example mutation function that does some thread-safe operation."""


def thread_sensitive_example() -> None:
    item_mutation = use_mutation(execute_thread_safe_mutation, thread_sensitive=False)
    item_mutation(text="x")
    use_mutation(execute_thread_safe_mutation, False)  # E: misc reportCallIssue
    mutate = execute_thread_safe_mutation
    use_mutation(mutate, thread_sensitive=None)  # E: arg-type reportArgumentType


def reset_example() -> None:
    item_mutation = use_mutation(add_item_sync)
    item_mutation.reset()
    item_mutation.reset(True)  # E: call-arg reportCallIssue
    item_mutation.loading = False  # E: misc reportAttributeAccessIssue


def refetch_example() -> None:
    use_mutation(add_item_sync, refetch=get_items)
    use_mutation(add_item_sync, refetch=[get_items, TodoItem.objects.all])
    use_mutation(add_item_sync, refetch=(get_items,))
    use_mutation(add_item_sync, refetch="get_items")  # E: arg-type reportArgumentType
    use_mutation(add_item_sync, refetch=42)  # E: arg-type reportArgumentType


def returning_false_skips_the_refetch(text: str) -> bool:
    return bool(text)


def any_return_is_allowed(text: str) -> TodoItem:
    return TodoItem.objects.create(text=text)


def returns_are_free() -> None:
    use_mutation(returning_false_skips_the_refetch)("text")
    use_mutation(any_return_is_allowed)(text="text")
    use_mutation(any_return_is_allowed)(1)  # E: arg-type reportArgumentType
    use_mutation(42)  # E: arg-type reportArgumentType
