"""`Query`: read-only fields, value equality, and the `loading` reads `use_query` tracks."""

from __future__ import annotations

import pytest

from reactpy_django._reads import ReadLog
from reactpy_django.types import Query


def _nothing() -> None:
    pass


def test_fields_are_read_only() -> None:
    query = Query([1], False, None, _nothing)
    with pytest.raises(AttributeError):
        setattr(query, "loading", True)  # noqa: B010  # the checkers reject `query.loading = True`


def test_equal_fields_are_equal_queries_whatever_their_refetch() -> None:
    assert Query([1], False, None, _nothing) == Query([1], False, None, lambda: None)
    assert Query([1], False, None, _nothing) != Query([1], True, None, _nothing)
    assert hash(Query("a", False, None, _nothing)) == hash(Query("a", False, None, _nothing))
    assert repr(Query("a", True, None, _nothing)) == "Query(data='a', loading=True, error=None)"


def test_reading_loading_is_recorded_and_reading_data_or_error_is_not() -> None:
    reads = ReadLog()
    query = Query("a", False, None, _nothing, reads=reads)
    assert (query.data, query.error) == ("a", None)
    assert not reads.loading
    assert query.loading is False
    assert reads.loading  # from now on, a refetch's start re-renders the component
