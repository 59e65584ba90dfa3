"""The mount whitelist: paths found in templates at startup, and explicit registration."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from reactpy_django import registry
from reactpy_django.checks import reactpy_checks
from reactpy_django.consumer import CloseCode
from reactpy_django.exceptions import ComponentDoesNotExistError
from reactpy_django.registry import (
    failed_paths,
    get_component,
    paths_in_template,
    register_component,
    register_from_templates,
    registered_paths,
)
from reactpy_django.testing import mount
from tests import components


@pytest.fixture(autouse=True)
def _restore_registry() -> Iterator[None]:
    saved, failed = dict(registry._components), dict(registry._failed)
    yield
    registry._components.clear()
    registry._components.update(saved)
    registry._failed.clear()
    registry._failed.update(failed)


def test_paths_in_template_reads_every_tag_form() -> None:
    text = """
    {% load reactpy %}
    {% component "app.one" %}{% component 'app.two' 1 key="v" %}
    {%component "app.three"%}
    {% component "app.four" offline="app.offline" class="x" %}
    {% component variable %}
    """
    assert paths_in_template(text) == {"app.one", "app.two", "app.three", "app.four", "app.offline"}


def test_paths_in_comments_and_verbatim_are_ignored() -> None:
    text = """
    {# {% component "app.hash_comment" %} #}
    {% comment %}{% component "app.block_comment" %}{% endcomment %}
    {% comment "with a note" %}
      {% component "app.noted_comment" %}
    {% endcomment %}
    {% verbatim %}{% component "app.verbatim" %}{% endverbatim %}
    {% component "app.kept" %}
    """
    assert paths_in_template(text) == {"app.kept"}


def _templates(directory: Path) -> list[dict[str, Any]]:
    return [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "DIRS": [str(directory)],
            "APP_DIRS": False,
        }
    ]


def test_startup_scan_registers_template_paths_and_reports_failures(tmp_path: Path) -> None:
    (tmp_path / "nested").mkdir()
    (tmp_path / "page.html").write_text(
        '{% load reactpy %}{% component "tests.components.uuid_leaf" "x" %}'
        '{# {% component "tests.components.form_echo" %} #}'
    )
    (tmp_path / "nested" / "other.html").write_text(
        '{% component "tests.components.event_sink" offline="tests.components.offline_notice" %}'
        '{% component "tests.components.not_there" %}'
    )
    (tmp_path / "binary.html").write_bytes(b"\xff\xfe\x00")  # unreadable: skipped
    registry._components.pop("tests.components.form_echo", None)
    with override_settings(TEMPLATES=_templates(tmp_path)):
        register_from_templates()
        messages = reactpy_checks()
    paths = registered_paths()
    assert {
        "tests.components.uuid_leaf",
        "tests.components.event_sink",
        "tests.components.offline_notice",
    } <= paths
    assert "tests.components.form_echo" not in paths  # only in a comment
    assert get_component("tests.components.uuid_leaf") is components.uuid_leaf
    assert "tests.components.not_there" in failed_paths()
    (failure,) = [message for message in messages if message.id == "reactpy_django.E004"]
    assert "'tests.components.not_there'" in failure.msg
    assert failure.hint is not None
    assert "{% component %}" in failure.hint


def test_register_component_under_reactpy_django_5_import_path() -> None:
    from reactpy_django import register_component as from_package
    from reactpy_django.utils import register_component as from_utils

    assert from_utils is register_component
    assert from_package is register_component
    assert from_utils("tests.components.form_echo") == "tests.components.form_echo"
    assert get_component("tests.components.form_echo") is components.form_echo


def test_register_component_by_path_or_object() -> None:
    assert register_component("tests.components.form_echo") == "tests.components.form_echo"
    assert get_component("tests.components.form_echo") is components.form_echo
    assert register_component(components.uuid_branch) == "tests.components.uuid_branch"
    assert get_component("tests.components.uuid_branch") is components.uuid_branch


def test_register_component_refuses_what_is_not_one() -> None:
    with pytest.raises(
        ComponentDoesNotExistError, match=r"'tests.components.LIFECYCLE' is not a component"
    ):
        register_component("tests.components.LIFECYCLE")
    # reactpy-django 5.2.1's class, an AttributeError; the import's own message is kept
    with pytest.raises(AttributeError, match='does not define a "missing" attribute') as raised:
        register_component("tests.components.missing")
    assert isinstance(raised.value, ComponentDoesNotExistError)
    assert isinstance(raised.value.__cause__, ImportError)
    assert get_component("tests.components.missing") is None
    with pytest.raises(ComponentDoesNotExistError, match=r"No module named 'tests\.nowhere'"):
        register_component("tests.nowhere.thing")


@pytest.mark.backends
@pytest.mark.django_db(transaction=True)
async def test_only_registered_paths_mount() -> None:
    registry._components.pop("tests.components.form_echo", None)
    async with mount("tests.components.form_echo", register=False) as page:
        assert page.close_code == CloseCode.UNKNOWN_COMPONENT
    register_component("tests.components.form_echo")
    async with mount("tests.components.form_echo", register=False) as page:
        assert page.close_code is None
        assert page.find(id="typed").text == "typed:"
