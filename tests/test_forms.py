"""`django_form` over the real consumer (no browser): validation, saving, callbacks, forged data."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest
from django.test import override_settings

from reactpy_django.components import django_form
from reactpy_django.testing import MountedComponent, mount
from tests.form_components import ChoicesForm, stored_books
from tests.models import Author, Book, Tag

pytestmark = [pytest.mark.backends, pytest.mark.django_db(transaction=True)]

CHOICES = "tests.form_components.choices_form"


async def _submit(page: MountedComponent, payload: object) -> None:
    await page.fire(await page.wait_for_element("DjangoForm"), "onSubmitCallback", payload)


async def test_server_errors_are_shown_then_a_valid_submit_succeeds() -> None:
    async with mount(CHOICES) as page:
        await _submit(page, {"name": "bad", "size": "m"})
        await page.wait_for_text("The server refuses the name bad.")
        assert page.find(id="errors").text == "errors: 1"
        assert page.find("input", id="id_name").attributes["defaultValue"] == "bad"  # kept
        await _submit(page, {"name": "Ann", "size": "m"})
        await page.wait_for_text('"name": "Ann"')
        await page.wait_for(lambda: "refuses" not in page.text)  # the form shows after on_success


async def test_multi_select_checkbox_radio_and_checkbox_group_values_arrive() -> None:
    async with mount(CHOICES) as page:
        fields = {
            "name": "Bo",
            "colors": ["red", "blue"],
            "agree": "on",
            "size": "l",
            "toppings": ["ham", "kale"],
        }
        await _submit(page, fields)
        await page.wait_for_text('"name": "Bo"')
        assert json.loads(page.find(id="result").text) == {
            "agree": True,
            "colors": ["red", "blue"],
            "name": "Bo",
            "size": "l",
            "toppings": ["ham", "kale"],
        }
        await _submit(page, {"name": "Cy", "size": "s", "colors": "green"})  # one value, no list
        await page.wait_for_text('"name": "Cy"')
        result = json.loads(page.find(id="result").text)
        assert (result["agree"], result["colors"], result["toppings"]) == (False, ["green"], [])


async def test_a_valid_model_form_is_saved_and_shown_empty_again() -> None:
    author = await Author.objects.acreate(name="Frank Herbert")
    sci_fi = await Tag.objects.acreate(label="sci-fi")
    classic = await Tag.objects.acreate(label="classic")
    async with mount("tests.form_components.book_form") as page:
        await page.wait_for_text("Frank Herbert")  # the author select's options
        await _submit(page, {"title": "Dune"})
        await page.wait_for_text("This field is required.")  # the author
        assert page.find("input", id="id_title").attributes["defaultValue"] == "Dune"
        assert await Book.objects.acount() == 0
        fields = {
            "title": "Dune",
            "author": str(author.pk),
            "tags": [str(sci_fi.pk), str(classic.pk)],
        }
        await _submit(page, fields)
        await page.wait_for_text("saved: 1")  # on_success runs before the save
        await page.wait_for(
            lambda: page.find("input", id="id_title").attributes["defaultValue"] == ""
        )
        assert await stored_books() == [("Dune", author.pk, ["classic", "sci-fi"])]  # then saved


async def test_on_receive_data_may_change_the_data_before_validation() -> None:
    async with mount("tests.form_components.receiving_form") as page:
        await _submit(page, {"name": "quiet", "size": "s"})
        await page.wait_for_text("QUIET")


async def test_async_on_receive_data_replaces_the_data_and_set_submitted_data_resets() -> None:
    async with mount("tests.form_components.replacing_form") as page:
        await _submit(page, {"name": "bad", "size": "s"})
        await page.wait_for_text("The server refuses the name bad.")
        assert page.find("input", id="id_name").attributes["defaultValue"] == "bad"
        await _submit(page, {"name": "swap", "size": "s"})
        await page.wait_for_text("replaced/l")
        # on_success's set_submitted_data(None): the empty form is shown again
        await page.wait_for(
            lambda: page.find("input", id="id_name").attributes["defaultValue"] == ""
        )
        assert "refuses" not in page.text
        form = page.find("form")
        assert form.attributes["id"] == "replacing"  # extra_props
        await page.fire(form, "onChange", {"type": "change"})
        await page.wait_for_text("changes: 1")


async def test_forged_submissions_are_dropped_or_refused_and_the_session_lives(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="reactpy_django.forms")
    async with mount(CHOICES) as page, mount(CHOICES) as other:
        forged: list[object] = [
            "name=x",
            42,
            None,
            ["name", "x"],
            {"name": {"nested": "object"}, "size": "m"},
            {"name": ["ok", 5], "size": "m"},
            {"colors": ["red"] * 1001, "name": "many", "size": "m"},
        ]
        for payload in forged:
            await _submit(page, payload)
        await page.send_raw(json.dumps({"type": "layout-event", "target": "x", "data": [{}]}))
        await _submit(page, {"name": "real", "size": "s", "is_admin": "1", "__proto__": "x"})
        await page.wait_for_text('"name": "real"')  # unknown names dropped, the rest valid
        assert page.find(id="errors").text == "errors: 2"  # the two malformed name values
        assert "many" not in page.text
        await _submit(other, {"name": "other", "size": "m"})
        await other.wait_for_text('"name": "other"')
    messages = [record.getMessage() for record in caplog.records]
    assert sum("expected an object of field names" in message for message in messages) == 4
    assert sum("not strings or lists of strings" in message for message in messages) == 2
    assert any("more than DATA_UPLOAD_MAX_NUMBER_FIELDS (1000)" in m for m in messages)
    assert any("does not have; dropped: 'is_admin', '__proto__'" in m for m in messages)


async def test_oversized_values_are_refused_as_django_refuses_a_post(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000):
        async with mount(CHOICES) as page:
            await _submit(page, {"name": "x" * 2000, "size": "m"})
            await _submit(page, {"name": "small", "size": "m"})
            await page.wait_for_text('"name": "small"')
    assert any(
        "more than DATA_UPLOAD_MAX_MEMORY_SIZE (1000)" in r.getMessage() for r in caplog.records
    )


async def test_a_failing_callback_is_logged_and_the_form_still_answers(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async with mount("tests.form_components.failing_form") as page:
        await _submit(page, {"name": "boom", "size": "m"})
        await page.wait_for(
            lambda: any("on_success callback" in r.getMessage() for r in caplog.records)
        )
        await _submit(page, {"name": "bad", "size": "m"})
        await page.wait_for_text("The server refuses the name bad.")


@pytest.mark.parametrize(
    ("setting", "argument", "marker"),
    [("django/forms/p.html", None, "<p>"), (None, "django/forms/table.html", "<tr>")],
)
async def test_the_form_template_setting_and_argument(
    setting: str | None, argument: str | None, marker: str
) -> None:
    with override_settings(REACTPY_DEFAULT_FORM_TEMPLATE=setting):
        async with mount("tests.form_components.templated_form", argument) as page:
            await page.wait_for_element("input")
            assert marker in page.html


def test_a_form_instance_is_refused_with_the_fix() -> None:
    with pytest.raises(TypeError, match=r"got an instance of ChoicesForm\. Pass the class itself"):
        django_form(ChoicesForm())  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


async def test_many_sessions_submit_at_once() -> None:
    async def one(index: int) -> None:
        async with mount(CHOICES) as page:
            await _submit(page, {"name": f"user{index}", "size": "m"})
            await page.wait_for_text(f'"name": "user{index}"')

    await asyncio.gather(*(one(index) for index in range(10)))
