"""`reactpy_django.config`: reactpy-django 5.2.1's module of `REACTPY_*` values."""

from __future__ import annotations

import itertools

import pytest
from django.test import override_settings

from reactpy_django import config
from reactpy_django.conf import ReactPySettings
from reactpy_django.registry import register_component
from reactpy_django.utils import django_query_postprocessor
from tests import components


def test_every_listed_name_reads() -> None:
    for name in config.__all__:
        getattr(config, name)
    assert sorted(dir(config)) == sorted(config.__all__)


def test_every_setting_of_ours_is_listed() -> None:
    for field in ReactPySettings.__dataclass_fields__:
        assert f"REACTPY_{field.upper()}" in config.__all__


def test_values_follow_the_current_settings() -> None:
    assert config.REACTPY_DATABASE == "default"
    assert config.REACTPY_URL_PREFIX == "reactpy"
    with override_settings(
        REACTPY_DATABASE="other", REACTPY_URL_PREFIX="/rp/", REACTPY_SESSION_MAX_AGE=5
    ):
        assert config.REACTPY_DATABASE == "other"
        assert config.REACTPY_URL_PREFIX == "rp"
        assert config.REACTPY_SESSION_MAX_AGE == 5
    assert config.REACTPY_DATABASE == "default"


def test_django_debug_follows_debug() -> None:
    with override_settings(DEBUG=True):
        assert config.DJANGO_DEBUG is True
    with override_settings(DEBUG=False):
        assert config.DJANGO_DEBUG is False


def test_debug_mode_is_reactpys_option() -> None:
    from reactpy.config import REACTPY_DEBUG_MODE

    saved = REACTPY_DEBUG_MODE.current
    try:
        REACTPY_DEBUG_MODE.current = True
        assert config.REACTPY_DEBUG_MODE is True
        REACTPY_DEBUG_MODE.current = False
        assert config.REACTPY_DEBUG_MODE is False
    finally:
        REACTPY_DEBUG_MODE.current = saved


def test_default_query_postprocessor_is_the_function() -> None:
    # Each read goes to a local: the checkers would narrow `config.X` itself.
    default = config.REACTPY_DEFAULT_QUERY_POSTPROCESSOR
    assert default is django_query_postprocessor
    with override_settings(REACTPY_DEFAULT_QUERY_POSTPROCESSOR=None):
        off = config.REACTPY_DEFAULT_QUERY_POSTPROCESSOR
        assert off is None
    with override_settings(REACTPY_DEFAULT_QUERY_POSTPROCESSOR="tests.components.counter"):
        named = config.REACTPY_DEFAULT_QUERY_POSTPROCESSOR
        assert named is components.counter


def test_default_hosts_cycle_like_5_2_1() -> None:
    none = config.REACTPY_DEFAULT_HOSTS
    assert none is None
    with override_settings(REACTPY_DEFAULT_HOSTS=["a.example:1", "b.example:2"]):
        hosts = config.REACTPY_DEFAULT_HOSTS
        assert hosts is not None
        assert list(itertools.islice(hosts, 3)) == ["a.example:1", "b.example:2", "a.example:1"]


def test_settings_without_effect_read_as_set() -> None:
    assert config.REACTPY_CACHE == "default"
    assert config.REACTPY_BACKHAUL_THREAD is False
    assert config.REACTPY_AUTO_RELOGIN is False
    assert config.REACTPY_DEFAULT_FORM_TEMPLATE is None
    with override_settings(REACTPY_CACHE="other", REACTPY_AUTO_RELOGIN=True):
        assert config.REACTPY_CACHE == "other"
        assert config.REACTPY_AUTO_RELOGIN is True


def test_registered_components_is_a_live_read_only_view() -> None:
    path = register_component(components.counter)
    registered = config.REACTPY_REGISTERED_COMPONENTS
    assert registered[path] is components.counter
    with pytest.raises(TypeError):
        registered[path] = components.counter  # type: ignore[index]  # pyright: ignore[reportIndexIssue]  # read-only on purpose
    assert isinstance(config.REACTPY_FAILED_COMPONENTS, frozenset)


def test_unknown_name_is_an_attribute_error_naming_the_module() -> None:
    with pytest.raises(AttributeError, match=r"'reactpy_django.config' has no attribute 'NOPE'"):
        getattr(config, "NOPE")  # noqa: B009  # a name the checkers reject
    with pytest.raises(AttributeError, match="REACTPY_NOT_A_SETTING"):
        getattr(config, "REACTPY_NOT_A_SETTING")  # noqa: B009
