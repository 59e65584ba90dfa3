"""`django_query_postprocessor`: what it loads, and in how many SQL queries."""

from __future__ import annotations

from collections.abc import Iterable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reactpy_django.utils import django_query_postprocessor
from tests.models import Author, Book, Review, Tag

pytestmark = [pytest.mark.django_db, pytest.mark.backends]


@pytest.fixture
def library() -> None:
    """Three authors with 30 books each; each book has two tags and two reviews."""
    tags = Tag.objects.bulk_create(Tag(label=f"tag{index}") for index in range(5))
    authors = Author.objects.bulk_create(Author(name=f"author{index}") for index in range(3))
    books = Book.objects.bulk_create(
        Book(title=f"book{author_index}.{index}", author=author)
        for author_index, author in enumerate(authors)
        for index in range(30)
    )
    Review.objects.bulk_create(
        Review(book=book, stars=(index + offset) % 5)
        for index, book in enumerate(books)
        for offset in range(2)
    )
    for number, tag in enumerate(tags[:4]):  # book i has tags i % 4 and (i + 1) % 4
        tag.book_set.add(*(book for i, book in enumerate(books) if number in (i % 4, (i + 1) % 4)))


def _read(books: Iterable[Book]) -> list[str]:
    """What a component renders from each book: fields, ForeignKey, ManyToMany, reverse FK."""
    return [
        f"{book.title} {book.author.name} {[tag.label for tag in book.tags.all()]} "
        f"{[review.stars for review in book.review_set.all()]}"
        for book in books
    ]


def _queries_to_read(books: Iterable[Book]) -> int:
    with CaptureQueriesContext(connection) as captured:
        _read(books)
    return len(captured)


@pytest.mark.usefixtures("library")
def test_a_queryset_costs_one_query_per_relation_not_per_row() -> None:
    books = Book.objects.order_by("pk")
    expected = _read(Book.objects.order_by("pk"))
    with CaptureQueriesContext(connection) as captured:
        returned = django_query_postprocessor(books)
    assert returned is books  # the same QuerySet, now with its results cached
    assert len(captured) == 4  # books, authors, tags, reviews
    assert _queries_to_read(books) == 0
    assert _read(books) == expected


@pytest.mark.usefixtures("library")
@pytest.mark.parametrize(
    ("options", "unloaded"),
    [
        ({"many_to_many": False}, "tags"),
        ({"many_to_one": False}, "review_set"),
        ({"many_to_many": False, "many_to_one": False}, "both"),
    ],
)
def test_turning_parts_off_leaves_them_for_later_queries(
    options: dict[str, bool], unloaded: str
) -> None:
    books = Book.objects.order_by("pk")
    with CaptureQueriesContext(connection) as captured:
        django_query_postprocessor(books, **options)
    assert len(captured) == 4 - len(options)
    first = books[0]
    with CaptureQueriesContext(connection) as reading:
        _ = first.author.name  # a ForeignKey is always loaded
        list(first.tags.all())
        list(first.review_set.all())
    assert len(reading) == len(options)
    sql = " ".join(query["sql"] for query in reading.captured_queries)
    if "tags" in unloaded or unloaded == "both":
        assert "tests_tag" in sql
    if "review" in unloaded or unloaded == "both":
        assert "tests_review" in sql


@pytest.mark.usefixtures("library")
def test_a_model_instance_gets_its_relations_two_hops_deep() -> None:
    author = Author.objects.get(name="author1")
    with CaptureQueriesContext(connection) as captured:
        assert django_query_postprocessor(author) is author
    assert len(captured) == 3  # its books, then their tags and their reviews
    with CaptureQueriesContext(connection) as reading:
        books = list(author.book_set.all())
        rendered = _read(books)  # book.author is the same author: no query
    assert len(reading) == 0
    assert len(rendered) == 30


@pytest.mark.usefixtures("library")
def test_depth_limits_the_hops() -> None:
    author = Author.objects.get(name="author1")
    with CaptureQueriesContext(connection) as captured:
        django_query_postprocessor(author, depth=1)
    assert len(captured) == 1
    with CaptureQueriesContext(connection) as reading:
        books = list(author.book_set.all())
    assert len(reading) == 0
    assert _queries_to_read(books[:2]) == 4  # tags and reviews of two books: not loaded


@pytest.mark.usefixtures("library")
def test_deferred_fields_are_loaded_in_one_query() -> None:
    books = Book.objects.order_by("pk").only("title")
    with CaptureQueriesContext(connection) as captured:
        django_query_postprocessor(books)
    assert len(captured) == 5  # books, their author ids, authors, tags, reviews
    assert _queries_to_read(books) == 0
    assert books[0].get_deferred_fields() == set()


@pytest.mark.usefixtures("library")
def test_a_list_of_instances_is_loaded_too() -> None:
    books = list(Book.objects.order_by("pk")[:10])
    with CaptureQueriesContext(connection) as captured:
        assert django_query_postprocessor(books) is books
    assert len(captured) == 3
    assert _queries_to_read(books) == 0


@pytest.mark.usefixtures("library")
def test_reverse_many_to_many_is_loaded() -> None:
    tags = Tag.objects.order_by("pk")
    django_query_postprocessor(tags)
    with CaptureQueriesContext(connection) as reading:
        titles = [book.title for tag in tags for book in tag.book_set.all()]
        authors = {book.author.name for tag in tags for book in tag.book_set.all()}
    assert len(reading) == 0
    assert len(titles) == 180
    assert authors == {"author0", "author1", "author2"}


@pytest.mark.usefixtures("library")
def test_values_querysets_are_evaluated() -> None:
    rows = Book.objects.order_by("pk").values("title")
    django_query_postprocessor(rows)
    with CaptureQueriesContext(connection) as reading:
        titles = [row["title"] for row in rows]
    assert len(reading) == 0
    assert titles[0] == "book0.0"


def test_other_data_is_returned_untouched() -> None:
    data = {"a": [1, 2]}
    with CaptureQueriesContext(connection) as captured:
        assert django_query_postprocessor(data) is data
        assert django_query_postprocessor(None) is None
        assert django_query_postprocessor([1, "x"]) == [1, "x"]
    assert len(captured) == 0
