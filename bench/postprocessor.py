"""SQL queries and time to render 200 books with their author, reviews and tags.

    PYTHONPATH=.:demo .venv/bin/python bench/postprocessor.py [--books 200] [--repeat 5]

Each variant loads `Book.objects.all()` (ForeignKey `author`, reverse ForeignKey `review_set`,
ManyToMany `tags`), then reads every field and relation as a component renders them, and
counts the SQL queries of both steps. "no postprocessor" is what reading a plain QuerySet
costs (one query per row and relation); the other rows run `django_query_postprocessor`
with all parts, or with `many_to_many` / `many_to_one` turned off (those relations are then
read lazily, which the event loop would refuse while rendering). Runs on a throwaway SQLite
file with the test settings.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

_ROOT = Path(__file__).resolve().parent.parent


def _setup(database: Path) -> None:
    for path in (_ROOT, _ROOT / "demo"):
        if str(path) not in sys.path:
            sys.path.insert(0, str(path))
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    os.environ["REACTPY_TEST_DB_NAME"] = str(database)
    os.environ.setdefault("REACTPY_TEST_RUN_DIR", str(database.parent))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def _fill(books: int) -> None:
    from tests.models import Author, Book, Review, Tag

    authors = Author.objects.bulk_create(Author(name=f"author {i}") for i in range(20))
    tags = Tag.objects.bulk_create(Tag(label=f"tag {i}") for i in range(10))
    created = Book.objects.bulk_create(
        Book(title=f"book {i}", author=authors[i % len(authors)]) for i in range(books)
    )
    Review.objects.bulk_create(
        Review(book=book, stars=(i + j) % 5 + 1) for i, book in enumerate(created) for j in range(3)
    )
    for i, book in enumerate(created):  # setup only: not measured
        book.tags.set([tags[(i + j) % len(tags)] for j in range(2)])


def _render(books: Any) -> int:
    """Read what the tests' `books` component shows; returns the characters produced."""
    text = [
        f"{book.title} by {book.author.name}; "
        f"tags {','.join(tag.label for tag in book.tags.all())}; "
        f"stars {','.join(str(review.stars) for review in book.review_set.all())}"
        for book in books
    ]
    return sum(map(len, text))


def _variant(process: Callable[[Any], Any] | None) -> tuple[int, int, float]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.models import Book

    started = time.perf_counter()
    books = Book.objects.order_by("pk")
    with CaptureQueriesContext(connection) as loading:
        if process is not None:
            process(books)
    with CaptureQueriesContext(connection) as reading:
        _render(books)
    return len(loading), len(reading), time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--books", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5, help="runs per variant (median time)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="reactpy-bench-") as directory:
        _setup(Path(directory) / "bench.sqlite3")
        from reactpy_django.utils import django_query_postprocessor as process

        _fill(options.books)
        variants: list[tuple[str, Callable[[Any], Any] | None]] = [
            ("no postprocessor (lazy reads)", None),
            ("django_query_postprocessor", process),
            ("many_to_many=False", lambda data: process(data, many_to_many=False)),
            ("many_to_one=False", lambda data: process(data, many_to_one=False)),
            ("both False", lambda data: process(data, many_to_many=False, many_to_one=False)),
        ]
        print(
            f"{options.books} books (ForeignKey author, reverse ForeignKey review_set x3, "
            f"ManyToMany tags x2), SQLite, median of {options.repeat} runs"
        )
        header = f"{'variant':32} {'postprocess':>11} {'render':>7} {'total':>6} {'time':>9}"
        print(header)
        print("-" * len(header))
        for name, function in variants:
            runs = [_variant(function) for _ in range(options.repeat)]
            loading, reading, _ = runs[-1]
            elapsed = statistics.median(run[2] for run in runs)
            print(
                f"{name:32} {loading:>11} {reading:>7} {loading + reading:>6} "
                f"{elapsed * 1000:>7.1f}ms"
            )


if __name__ == "__main__":
    main()
