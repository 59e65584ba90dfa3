"""The suite's own rule (`tests/conftest.py`): a test that uses the database must be marked
`backends`, so the PostgreSQL + Redis pass runs it too."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

_INNER_CONFTEST = '''
import pytest

from tests.conftest import pytest_runtest_setup  # the rule under test


@pytest.fixture
def db() -> None:
    """Stands in for pytest-django's fixture of that name."""


@pytest.fixture
def live_server_url(db: None) -> str:
    return "http://127.0.0.1:1"
'''

_INNER_TESTS = """
import pytest


@pytest.mark.django_db
def test_marker_alone() -> None:
    pass


def test_db_fixture(db: None) -> None:
    pass


def test_db_through_another_fixture(live_server_url: str) -> None:
    pass


@pytest.mark.skipif(True, reason="skipped here, so it must run in the other pass")
@pytest.mark.django_db
def test_skipped_on_this_backend() -> None:
    pass


@pytest.mark.backends
@pytest.mark.django_db
def test_marked() -> None:
    pass


def test_no_database() -> None:
    pass
"""


def test_a_test_using_the_database_without_the_backends_marker_fails(
    pytester: pytest.Pytester,
) -> None:
    pytester.makeconftest(_INNER_CONFTEST)
    pytester.makepyfile(test_inner=_INNER_TESTS)
    result = pytester.runpytest_inprocess(
        "-p", "no:django", "-p", "no:randomly", "-p", "no:cacheprovider", "-W", "ignore"
    )
    result.assert_outcomes(passed=2, errors=4)
    for name in (
        "test_marker_alone",
        "test_db_fixture",
        "test_db_through_another_fixture",
        "test_skipped_on_this_backend",
    ):
        result.stdout.fnmatch_lines(
            [f"*test_inner.py::{name} uses the database*Add `pytest.mark.backends`*"]
        )
