"""Components for the `use_query` / `use_mutation` tests: changed doc examples, and probes.

The examples the tests use as written are mounted from `docs/examples/`. The `doc_*` components
here are the hooks doc's examples changed to show what a test checks (the thread's name, the
relations read, the calls recorded); the others are probes. Tests and
components share this process (`reactpy_django.testing.mount` runs the consumer in-process), so
module-level `PROBE` state is how a test steers a query function and reads what it did.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from reactpy import component, hooks, html
from reactpy.core.types import VdomDict

from reactpy_django.hooks import use_mutation, use_query
from reactpy_django.types import Mutation, Query
from tests.models import Book

# The hooks doc's examples, changed to be probed -----------------------------------------------


def execute_thread_safe_operation() -> str:
    """This is an example query function that does some thread-safe operation."""
    return threading.current_thread().name


@component
def doc_query_thread_sensitive_false() -> str | None:
    """thread_sensitive=False."""
    query = use_query(execute_thread_safe_operation, thread_sensitive=False)
    if query.loading or query.error:
        return None
    return str(query.data)


def get_model_with_relationships() -> Book:
    """The doc's postprocessor_kwargs example: a model with ManyToMany and reverse FKs."""
    return Book.objects.order_by("pk").first() or Book(title="none")


@component
def doc_postprocessor_kwargs() -> str | None:
    """postprocessor_kwargs={"many_to_many": False, "many_to_one": False}."""
    query = use_query(
        get_model_with_relationships,
        postprocessor_kwargs={"many_to_many": False, "many_to_one": False},
    )
    if query.loading or query.error or not query.data:
        return None
    return f"{query.data.tags} {query.data.review_set}"


MUTATION_CALLS: list[tuple[int, bool]] = []
"""What `example_mutation` was called with."""


def example_mutation(value: int, other_value: bool = False) -> None:
    """The doc's mutation arguments example."""
    MUTATION_CALLS.append((value, other_value))


@component
def doc_mutation_args() -> str:
    """How can I provide arguments to my mutation function? (called while rendering)"""
    mutation = use_mutation(example_mutation)
    mutation(123, other_value=True)
    return f"loading={mutation.loading} error={mutation.error}"


@component
def mutation_execute_spelling() -> str:
    """reactpy-django 5.2.1's `mutation.execute(...)`, called while rendering."""
    mutation = use_mutation(example_mutation)
    mutation.execute(7, other_value=True)
    return f"execute: loading={mutation.loading} error={mutation.error}"


def execute_thread_safe_mutation(text: str) -> None:
    """This is an example mutation function that does some thread-safe operation."""
    MUTATION_CALLS.append((len(text), True))
    PROBE.runs.append(threading.current_thread().name)


@component
def doc_mutation_thread_sensitive_false() -> VdomDict:
    """use_mutation(thread_sensitive=False)."""
    item_mutation = use_mutation(execute_thread_safe_mutation, thread_sensitive=False)

    def submit_event(event: dict[str, Any]) -> None:
        if event["key"] == "Enter":
            item_mutation(text=event["target"]["value"])

    if item_mutation.loading or item_mutation.error:
        mutation_status = html.h2("Doing something...")
    elif item_mutation.error:
        mutation_status = html.h2("Error!")
    else:
        mutation_status = html.h2("Done.")
    return html.div(html.input({"type": "text", "on_key_down": submit_event}), mutation_status)


# Probes ----------------------------------------------------------------------------------


@dataclass
class Probe:
    """What the probe query functions did, and gates a test opens to let them finish."""

    runs: list[object] = field(default_factory=list)
    """The argument of every run, in start order."""
    finished: list[object] = field(default_factory=list)
    """The argument of every run that returned, in order."""
    cancelled: list[object] = field(default_factory=list)
    """The argument of every async run that was cancelled."""
    fail: bool = False
    """Whether `flaky_query` / `flaky_mutation` raise."""
    gates: dict[object, asyncio.Event] = field(default_factory=dict)
    sync_gates: dict[object, threading.Event] = field(default_factory=dict)

    def gate(self, key: object) -> asyncio.Event:
        """The event `gated_query(key)` waits for."""
        return self.gates.setdefault(key, asyncio.Event())

    def sync_gate(self, key: object) -> threading.Event:
        """The event `gated_sync_query(key)` waits for (in its thread)."""
        return self.sync_gates.setdefault(key, threading.Event())

    def open(self, key: object) -> None:
        """Let `gated_query(key)` and `gated_sync_query(key)` return."""
        self.gate(key).set()
        self.sync_gate(key).set()


PROBE = Probe()


def reset_probe() -> None:
    """A fresh probe (each test starts with one)."""
    global PROBE
    PROBE = Probe()
    MUTATION_CALLS.clear()
    HELD.clear()


async def gated_query(value: int) -> str:
    """Returns once the test opens gate `value` (so runs can finish out of order)."""
    PROBE.runs.append(value)
    try:
        await PROBE.gate(value).wait()
    except asyncio.CancelledError:
        PROBE.cancelled.append(value)
        raise
    PROBE.finished.append(value)
    return f"result {value}"


def gated_sync_query(value: int) -> str:
    """The same in a thread, where a superseded run cannot be cancelled and returns late."""
    PROBE.runs.append(value)
    PROBE.sync_gate(value).wait(timeout=20)
    PROBE.finished.append(value)
    return f"result {value}"


def _probe_view(value: int, set_value: Callable[[int], None], query: Query[str]) -> VdomDict:
    tick, set_tick = hooks.use_state(0)
    return html.div(
        html.button({"id": "next", "on_click": lambda: set_value(value + 1)}, "next"),
        html.button({"id": "tick", "on_click": lambda: set_tick(tick + 1)}, "tick"),
        html.button({"id": "refetch", "on_click": lambda: query.refetch()}, "refetch"),
        html.span(
            {"id": "state"},
            f"data={query.data} loading={query.loading} tick={tick} error={query.error!r}",
        ),
    )


@component
def kwargs_probe() -> VdomDict:
    """An async query whose kwargs follow a counter; `tick` re-renders with equal kwargs."""
    value, set_value = hooks.use_state(1)
    query = use_query(gated_query, {"value": value})
    return _probe_view(value, set_value, query)


@component
def data_only_probe() -> VdomDict:
    """Shows only `data`, never reading `loading`; `tick` re-renders it."""
    tick, set_tick = hooks.use_state(0)
    query = use_query(gated_query, {"value": 1})
    return html.div(
        html.button({"id": "tick", "on_click": lambda: set_tick(tick + 1)}, "tick"),
        html.button({"id": "refetch", "on_click": lambda: query.refetch()}, "refetch"),
        html.span({"id": "state"}, f"data={query.data} tick={tick}"),
    )


@component
def race_probe() -> VdomDict:
    """A sync query in the free pool, so an older run can finish after a newer one."""
    value, set_value = hooks.use_state(1)
    query = use_query(
        gated_sync_query, {"value": value}, thread_sensitive=False, postprocessor=None
    )
    return _probe_view(value, set_value, query)


def counted_query() -> int:
    """Counts its runs (sync, in a query thread)."""
    PROBE.runs.append(threading.current_thread().name)
    return len(PROBE.runs)


def counted_mutation(returns: bool | None = None) -> bool | None:
    """Does nothing; returning False skips the refetch."""
    return returns


@component
def refetch_probe(name: str = "probe") -> VdomDict:
    """A counted query with a mutation that refetches it: `times` calls in one handler."""
    query = use_query(counted_query, postprocessor=None)
    mutation = use_mutation(counted_mutation, refetch=[counted_query])

    def mutate(times: int, returns: bool | None = None) -> Callable[[object], None]:
        def handler(event: object) -> None:
            for _ in range(times):
                mutation(returns)

        return handler

    return html.div(
        html.button({"id": f"{name}-mutate", "on_click": mutate(1)}, "mutate"),
        html.button({"id": f"{name}-burst", "on_click": mutate(5)}, "burst"),
        html.button({"id": f"{name}-false", "on_click": mutate(1, False)}, "false"),
        html.span({"id": f"{name}-data"}, f"{name} runs={query.data} loading={query.loading}"),
        html.span({"id": f"{name}-mutation"}, f"mutation loading={mutation.loading}"),
    )


def first_query() -> str:
    """Counts its runs, as "first #<n>"."""
    PROBE.runs.append("first")
    return f"first #{PROBE.runs.count('first')}"


def second_query() -> str:
    """Counts its runs, as "second #<n>"."""
    PROBE.runs.append("second")
    return f"second #{PROBE.runs.count('second')}"


@component
def switching_query() -> VdomDict:
    """A query that a button switches from `first_query` to `second_query`, and mutations
    naming either one in `refetch=`."""
    second, set_second = hooks.use_state(False)
    query = use_query(second_query if second else first_query, postprocessor=None)
    refetch_first = use_mutation(counted_mutation, refetch=[first_query])
    refetch_second = use_mutation(counted_mutation, refetch=[second_query])
    return html.div(
        html.button({"id": "switch", "on_click": lambda: set_second(True)}, "switch"),
        html.button({"id": "refetch-first", "on_click": lambda: refetch_first()}, "first"),
        html.button({"id": "refetch-second", "on_click": lambda: refetch_second()}, "second"),
        html.span({"id": "query"}, f"data={query.data} loading={query.loading}"),
        html.span(
            {"id": "mutations"},
            f"first loading={refetch_first.loading} second loading={refetch_second.loading}",
        ),
    )


@component
def two_refetch_probes() -> VdomDict:
    """Two components of one connection querying the same function."""
    return html.div(refetch_probe("a", key="a"), refetch_probe("b", key="b"))


def flaky_query() -> str:
    """Fails while `PROBE.fail` is set."""
    PROBE.runs.append("flaky")
    if PROBE.fail:
        msg = "the database is down"
        raise RuntimeError(msg)
    return "fine"


def flaky_mutation(text: str) -> None:
    """Fails while `PROBE.fail` is set."""
    PROBE.runs.append(text)
    if PROBE.fail:
        msg = f"cannot store {text!r}"
        raise ValueError(msg)


@component
def failure_probe() -> VdomDict:
    """A failing query with refetch, a failing mutation with reset."""
    query = use_query(flaky_query, postprocessor=None)
    mutation = use_mutation(flaky_mutation)
    return html.div(
        html.button({"id": "refetch", "on_click": lambda: query.refetch()}, "refetch"),
        html.button({"id": "mutate", "on_click": lambda: mutation("x")}, "mutate"),
        html.button({"id": "reset", "on_click": lambda: mutation.reset()}, "reset"),
        html.span({"id": "query"}, f"query data={query.data} error={query.error!r}"),
        html.span(
            {"id": "mutation"}, f"mutation loading={mutation.loading} error={mutation.error!r}"
        ),
    )


async def slow_mutation(value: int) -> None:
    """Waits for its gate."""
    PROBE.runs.append(f"mutation {value}")
    await PROBE.gate(f"mutation {value}").wait()


@component
def slow_child() -> VdomDict:
    """A running query and a running mutation."""
    query = use_query(gated_query, {"value": 7})
    mutation = use_mutation(slow_mutation, refetch=gated_query)
    hooks.use_effect(lambda: mutation(7), dependencies=[])
    return html.span({"id": "child"}, f"child loading={query.loading}")


@component
def unmount_probe() -> VdomDict:
    """Shows `slow_child` until the button hides it."""
    shown, set_shown = hooks.use_state(True)
    return html.div(
        html.button({"id": "hide", "on_click": lambda: set_shown(False)}, "hide"),
        slow_child() if shown else html.span({"id": "gone"}, "child gone"),
    )


def all_books() -> QuerySet[Book]:
    """Every book, in creation order."""
    return Book.objects.order_by("pk")


@component
def books(many_to_many: bool = True, many_to_one: bool = True) -> VdomDict:
    """Every book with its author, tags and review stars, read while rendering."""
    query = use_query(
        all_books,
        postprocessor_kwargs={"many_to_many": many_to_many, "many_to_one": many_to_one},
    )
    if query.loading or query.error or query.data is None:
        return html.p({"id": "status"}, f"loading={query.loading} error={query.error!r}")
    return html.ul(
        {"id": "books"},
        [
            html.li(
                {"key": str(book.pk)},
                f"{book.title} by {book.author.name}; "
                f"tags {','.join(tag.label for tag in book.tags.all())}; "
                f"stars {','.join(str(review.stars) for review in book.review_set.all())}",
            )
            for book in query.data
        ],
    )


def mark_postprocessor(data: object, mark: str = "marked") -> str:
    """A default postprocessor a test names in `REACTPY_DEFAULT_QUERY_POSTPROCESSOR`."""
    return f"{mark}: {data}"


async def late_failing_mutation(value: int) -> None:
    """Waits for its gate, then fails."""
    PROBE.runs.append(f"failing {value}")
    await PROBE.gate(f"failing {value}").wait()
    msg = f"mutation {value} failed late"
    raise ValueError(msg)


@component
def reset_while_running() -> VdomDict:
    """A mutation that fails once its gate opens, reset, and an unrelated re-render."""
    mutation = use_mutation(late_failing_mutation)
    bumps, set_bumps = hooks.use_state(0)
    return html.div(
        html.button({"id": "mutate", "on_click": lambda: mutation(1)}, "mutate"),
        html.button({"id": "reset", "on_click": lambda: mutation.reset()}, "reset"),
        html.button({"id": "bump", "on_click": lambda: set_bumps(bumps + 1)}, "bump"),
        html.span(
            {"id": "mutation"},
            f"bumps={bumps} loading={mutation.loading} error={mutation.error!r}",
        ),
    )


class Uncomparable:
    """An argument whose `==` raises."""

    def __eq__(self, other: object) -> bool:
        msg = "Uncomparable values cannot be compared"
        raise TypeError(msg)

    __hash__ = object.__hash__


def recorded_mutation(value: object) -> None:
    """Records the type of its argument."""
    PROBE.runs.append(type(value).__name__)


@component
def render_call_with_uncomparable_argument() -> VdomDict:
    """Calls a mutation while rendering, with an argument `==` cannot compare."""
    mutation = use_mutation(recorded_mutation)
    bumps, set_bumps = hooks.use_state(0)
    mutation(Uncomparable())
    return html.div(
        html.button({"id": "bump", "on_click": lambda: set_bumps(bumps + 1)}, "bump"),
        html.span({"id": "status"}, f"bumps={bumps} loading={mutation.loading}"),
    )


HELD: list[Mutation[[object]]] = []
"""The latest `Mutation` `held_mutation` rendered, for a test to call from outside."""


def recorded_value(value: object) -> None:
    """Records its argument, and the thread it ran in (in `PROBE.finished`)."""
    PROBE.runs.append(value)
    PROBE.finished.append(threading.current_thread().name)


@component
def held_mutation() -> VdomDict:
    """Hands its mutation to the test through `HELD`."""
    mutation = use_mutation(recorded_value)
    HELD[:] = [mutation]
    return html.span({"id": "held"}, f"held loading={mutation.loading}")


@component
def held_mutation_parent() -> VdomDict:
    """`held_mutation` until the button hides it, and a mutation of its own."""
    shown, set_shown = hooks.use_state(True)
    own = use_mutation(recorded_value)
    return html.div(
        html.button({"id": "hide", "on_click": lambda: set_shown(False)}, "hide"),
        html.button({"id": "own", "on_click": lambda: own("own call")}, "own"),
        held_mutation() if shown else html.span({"id": "gone"}, "child gone"),
    )


async def gated_recorded_mutation(value: int) -> None:
    """Records its start, waits for the gate `mutation {value}`, records that it finished."""
    PROBE.runs.append(value)
    await PROBE.gate(f"mutation {value}").wait()
    PROBE.finished.append(value)


@component
def overlapping_calls() -> VdomDict:
    """Two calls of one mutation, each finishing when the test opens its gate."""
    mutation = use_mutation(gated_recorded_mutation)
    bumps, set_bumps = hooks.use_state(0)
    return html.div(
        html.button({"id": "first", "on_click": lambda: mutation(1)}, "first"),
        html.button({"id": "second", "on_click": lambda: mutation(2)}, "second"),
        html.button({"id": "bump", "on_click": lambda: set_bumps(bumps + 1)}, "bump"),
        html.span({"id": "status"}, f"bumps={bumps} loading={mutation.loading}"),
    )


def three_rows() -> int:
    """A sync query function."""
    return 3


async def async_describe(data: object) -> str:
    """An async postprocessor."""
    return f"processed {data}"


@component
def sync_query_async_postprocessor() -> VdomDict:
    """A sync query function with an async postprocessor."""
    query = use_query(three_rows, postprocessor=async_describe)
    return html.span({"id": "data"}, f"data={query.data} loading={query.loading}")


async def _three() -> int:
    return 3


def three_rows_later() -> Coroutine[Any, Any, int]:
    """A sync query function that returns a coroutine."""
    return _three()


@component
def sync_query_returning_a_coroutine() -> VdomDict:
    """A sync query function returning a coroutine, with an async postprocessor."""
    query = use_query(three_rows_later, postprocessor=async_describe)
    return html.span({"id": "data"}, f"data={query.data} loading={query.loading}")


def thread_of_postprocessor(data: object) -> str:
    """A sync postprocessor: the thread it ran in."""
    return f"{data} in {threading.current_thread().name}"


@component
def async_query_sync_postprocessor() -> VdomDict:
    """An async query function with a sync postprocessor."""
    query = use_query(_three, postprocessor=thread_of_postprocessor)
    return html.span({"id": "data"}, f"data={query.data} loading={query.loading}")
