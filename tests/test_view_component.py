"""`view_to_component` in-process: parsing errors, wrong returns, argument changes, requests."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import pytest

from reactpy_django.testing import mount

pytestmark = [pytest.mark.backends, pytest.mark.django_db(transaction=True)]


async def test_strict_parsing_failure_and_a_wrong_return_are_logged_and_render_nothing(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async with mount("tests.view_components.parsing_page") as page:
        await page.wait_for_text("repaired")
        await _eventually(
            lambda: (
                "not_a_response_view failed" in caplog.text
                and "malformed_view failed" in caplog.text
            )
        )
        assert page.find(id="strict-slot").children == ()
        assert page.find(id="wrong-slot").children == ()
        assert page.find(id="lenient-slot").text == "repaired"
    assert "returned str; a Django view must return an HttpResponse" in caplog.text
    assert "HTMLParseError" in caplog.text


async def test_new_arguments_run_the_view_again_with_the_given_request() -> None:
    async with mount("tests.view_components.changing_args_page") as page:
        await page.wait_for_text("first via POST")
        await page.click(id="change-word")
        await page.wait_for_text("second via POST")


async def _eventually(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Wait until `condition()` holds (log records arrive without a frame to wake on)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            msg = f"Not true within {timeout}s."
            raise TimeoutError(msg)
        await asyncio.sleep(0.01)  # polling
