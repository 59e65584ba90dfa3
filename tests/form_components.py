"""Test-only `django_form` components: a plain form with every kind of choice, a ModelForm."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from asgiref.sync import sync_to_async
from django import forms
from reactpy import component, hooks, html
from reactpy.core.types import VdomDict

from reactpy_django.components import django_form
from reactpy_django.types import FormEventData
from tests.models import Book

SUBMIT = html.button({"type": "submit", "id": "submit"}, "Send")


class ChoicesForm(forms.Form):
    """Text, a multi-select, a checkbox, radios and a checkbox group; "bad" is refused."""

    name = forms.CharField(max_length=50)
    colors = forms.MultipleChoiceField(
        choices=[("red", "Red"), ("green", "Green"), ("blue", "Blue")], required=False
    )
    agree = forms.BooleanField(required=False)
    size = forms.ChoiceField(
        choices=[("s", "Small"), ("m", "Medium"), ("l", "Large")], widget=forms.RadioSelect
    )
    toppings = forms.MultipleChoiceField(
        choices=[("ham", "Ham"), ("egg", "Egg"), ("kale", "Kale")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"]
        if name == "bad":
            raise forms.ValidationError("The server refuses the name bad.")
        return name


@component
def choices_form() -> VdomDict:
    """`ChoicesForm`; each valid submission's cleaned data is shown in `#result`."""
    result, set_result = hooks.use_state("")
    errors, set_errors = hooks.use_state(0)
    ticks, set_ticks = hooks.use_state(0)

    def on_success(event: FormEventData[ChoicesForm]) -> None:
        set_result(json.dumps(event.form.cleaned_data, sort_keys=True))

    async def on_error(event: FormEventData[ChoicesForm]) -> None:
        set_errors(lambda count: count + 1)

    def tick(event: object) -> None:
        set_ticks(ticks + 1)

    return html.div(
        django_form(
            ChoicesForm,
            on_success=on_success,
            on_error=on_error,
            extra_props={"id": "choices"},
            bottom_children=[SUBMIT],
        ),
        html.pre({"id": "result"}, result),
        html.p({"id": "errors"}, f"errors: {errors}"),
        html.button({"id": "tick", "onClick": tick}, f"ticks: {ticks}"),
    )


if TYPE_CHECKING:  # django-stubs makes ModelForm generic; Django's class is not subscriptable
    _BookModelForm = forms.ModelForm[Book]
else:
    _BookModelForm = forms.ModelForm


class BookForm(_BookModelForm):
    """A `Book`: its title, author (a select) and tags (a multi-select)."""

    class Meta:
        model = Book
        fields = ("title", "author", "tags")


def _stored_books() -> list[tuple[str, int, list[str]]]:
    return [
        (book.title, book.author.pk, sorted(tag.label for tag in book.tags.all()))
        for book in Book.objects.select_related("author").order_by("pk")
    ]


async def stored_books() -> list[tuple[str, int, list[str]]]:
    """Every `Book` as (title, author id, sorted tag labels)."""
    return await sync_to_async(_stored_books)()


@component
def book_form() -> VdomDict:
    """`BookForm`, saved on a valid submit."""
    saved, set_saved = hooks.use_state(0)

    def on_success(event: FormEventData[BookForm]) -> None:
        set_saved(lambda count: count + 1)

    return html.div(
        django_form(BookForm, on_success=on_success, bottom_children=[SUBMIT]),
        html.p({"id": "saved"}, f"saved: {saved}"),
    )


@component
def receiving_form() -> VdomDict:
    """`ChoicesForm` whose `on_receive_data` upper-cases the name (and drops nothing)."""
    result, set_result = hooks.use_state("")

    def on_receive_data(event: FormEventData[ChoicesForm]) -> None:
        name = event.submitted_data.get("name")
        if isinstance(name, str):
            event.submitted_data["name"] = name.upper()

    async def on_success(event: FormEventData[ChoicesForm]) -> None:
        set_result(str(event.form.cleaned_data["name"]))

    return html.div(
        django_form(
            ChoicesForm,
            on_receive_data=on_receive_data,
            on_success=on_success,
            bottom_children=[SUBMIT],
        ),
        html.pre({"id": "result"}, result),
    )


@component
def failing_form() -> VdomDict:
    """`ChoicesForm` whose `on_success` raises."""

    def on_success(event: FormEventData[ChoicesForm]) -> None:
        raise RuntimeError("boom")

    return html.div(django_form(ChoicesForm, on_success=on_success, bottom_children=[SUBMIT]))


@component
def templated_form(template: str | None) -> VdomDict:
    """`ChoicesForm` rendered with `form_template=template`."""
    return html.div(django_form(ChoicesForm, form_template=template))


@component
def replacing_form() -> VdomDict:
    """An async `on_receive_data` that replaces the name "swap", an `on_success` that empties the
    form again with `set_submitted_data(None)`, and a counting `on_change`."""
    result, set_result = hooks.use_state("")
    changes, set_changes = hooks.use_state(0)

    async def on_receive_data(event: FormEventData[ChoicesForm]) -> None:
        if event.submitted_data.get("name") == "swap":
            event.set_submitted_data({"name": "replaced", "size": "l"})

    def on_success(event: FormEventData[ChoicesForm]) -> None:
        set_result(f"{event.form.cleaned_data['name']}/{event.form.cleaned_data['size']}")
        event.set_submitted_data(None)

    async def on_change(event: FormEventData[ChoicesForm]) -> None:
        set_changes(lambda count: count + 1)

    return html.div(
        django_form(
            ChoicesForm,
            on_receive_data=on_receive_data,
            on_success=on_success,
            on_change=on_change,
            extra_props={"id": "replacing"},
            bottom_children=[SUBMIT],
        ),
        html.pre({"id": "result"}, result),
        html.p({"id": "changes"}, f"changes: {changes}"),
    )
