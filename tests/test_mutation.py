"""`use_mutation`: the hooks doc's examples, arguments, failures, reset, refetch, unmount."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import pytest
from django.db.models.signals import pre_save

from demo_app.models import TodoItem
from reactpy_django.testing import mount
from tests import query_components
from tests.test_query import eventually

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.backends]


@pytest.fixture(autouse=True)
def _fresh_probe() -> None:
    query_components.reset_probe()


async def _texts() -> list[str]:
    return [item.text async for item in TodoItem.objects.order_by("pk")]


async def _until_stored(texts: list[str], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while await _texts() != texts:
        assert time.monotonic() < deadline, f"stored {await _texts()}, not {texts}"
        await asyncio.sleep(0.02)  # polling until the deadline


async def test_doc_async_mutation_adds_an_item() -> None:
    async with mount("docs.examples.use_mutation.todo_list") as page:
        await page.wait_for_text("Mutation done.")
        await page.type_text("Buy milk")
        await _until_stored(["Buy milk"])
        await page.wait_for_text("Mutation done.")


async def test_doc_mutation_called_while_rendering_runs_once() -> None:
    async with mount("tests.query_components.doc_mutation_args") as page:
        await eventually(lambda: query_components.MUTATION_CALLS == [(123, True)])
        await page.wait_for_text("loading=False error=None")
        await page.wait_for(lambda: page.updates >= 3)  # first render, loading, done
    assert query_components.MUTATION_CALLS == [(123, True)]


async def test_execute_runs_the_mutation_as_a_call_does() -> None:
    async with mount("tests.query_components.mutation_execute_spelling") as page:
        await eventually(lambda: query_components.MUTATION_CALLS == [(7, True)])
        await page.wait_for_text("execute: loading=False error=None")
        await page.wait_for(lambda: page.updates >= 3)  # first render, loading, done
    assert query_components.MUTATION_CALLS == [(7, True)]


async def test_doc_thread_sensitive_false_mutation_gets_its_keyword_argument() -> None:
    async with mount("tests.query_components.doc_mutation_thread_sensitive_false") as page:
        await page.wait_for_text("Done.")
        await page.type_text("four")
        await eventually(lambda: query_components.MUTATION_CALLS == [(4, True)])
        await page.wait_for_text("Done.")
    assert str(query_components.PROBE.runs[0]).startswith("reactpy-query-free")  # the pool


async def test_doc_reset_example_recovers_from_a_failure(caplog: pytest.LogCaptureFixture) -> None:
    async with mount("docs.examples.use_mutation_reset.todo_list") as page:
        await page.type_text("")  # blank text fails the model's validation
        await page.wait_for_text("Error: Try again!")
        errors = [record for record in caplog.records if record.levelno >= logging.ERROR]
        assert [record.name for record in errors] == ["reactpy_django.mutation"]
        assert "docs.examples.use_mutation_reset.add_item" in errors[0].getMessage()
        await page.click(text="Error: Try again!")
        await page.wait_for_text("Mutation done.")
        await page.type_text("Walk the dog")
        await _until_stored(["Walk the dog"])
        await page.wait_for_text("Mutation done.")


def _refuse_blank(sender: type[TodoItem], instance: TodoItem, **kwargs: Any) -> None:
    if not instance.text:
        msg = "a blank item is refused (the test's pre_save receiver)"
        raise ValueError(msg)


async def test_doc_refetch_example_shows_the_added_item() -> None:
    await TodoItem.objects.acreate(text="Buy milk")
    # The doc's `add_item` saves anything: this receiver makes a blank item's save fail.
    pre_save.connect(_refuse_blank, sender=TodoItem)  # pyright: ignore[reportUnknownMemberType]  # django-stubs: receivers are Callable[..., Unknown]
    try:
        async with mount("docs.examples.use_mutation_refetch.todo_list") as page:
            await page.wait_for_text("Buy milk")
            await page.type_text("Walk the dog")
            await page.wait_for_text("Walk the dog")
            assert [item.text for item in page.find_all("li")] == ["Buy milk", "Walk the dog"]
            await page.type_text("")
            await page.wait_for_text("Error when adding!")
            assert [item.text for item in page.find_all("li")] == ["Buy milk", "Walk the dog"]
    finally:
        pre_save.disconnect(_refuse_blank, sender=TodoItem)  # pyright: ignore[reportUnknownMemberType]  # as connect above


async def test_a_failing_mutation_logs_once_and_reset_then_a_new_call_recovers(
    caplog: pytest.LogCaptureFixture,
) -> None:
    probe = query_components.PROBE
    probe.fail = True
    async with mount("tests.query_components.failure_probe") as page:
        await page.click(id="mutate")
        await page.wait_for_text("mutation loading=False error=ValueError(\"cannot store 'x'\")")
        failures = [r for r in caplog.records if r.name == "reactpy_django.mutation"]
        assert len(failures) == 1
        assert "tests.query_components.flaky_mutation" in failures[0].getMessage()
        assert failures[0].exc_info is not None
        await page.click(id="reset")
        await page.wait_for_text("mutation loading=False error=None")
        probe.fail = False
        await page.click(id="mutate")
        await page.wait_for_text("mutation loading=True error=None")
        await page.wait_for_text("mutation loading=False error=None")
    assert probe.runs.count("x") == 2
    assert len([r for r in caplog.records if r.name == "reactpy_django.mutation"]) == 1


async def test_a_mutation_that_outlives_its_component_still_refetches() -> None:
    probe = query_components.PROBE
    async with (
        mount("tests.query_components.unmount_probe") as page,
        mount("tests.query_components.kwargs_probe") as watcher,  # also queries gated_query
    ):
        probe.open(1)
        await watcher.wait_for_text("data=result 1 loading=False")
        await eventually(lambda: "mutation 7" in probe.runs)
        await page.click(id="hide")
        await page.wait_for_text("child gone")
        probe.gates[1] = asyncio.Event()  # the watcher's refetch will wait again
        probe.open("mutation 7")
        await watcher.wait_for_text("data=result 1 loading=True")  # refetched
        probe.open(1)
        await watcher.wait_for_text("data=result 1 loading=False")


async def test_reset_drops_the_failure_of_a_call_still_running(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async with mount("tests.query_components.reset_while_running") as page:
        await page.click(id="mutate")
        await page.wait_for_text("bumps=0 loading=True error=None")
        await page.click(id="reset")
        await page.wait_for_text("bumps=0 loading=False error=None")
        query_components.PROBE.open("failing 1")
        await eventually(lambda: any(r.name == "reactpy_django.mutation" for r in caplog.records))
        await page.click(id="bump")  # a render after the failure shows what the hook holds
        await page.wait_for_text("bumps=1 loading=False error=None")


async def test_a_render_call_with_arguments_that_cannot_be_compared_runs_once() -> None:
    async with mount("tests.query_components.render_call_with_uncomparable_argument") as page:
        await page.wait_for_text("bumps=0 loading=False")
        await page.click(id="bump")
        await page.wait_for_text("bumps=1 loading=False")
        await page.click(id="bump")
        await page.wait_for_text("bumps=2 loading=False")
    assert query_components.PROBE.runs == ["Uncomparable"]


async def test_a_call_from_another_thread_runs_with_its_arguments() -> None:
    async with mount("tests.query_components.held_mutation_parent") as page:
        await page.wait_for_text("held loading=False")
        await asyncio.to_thread(query_components.HELD[0], "from a thread")
        await eventually(lambda: query_components.PROBE.runs == ["from a thread"])


async def test_a_call_after_unmount_does_nothing() -> None:
    async with mount("tests.query_components.held_mutation_parent") as page:
        await page.wait_for_text("held loading=False")
        stale = query_components.HELD[0]
        await page.click(id="hide")
        await page.wait_for_text("child gone")
        stale("after unmount")
        await page.click(id="own")  # runs after the stale call would have, in the same thread
        await eventually(lambda: "own call" in query_components.PROBE.runs)
    assert query_components.PROBE.runs == ["own call"]
    # thread_sensitive defaults to True: the connection's ordered query thread.
    assert str(query_components.PROBE.finished[0]).startswith("reactpy-query_")


async def test_loading_lasts_until_the_latest_call_ends() -> None:
    probe = query_components.PROBE
    async with mount("tests.query_components.overlapping_calls") as page:
        await page.click(id="first")
        await page.wait_for_text("bumps=0 loading=True")
        await page.click(id="second")
        await eventually(lambda: probe.runs == [1, 2])  # both running
        probe.open("mutation 1")
        await eventually(lambda: probe.finished == [1])
        await page.click(id="bump")  # a render after the first call ended
        await page.wait_for_text("bumps=1 loading=True")
        probe.open("mutation 2")
        await page.wait_for_text("bumps=1 loading=False")
