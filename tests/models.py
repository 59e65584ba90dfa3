"""Test models: a relational set for the query postprocessor, and a model whose saves signal."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager


class Author(models.Model):
    """Has books (reverse ForeignKey: `book_set`)."""

    name: models.CharField[str, str] = models.CharField(max_length=100)
    if TYPE_CHECKING:  # reverse accessors, declared for pyright (mypy's plugin infers them)
        book_set: RelatedManager[Book]

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    """Tags books (ManyToMany)."""

    label: models.CharField[str, str] = models.CharField(max_length=50)
    if TYPE_CHECKING:
        book_set: RelatedManager[Book]

    def __str__(self) -> str:
        return self.label


class Book(models.Model):
    """A ForeignKey to its author, a ManyToMany to tags, and reverse ForeignKey `review_set`."""

    title: models.CharField[str, str] = models.CharField(max_length=200)
    author: models.ForeignKey[Author, Author] = models.ForeignKey(Author, on_delete=models.CASCADE)
    tags: models.ManyToManyField[Tag, Tag] = models.ManyToManyField(Tag, blank=True)
    if TYPE_CHECKING:
        review_set: RelatedManager[Review]

    def __str__(self) -> str:
        return self.title


class Review(models.Model):
    """Reviews a book (so a book has a reverse ForeignKey)."""

    book: models.ForeignKey[Book, Book] = models.ForeignKey(Book, on_delete=models.CASCADE)
    stars: models.PositiveSmallIntegerField[int, int] = models.PositiveSmallIntegerField()

    def __str__(self) -> str:
        return f"{self.stars} stars"


class ExampleModel(models.Model):
    """The doc's `pre_save` signal example sends a channel-layer message when this saves."""

    text: models.CharField[str, str] = models.CharField(max_length=100, default="")

    def __str__(self) -> str:
        return self.text
