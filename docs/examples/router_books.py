from reactpy import component, html
from reactpy.core.types import VdomDict
from reactpy_router import link, route, use_params

from reactpy_django.router import django_router


@component
def book_list() -> VdomDict:
    return html.ul(
        html.li(link({"to": "/books/7/"}, "Book 7")),
        html.li(link({"to": "/books/8/"}, "Book 8")),
    )


@component
def book_detail() -> VdomDict:
    book_id: int = use_params()["book_id"]  # already an int: the converter ran
    return html.p(f"Book {book_id}, next is {book_id + 1}.")


@component
def not_found() -> VdomDict:
    return html.p("No such page.")


@component
def books() -> VdomDict:
    return html.div(
        django_router(
            route("/books/", book_list()),
            route("/books/<int:book_id>/", book_detail()),
            route("<any:rest>", not_found()),  # last: catches every other URL
        )
    )
