"""`django_form` in Chromium: errors then a valid submit, choices, a saved ModelForm."""

from __future__ import annotations

import json

import pytest
from playwright.async_api import Browser, Page, expect

from tests.form_components import stored_books
from tests.models import Author, Tag

pytestmark = [pytest.mark.browser, pytest.mark.backends, pytest.mark.django_db(transaction=True)]


async def test_server_errors_show_then_a_valid_submit_with_every_kind_of_choice(
    page: Page, live_server_url: str
) -> None:
    url = f"{live_server_url}/test/forms/"
    await page.goto(url)
    form = page.locator("#choices")
    await form.locator("#id_name").fill("bad")
    await form.locator("#id_size_1").check()
    await form.locator("#submit").click()
    await expect(form.locator(".errorlist")).to_have_text("The server refuses the name bad.")
    await expect(page.locator("#errors")).to_have_text("errors: 1")
    assert page.url == url  # the browser did not navigate
    await expect(form.locator("#id_name")).to_have_value("bad")  # what was typed stays
    await form.locator("#id_name").fill("draft")
    await form.locator("#id_toppings_1").check()
    await form.locator("#id_colors").select_option(["green"])
    await page.locator("#tick").click()  # the parent re-renders the form
    await expect(page.locator("#tick")).to_have_text("ticks: 1")
    await expect(form.locator("#id_name")).to_have_value("draft")  # what the user did stays
    await expect(form.locator("#id_toppings_1")).to_be_checked()
    await expect(form.locator("#id_colors")).to_have_values(["green"])
    await form.locator("#id_toppings_1").uncheck()
    await form.locator("#id_name").fill("Alice")
    await form.locator("#id_colors").select_option(["red", "blue"])
    await form.locator("#id_agree").check()
    await form.locator("#id_size_2").check()
    await form.locator("#id_toppings_0").check()
    await form.locator("#id_toppings_2").check()
    await form.locator("#submit").click()
    await expect(page.locator("#result")).to_contain_text('"name": "Alice"')
    assert json.loads(await page.locator("#result").inner_text()) == {
        "agree": True,
        "colors": ["red", "blue"],
        "name": "Alice",
        "size": "l",
        "toppings": ["ham", "kale"],
    }
    await expect(form.locator(".errorlist")).to_have_count(0)
    await expect(form.locator("#id_toppings_2")).to_be_checked()  # the bound form kept it
    assert page.url == url


async def test_a_model_form_row_is_saved_and_the_form_emptied(
    page: Page, live_server_url: str
) -> None:
    author = await Author.objects.acreate(name="Ursula K. Le Guin")
    await Tag.objects.acreate(label="fantasy")
    await Tag.objects.acreate(label="classic")
    await page.goto(f"{live_server_url}/test/forms/")
    section = page.locator("#book-section")
    await section.locator("#id_title").fill("A Wizard of Earthsea")
    await section.locator("#id_author").select_option(label="Ursula K. Le Guin")
    await section.locator("#id_tags").select_option(label=["fantasy", "classic"])
    await section.locator("#submit").click()
    await expect(section.locator("#saved")).to_have_text("saved: 1")  # before the save
    await expect(section.locator("#id_title")).to_have_value("")  # after it: a fresh form
    books = await stored_books()
    assert books == [("A Wizard of Earthsea", author.pk, ["classic", "fantasy"])]


async def test_another_tab_is_unaffected_by_a_forged_submission(
    browser: Browser, live_server_url: str
) -> None:
    forger = await (await browser.new_context()).new_page()
    other = await (await browser.new_context()).new_page()
    for tab in (forger, other):
        await tab.goto(f"{live_server_url}/test/forms/")
        await expect(tab.locator("#choices #id_name")).to_be_visible()
    # A field the form does not have and a name that is an object, sent from the page itself.
    await forger.evaluate(
        """() => {
            const form = document.querySelector('#choices');
            const extra = document.createElement('input');
            extra.name = 'is_admin'; extra.value = '1';
            form.appendChild(extra);
        }"""
    )
    await forger.locator("#choices #id_name").fill("forger")
    await forger.locator("#choices #id_size_0").check()
    await forger.locator("#choices #submit").click()
    await expect(forger.locator("#result")).to_contain_text('"name": "forger"')
    assert "is_admin" not in await forger.locator("#result").inner_text()
    await other.locator("#choices #id_name").fill("bystander")
    await other.locator("#choices #id_size_0").check()
    await other.locator("#choices #submit").click()
    await expect(other.locator("#result")).to_contain_text('"name": "bystander"')
