"""The `django_form` benchmark's form, as a component and as a plain Django view (its floor).

Both validate the same `OrderForm` with the same fields and show the same result: the form
re-rendered by Django (the submitted values in it) and "Thanks, <name>".
"""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.html import escape
from django.views.decorators.csrf import csrf_exempt
from reactpy import component, hooks, html
from reactpy.core.types import VdomDict

from reactpy_django.components import django_form
from reactpy_django.types import FormEventData

__all__ = ["OrderForm", "bench_form", "form_page", "plain_form", "urlpatterns"]


class OrderForm(forms.Form):
    """Five fields: text, email, radios, a checkbox group and a checkbox."""

    name = forms.CharField(max_length=100)
    email = forms.EmailField()
    size = forms.ChoiceField(
        choices=[("s", "Small"), ("m", "Medium"), ("l", "Large")], widget=forms.RadioSelect
    )
    toppings = forms.MultipleChoiceField(
        choices=[("ham", "Ham"), ("egg", "Egg"), ("kale", "Kale")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    agree = forms.BooleanField()


@component
def bench_form() -> VdomDict:
    """`OrderForm` through `django_form`; a valid submission shows "Thanks, <name>"."""
    thanks, set_thanks = hooks.use_state("")

    def on_success(event: FormEventData[OrderForm]) -> None:
        set_thanks(f"Thanks, {event.form.cleaned_data['name']}")

    return html.div(
        django_form(
            OrderForm,
            on_success=on_success,
            bottom_children=[html.button({"type": "submit"}, "Order")],
        ),
        html.p({"id": "result"}, thanks),
    )


@csrf_exempt  # the floor measures Django's form handling, not CSRF's token round trip
def plain_form(request: HttpRequest) -> HttpResponse:
    """The floor: the same form as a classic Django POST view (the page re-rendered)."""
    form = OrderForm(request.POST) if request.method == "POST" else OrderForm()
    thanks = f"Thanks, {form.cleaned_data['name']}" if form.is_bound and form.is_valid() else ""
    return HttpResponse(
        f'<form method="post">{form.render()}<button type="submit">Order</button></form>'
        f'<p id="result">{escape(thanks)}</p>'
    )


def form_page(request: HttpRequest) -> HttpResponse:
    """The component on a page (try it in a browser)."""
    return render(request, "bench/form_page.html")


urlpatterns: list[URLPattern] = [
    path("bench/form/", plain_form),
    path("bench/form-page/", form_page),
]
