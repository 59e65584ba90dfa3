from typing import TYPE_CHECKING

from django import forms
from reactpy import component, hooks, html
from reactpy.core.types import VdomDict

from demo_app.models import TodoItem
from reactpy_django.components import django_form
from reactpy_django.types import FormEventData


class SignupForm(forms.Form):
    email = forms.EmailField()
    nickname = forms.CharField(max_length=20)

    def clean_nickname(self) -> str:
        nickname: str = self.cleaned_data["nickname"]
        if nickname.lower() == "admin":
            raise forms.ValidationError("That nickname is taken.")
        return nickname


@component
def signup() -> VdomDict:
    welcome, set_welcome = hooks.use_state("")

    def on_success(event: FormEventData[SignupForm]) -> None:
        # event.form is a SignupForm, bound and valid
        set_welcome(f"Welcome, {event.form.cleaned_data['nickname']}!")

    return html.div(
        django_form(
            SignupForm,
            on_success=on_success,
            bottom_children=[html.button({"type": "submit"}, "Sign up")],
        ),
        html.p(welcome),
    )


if TYPE_CHECKING:  # django-stubs makes ModelForm generic; Django's class is not subscriptable
    _TodoItemModelForm = forms.ModelForm[TodoItem]
else:
    _TodoItemModelForm = forms.ModelForm


class TodoItemForm(_TodoItemModelForm):
    class Meta:
        model = TodoItem
        fields = ("text", "done")


@component
def new_todo_item() -> VdomDict:
    # A valid ModelForm is saved (auto_save=True), then shown empty again.
    return html.div(
        django_form(
            TodoItemForm,
            extra_props={"id": "todo-form"},
            bottom_children=[html.button({"type": "submit"}, "Add")],
        ),
    )
