"""`use_query`: the hooks doc's examples, kwargs, ordering, failures, unmount, refetch."""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Callable, Iterator

import pytest
from asgiref.sync import sync_to_async
from channels.layers import BaseChannelLayer, InMemoryChannelLayer, get_channel_layer
from django.test import Client, override_settings

from demo_app.models import TodoItem
from reactpy_django import _refetch, _relay
from reactpy_django.testing import MountedComponent, mount
from tests import query_components
from tests.models import Author, Book, Review, Tag
from tests.multiprocess import other_process

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.backends]


@pytest.fixture(autouse=True)
def _fresh_probe() -> None:
    query_components.reset_probe()


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def layout_log() -> Iterator[list[logging.LogRecord]]:
    """ReactPy's layout log at DEBUG (it says when a render is asked of an unmounted component)."""
    logger = logging.getLogger("reactpy.core.layout")
    handler, level = _Records(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    yield handler.records
    logger.removeHandler(handler)
    logger.setLevel(level)


async def eventually(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    """Wait until `condition()` holds (for state no rendered frame announces)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            msg = f"condition not met within {timeout}s"
            raise TimeoutError(msg)
        await asyncio.sleep(0.01)  # polling until the deadline


def _our_tasks() -> list[str]:
    return [
        task.get_name()
        for task in asyncio.all_tasks()
        if task.get_name().startswith(("use_query:", "use_mutation:", "reactpy-refetch"))
    ]


GATED = _refetch.function_name(query_components.gated_query)
COUNTED = _refetch.function_name(query_components.counted_query)


# The doc's examples --------------------------------------------------------------------------


async def test_doc_async_query_function_lists_items() -> None:
    await TodoItem.objects.acreate(text="Buy milk")
    await TodoItem.objects.acreate(text="Walk the dog")
    async with mount("docs.examples.use_query.todo_list") as page:
        await page.wait_for_text("Rendered items: Buy milkWalk the dog")
        assert [item.text for item in page.find_all("li")] == ["Buy milk", "Walk the dog"]


async def test_doc_async_query_shows_error_branch_for_no_items() -> None:
    async with mount("docs.examples.use_query.todo_list") as page:
        await page.wait_for_text("Error when loading!")  # the doc's `not item_query.data`


async def test_doc_kwargs_reach_the_query_function() -> None:
    async with mount("docs.examples.use_query_args.my_component") as page:
        await page.wait_for_text("value=123 other_value=True")


async def test_doc_thread_sensitive_false_runs_in_the_free_pool() -> None:
    async with mount("tests.query_components.doc_query_thread_sensitive_false") as page:
        await page.wait_for_text("reactpy-query-free")


async def test_sync_queries_run_in_the_query_threads() -> None:
    async with mount("tests.query_components.refetch_probe") as page:
        await page.wait_for_text("probe runs=1 loading=False")
    assert str(query_components.PROBE.runs[0]).startswith("reactpy-query_")


async def test_an_async_postprocessor_of_a_sync_query_is_awaited() -> None:
    async with mount("tests.query_components.sync_query_async_postprocessor") as page:
        await page.wait_for_text("data=processed 3 loading=False")


async def test_a_sync_query_returning_a_coroutine_is_awaited_then_postprocessed() -> None:
    async with mount("tests.query_components.sync_query_returning_a_coroutine") as page:
        await page.wait_for_text("data=processed 3 loading=False")


async def test_a_sync_postprocessor_of_an_async_query_runs_in_the_query_thread() -> None:
    async with mount("tests.query_components.async_query_sync_postprocessor") as page:
        await page.wait_for_text("loading=False")
        assert page.find(id="data").text.startswith("data=3 in reactpy-query_")


async def test_a_query_still_loading_shows_no_error() -> None:
    async with mount("tests.query_components.kwargs_probe") as page:
        await page.wait_for_text("data=None loading=True tick=0 error=None")


async def test_doc_postprocessor_none_returns_data_unchanged() -> None:
    async with mount("docs.examples.use_query_postprocessor_none.my_component") as page:
        await page.wait_for_text("{'rows': 3}")


async def test_doc_custom_postprocessor_gets_its_kwargs() -> None:
    async with mount("docs.examples.use_query_postprocessor.my_component") as page:
        await page.wait_for_text("{'rows': 3}")


async def test_doc_postprocessor_kwargs_example_renders() -> None:
    author = await Author.objects.acreate(name="Ada")
    await Book.objects.acreate(title="Notes", author=author)
    async with mount("tests.query_components.doc_postprocessor_kwargs") as page:
        await page.wait_for_text("tests.Tag.None tests.Review.None")


async def test_default_postprocessor_comes_from_the_setting() -> None:
    path = "tests.query_components.mark_postprocessor"
    with override_settings(REACTPY_DEFAULT_QUERY_POSTPROCESSOR=path):
        async with mount("docs.examples.use_query_args.my_component") as page:
            await page.wait_for_text("marked: value=123 other_value=True")
        async with mount("docs.examples.use_query_postprocessor_none.my_component") as page:
            await page.wait_for_text("{'rows': 3}")  # None still turns it off
    with override_settings(REACTPY_DEFAULT_QUERY_POSTPROCESSOR=None):
        async with mount("docs.examples.use_query_args.my_component") as page:
            await page.wait_for_text("value=123 other_value=True")
            assert "marked" not in page.text


# Relations read while rendering ----------------------------------------------------------------


async def _library() -> None:
    ada = await Author.objects.acreate(name="Ada")
    bob = await Author.objects.acreate(name="Bob")
    red, blue = await Tag.objects.acreate(label="red"), await Tag.objects.acreate(label="blue")
    first = await Book.objects.acreate(title="First", author=ada)
    second = await Book.objects.acreate(title="Second", author=bob)
    await first.tags.aset([red, blue])
    await Review.objects.acreate(book=first, stars=5)
    await Review.objects.acreate(book=first, stars=3)
    await Review.objects.acreate(book=second, stars=4)


async def test_default_postprocessor_lets_rendering_read_relations() -> None:
    await _library()
    async with mount("tests.query_components.books") as page:
        await page.wait_for_text("Second by Bob")
        assert [item.text for item in page.find_all("li")] == [
            "First by Ada; tags red,blue; stars 5,3",
            "Second by Bob; tags ; stars 4",
        ]


@pytest.mark.parametrize("turned_off", ["many_to_many", "many_to_one"])
async def test_turning_a_part_off_leaves_it_unloaded(
    turned_off: str, caplog: pytest.LogCaptureFixture
) -> None:
    await _library()
    async with mount(
        "tests.query_components.books",
        many_to_many=turned_off != "many_to_many",
        many_to_one=turned_off != "many_to_one",
    ) as page:
        # The render reads the relation that was not loaded: Django refuses on the event loop.
        await page.wait_for(lambda: "SynchronousOnlyOperation" in caplog.text)
        assert "Second by Bob" not in page.text


# Kwargs, refetch and ordering ------------------------------------------------------------------


async def test_kwargs_change_reruns_and_equal_kwargs_do_not() -> None:
    probe = query_components.PROBE
    async with mount("tests.query_components.kwargs_probe") as page:
        await page.wait_for_text("data=None loading=True")
        probe.open(1)
        await page.wait_for_text("data=result 1 loading=False tick=0")
        await page.click(id="tick")  # re-render with equal (new) kwargs: no run
        await page.wait_for_text("data=result 1 loading=False tick=1")
        await page.click(id="next")
        await page.wait_for_text("data=result 1 loading=True")  # last data kept while loading
        probe.open(2)
        await page.wait_for_text("data=result 2 loading=False")
    assert probe.runs == [1, 2]


async def test_refetch_reruns_and_keeps_data_while_loading() -> None:
    probe = query_components.PROBE
    async with mount("tests.query_components.kwargs_probe") as page:
        probe.open(1)
        await page.wait_for_text("data=result 1 loading=False")
        probe.gates[1] = asyncio.Event()  # the refetch waits again
        await page.click(id="refetch")
        await page.wait_for_text("data=result 1 loading=True")
        probe.open(1)
        await page.wait_for_text("data=result 1 loading=False")
    assert probe.runs == [1, 1]


async def test_a_component_that_never_reads_loading_is_not_rerendered_when_a_refetch_starts() -> (
    None
):
    probe = query_components.PROBE
    async with mount("tests.query_components.data_only_probe") as page:
        probe.open(1)
        await page.wait_for_text("data=result 1 tick=0")
        before = page.updates
        probe.gates[1] = asyncio.Event()  # the refetch waits
        await page.click(id="refetch")
        await eventually(lambda: probe.runs == [1, 1])
        await page.click(id="tick")  # its update comes after any the refetch's start sent
        await page.wait_for_text("tick=1")
        assert page.updates == before + 1  # the tick's only: the view could not change
        probe.open(1)
        await page.wait_for(lambda: page.updates == before + 2)  # the result's
        assert probe.finished == [1, 1]


async def test_a_newer_request_cancels_the_running_async_query() -> None:
    probe = query_components.PROBE
    async with mount("tests.query_components.kwargs_probe") as page:
        await eventually(lambda: probe.runs == [1])
        await page.click(id="next")
        await eventually(lambda: probe.runs == [1, 2])
        assert probe.cancelled == [1]
        probe.open(2)
        await page.wait_for_text("data=result 2 loading=False")


async def test_an_older_result_arriving_late_never_overwrites_a_newer_one() -> None:
    probe = query_components.PROBE
    async with mount("tests.query_components.race_probe") as page:
        await eventually(lambda: probe.runs == [1])
        await page.click(id="next")
        await eventually(lambda: probe.runs == [1, 2])
        probe.open(2)
        await page.wait_for_text("data=result 2 loading=False tick=0")
        probe.open(1)  # the first run (a thread cannot be cancelled) now returns
        await eventually(lambda: probe.finished == [2, 1])
        await page.click(id="tick")  # a round trip after its result reached the loop
        await page.wait_for_text("tick=1")
        assert "data=result 2 loading=False" in page.text


async def test_repeated_refetches_in_one_tick_run_once() -> None:
    async with mount("tests.query_components.refetch_probe") as page:
        await page.wait_for_text("probe runs=1 loading=False")
        await page.click(id="probe-burst")  # five mutations, each refetching on success
        await page.wait_for_text("mutation loading=False")
        await page.wait_for_text("probe runs=2 loading=False")
        await page.click(id="probe-mutate")
        await page.wait_for_text("probe runs=3 loading=False")
    assert len(query_components.PROBE.runs) == 3


async def test_a_mutation_returning_false_does_not_refetch() -> None:
    async with mount("tests.query_components.refetch_probe") as page:
        await page.wait_for_text("probe runs=1 loading=False")
        await page.click(id="probe-false")
        await page.wait_for_text("mutation loading=True")
        await page.wait_for_text("mutation loading=False")
        await page.click(id="probe-mutate")  # this one refetches: the count goes to 2, not 3
        await page.wait_for_text("probe runs=2 loading=False")
    assert len(query_components.PROBE.runs) == 2


def _settled(page: MountedComponent) -> int:
    """How many refetch probes on the page show a result and are not loading."""
    return len(re.findall(r"runs=\d+ loading=False", page.text))


async def test_refetch_reaches_every_mounted_query_of_that_function() -> None:
    runs = query_components.PROBE.runs
    async with (
        mount("tests.query_components.two_refetch_probes") as first,
        mount("tests.query_components.refetch_probe") as other_connection,
    ):
        await first.wait_for(lambda: _settled(first) == 2)
        await other_connection.wait_for(lambda: _settled(other_connection) == 1)
        assert len(runs) == 3
        await first.click(id="a-mutate")  # b, in the same connection, and the other one rerun
        await eventually(lambda: len(runs) == 6)
        await first.wait_for(
            lambda: _settled(first) == 2 and "mutation loading=True" not in first.text
        )
        await other_connection.wait_for_text("probe runs=")
        await other_connection.wait_for(lambda: _settled(other_connection) == 1)
        await first.click(id="b-mutate")
        await eventually(lambda: len(runs) == 9)
        await first.wait_for(
            lambda: _settled(first) == 2 and "mutation loading=True" not in first.text
        )
    assert len(runs) == 9


async def test_a_query_switched_to_another_function_is_refetched_by_that_function() -> None:
    async with mount("tests.query_components.switching_query") as page:
        await page.wait_for_text("data=first #1 loading=False")
        await page.click(id="switch")
        await page.wait_for_text("data=second #1 loading=False")
        await page.click(id="refetch-second")
        await page.wait_for_text("data=second #2 loading=False")
        await page.click(id="refetch-first")  # the function it no longer shows: nothing reruns
        await page.wait_for_text("first loading=True")
        await page.wait_for_text("first loading=False")
        await page.click(id="refetch-second")
        await page.wait_for_text("data=second #3 loading=False")
        await page.wait_for_text("second loading=False")
    assert query_components.PROBE.runs == ["first", "second", "second", "second"]


# Failures --------------------------------------------------------------------------------------


def _failure_records(caplog: pytest.LogCaptureFixture, text: str) -> list[logging.LogRecord]:
    return [
        record
        for record in caplog.records
        if text in record.getMessage()
        or (record.exc_info is not None and text in str(record.exc_info[1]))
    ]


async def test_a_failing_query_logs_once_shows_error_and_refetch_recovers(
    caplog: pytest.LogCaptureFixture,
) -> None:
    query_components.PROBE.fail = True
    async with mount("tests.query_components.failure_probe") as page:
        await page.wait_for_text("query data=None error=RuntimeError('the database is down')")
        records = _failure_records(caplog, "the database is down")
        assert len(records) == 1
        assert records[0].name == "reactpy_django.query"
        assert "tests.query_components.flaky_query" in records[0].getMessage()
        query_components.PROBE.fail = False
        await page.click(id="refetch")
        await page.wait_for_text("query data=fine error=None")
    assert len(_failure_records(caplog, "the database is down")) == 1


# Unmount, disconnect, prerender ----------------------------------------------------------------


async def test_unmount_cancels_the_query_and_forgets_it(
    layout_log: list[logging.LogRecord],
) -> None:
    probe = query_components.PROBE
    async with mount("tests.query_components.unmount_probe") as page:
        await page.wait_for_text("child loading=True")
        await eventually(lambda: 7 in probe.runs and "mutation 7" in probe.runs)
        assert _refetch.subscribed_names().get(GATED) == 1
        await page.click(id="hide")
        await page.wait_for_text("child gone")
        await eventually(lambda: probe.cancelled == [7])  # the query was cancelled
        assert GATED not in _refetch.subscribed_names()
        probe.open("mutation 7")  # the mutation finishes, the component is gone
        await eventually(lambda: not _our_tasks())
        await page.click(id="hide")  # a round trip: any render it asked for would be logged
    unmounted = [record for record in layout_log if "already unmounted" in record.getMessage()]
    assert unmounted == []
    assert probe.finished == []


async def test_disconnect_cancels_running_work_and_leaves_no_trace() -> None:
    probe = query_components.PROBE
    async with mount("tests.query_components.unmount_probe") as page:
        await page.wait_for_text("child loading=True")
        await eventually(lambda: 7 in probe.runs and "mutation 7" in probe.runs)
    await eventually(lambda: not _our_tasks())
    assert probe.cancelled == [7]
    assert GATED not in _refetch.subscribed_names()


def test_prerender_shows_loading_and_runs_nothing(client: Client) -> None:
    response = client.get("/test/todo_prerender/")
    assert response.status_code == 200
    assert "probe runs=None loading=True" in response.content.decode()
    assert query_components.PROBE.runs == []
    assert COUNTED not in _refetch.subscribed_names()


# Other processes ---------------------------------------------------------------------------


def _shared_layer() -> BaseChannelLayer:
    """The refetch layer, if it reaches other processes (the in-memory one does not)."""
    layer = get_channel_layer()
    if layer is None or isinstance(layer, InMemoryChannelLayer):
        pytest.skip("an in-memory channel layer reaches no other process (Redis variant only)")
    return layer


async def test_a_refetch_from_another_process_reruns_the_query() -> None:
    """A mutation's refetch in a real second process (`tests.other_process`, its own relay)
    re-runs the query mounted here."""
    _shared_layer()
    async with mount("tests.query_components.refetch_probe") as page, other_process() as other:
        await page.wait_for_text("probe runs=1 loading=False")
        assert await asyncio.to_thread(_refetch.relay_joined, 5)
        await other.send("refetch", COUNTED)
        await page.wait_for_text("probe runs=2 loading=False")


async def test_a_mutation_tells_other_processes() -> None:
    """A mutation here re-runs the query in a real second process (`tests.other_process`)
    once, and the message it sends does not re-run the query here a second time."""
    _shared_layer()
    async with other_process() as other:
        assert await other.ask("listen", COUNTED) == "listening"
        async with mount("tests.query_components.refetch_probe") as page:
            await page.wait_for_text("probe runs=1 loading=False")
            await page.click(id="probe-mutate")
            await page.wait_for_text("probe runs=2 loading=False")
            assert await other.ask("heard", COUNTED, "1") == "heard 1"
            await page.click(id="probe-mutate")
            await page.wait_for_text("probe runs=3 loading=False")
            assert await other.ask("heard", COUNTED, "2") == "heard 2"
    assert len(query_components.PROBE.runs) == 3


async def test_an_in_memory_layer_keeps_refetches_in_this_process() -> None:
    # No relay object at all (not "not joined yet", which a relay just started also is):
    # mounting a query asks for the relay, and refetching still works here.
    memory = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    for settings in ({"CHANNEL_LAYERS": memory}, {"REACTPY_REFETCH_LAYER": None}):
        query_components.reset_probe()
        with override_settings(**settings):
            async with mount("tests.query_components.refetch_probe") as page:
                await page.wait_for_text("probe runs=1 loading=False")
                await page.click(id="probe-mutate")
                await page.wait_for_text("probe runs=2 loading=False")
                assert _relay.relay() is None, settings


async def test_notify_refetch_from_sync_code_reaches_mounted_queries() -> None:
    async with mount("tests.query_components.refetch_probe") as page:
        await page.wait_for_text("probe runs=1 loading=False")
        await sync_to_async(_refetch.notify_refetch)([query_components.counted_query])
        await page.wait_for_text("probe runs=2 loading=False")
