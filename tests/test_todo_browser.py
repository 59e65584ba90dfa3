"""The hooks doc's todo-list examples, and the demo's todo page, in a real browser."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from playwright.async_api import Browser, Page, expect

from demo_app.models import TodoItem
from tests.conftest import BACKEND, AsgiServerFactory

pytestmark = [pytest.mark.browser, pytest.mark.backends, pytest.mark.django_db(transaction=True)]


async def _add(page: Page, section: str, text: str) -> None:
    field = page.locator(f"{section} input")
    await field.fill(text)
    await field.press("Enter")


async def _stored() -> list[str]:
    return await sync_to_async(lambda: [item.text for item in TodoItem.objects.order_by("pk")])()


async def test_doc_todo_examples(page: Page, live_server_url: str) -> None:
    await TodoItem.objects.acreate(text="Buy milk")
    await page.goto(f"{live_server_url}/test/todo/")
    # use_query with an async query function
    await expect(page.locator("#query li")).to_have_text(["Buy milk"])
    # use_mutation + refetch: the added item appears in that component's list
    await _add(page, "#refetch", "Walk the dog")
    await expect(page.locator("#refetch li")).to_have_text(["Buy milk", "Walk the dog"])
    await expect(page.locator("#refetch h2")).to_have_text("Mutation done.")
    # use_mutation, async: stored (the list of the query example is not refetched)
    await _add(page, "#mutation", "Feed the cat")
    await expect(page.locator("#mutation h2")).to_have_text("Mutation done.")
    # error, then reset: a blank item fails validation
    await _add(page, "#reset", "")
    await page.locator("#reset button", has_text="Error: Try again!").click()
    await expect(page.locator("#reset h2")).to_have_text("Mutation done.")
    await _add(page, "#reset", "Water the plants")
    await expect(page.locator("#refetch li")).to_have_count(2)
    await page.reload()
    expected = ["Buy milk", "Walk the dog", "Feed the cat", "Water the plants"]
    await expect(page.locator("#query li")).to_have_text(expected)
    assert await _stored() == expected


async def test_demo_todo_page_refetches_in_another_tab(
    browser: Browser, live_server_url: str
) -> None:
    first = await (await browser.new_context()).new_page()
    second = await (await browser.new_context()).new_page()
    for page in (first, second):
        await page.goto(f"{live_server_url}/todo/")
        await expect(page.locator("#empty")).to_have_text("Nothing to do yet.")
    await first.fill("#new-item", "Buy milk")
    await first.press("#new-item", "Enter")
    await expect(first.locator("#items li")).to_have_text(["Buy milk"])
    await expect(second.locator("#items li")).to_have_text(["Buy milk"])  # the other tab
    await expect(second.locator("#summary")).to_have_text("1 items, 0 done")
    await second.locator("#items input[type=checkbox]").click()
    await expect(first.locator("#summary")).to_have_text("1 items, 1 done")
    await first.press("#new-item", "Enter")  # the input still says "Buy milk": add it again
    await expect(first.locator("#items li")).to_have_count(2)
    await first.fill("#new-item", "   ")
    await first.press("#new-item", "Enter")
    await expect(first.locator("#try-again")).to_contain_text("This field cannot be blank.")
    await first.click("#try-again")
    await expect(first.locator("#new-item ~ h2")).to_have_text("Mutation done.")
    await first.context.close()
    await second.context.close()


async def test_refetch_reaches_a_page_served_by_another_process(
    browser: Browser, asgi_server: AsgiServerFactory
) -> None:
    if BACKEND != "postgres":
        pytest.skip("two processes share a database and a channel layer in the Redis variant")
    pages: list[Page] = []
    for url in (asgi_server(), asgi_server()):
        page = await (await browser.new_context()).new_page()
        await page.goto(f"{url}/todo/")
        await expect(page.locator("#empty")).to_have_text("Nothing to do yet.")
        pages.append(page)
    first, second = pages
    await first.fill("#new-item", "Buy milk")
    await first.press("#new-item", "Enter")
    await expect(first.locator("#items li")).to_have_text(["Buy milk"])
    await expect(second.locator("#items li")).to_have_text(["Buy milk"])  # the other server
    await expect(second.locator("#summary")).to_have_text("1 items, 0 done")
    for page in pages:
        await page.context.close()
