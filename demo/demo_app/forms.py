"""The demo's Django forms: a `ModelForm` of the todo list's items."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms

from demo_app.models import TodoItem

if TYPE_CHECKING:  # django-stubs makes ModelForm generic; Django's class is not subscriptable
    _TodoItemModelForm = forms.ModelForm[TodoItem]
else:
    _TodoItemModelForm = forms.ModelForm


class TodoItemForm(_TodoItemModelForm):
    """A todo item: its text (required) and whether it is done."""

    class Meta:
        model = TodoItem
        fields = ("text", "done")
