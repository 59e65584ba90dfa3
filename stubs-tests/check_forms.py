"""django_form: `FormEventData.form` is the user's form; callbacks and options are checked."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, assert_type

from django import forms
from reactpy.core.types import ComponentType, VdomDict

from reactpy_django.components import django_form
from reactpy_django.types import AsyncFormEvent, FormEventData, SubmittedData, SyncFormEvent
from tests.models import Book


class SignupForm(forms.Form):
    email = forms.EmailField()


class OtherForm(forms.Form):
    name = forms.CharField()


if TYPE_CHECKING:
    BookModelForm = forms.ModelForm[Book]
else:
    BookModelForm = forms.ModelForm


class BookForm(BookModelForm):
    class Meta:
        model = Book
        fields = ("title",)


def on_signup(event: FormEventData[SignupForm]) -> None:
    assert_type(event.form, SignupForm)  # the form is the user's own class
    assert_type(event.form.cleaned_data, dict[str, Any])
    assert_type(event.submitted_data, SubmittedData)
    event.set_submitted_data(None)
    event.set_submitted_data({"email": "a@example.com", "tags": ["a", "b"]})
    event.set_submitted_data({"email": 1})  # E: dict-item reportArgumentType


async def on_signup_async(event: FormEventData[SignupForm]) -> None:
    assert_type(event.form, SignupForm)


def on_any_form(event: FormEventData) -> None:  # bare, as reactpy-django's docs write it
    assert_type(event.form, forms.BaseForm)


def on_book(event: FormEventData[BookForm]) -> None:
    assert_type(event.form.instance, Book)  # ModelForm[Book]'s instance


def wrong_arity(event: FormEventData[SignupForm], extra: int) -> None: ...


def wrong_type(event: int) -> None: ...


def returns_data(event: FormEventData[SignupForm]) -> str:
    return ""


def callbacks() -> None:
    assert_type(django_form(SignupForm), ComponentType)
    django_form(SignupForm, on_success=on_signup, on_error=on_signup_async)
    django_form(SignupForm, on_receive_data=on_any_form, on_change=on_any_form)
    django_form(BookForm, on_success=on_book, auto_save=False)
    django_form(SignupForm, on_success=on_book)  # E: arg-type reportArgumentType
    django_form(OtherForm, on_success=on_signup)  # E: arg-type reportArgumentType
    django_form(SignupForm, on_success=wrong_arity)  # E: arg-type reportArgumentType
    django_form(SignupForm, on_success=wrong_type)  # E: arg-type reportArgumentType
    django_form(SignupForm())  # E: arg-type reportArgumentType
    callback: SyncFormEvent[SignupForm] = on_signup
    async_callback: AsyncFormEvent[SignupForm] = on_signup_async
    django_form(SignupForm, on_success=callback, on_error=async_callback)


def mark(node: VdomDict) -> VdomDict:
    return node


def options() -> None:
    django_form(
        SignupForm,
        extra_props={"id": "signup", "className": "wide"},
        extra_transforms=[mark],
        form_template="django/forms/p.html",
        thread_sensitive=False,
        top_children=["Sign up"],
        bottom_children=[],
        key="signup",
    )
    django_form(SignupForm, on_signup)  # E: misc reportCallIssue
    django_form(SignupForm, auto_save="yes")  # E: arg-type reportArgumentType
    django_form(SignupForm, key=1.5)  # E: arg-type reportArgumentType
    django_form(form=SignupForm)
