"""ReactPy's debug mode follows Django's DEBUG unless the site chose it (reactpy_django._debug)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.test import modify_settings, override_settings
from reactpy import config

from reactpy_django._debug import debug_mode
from tests.servers import ROOT

_SHOW_MODE = (
    "import django; django.setup(); from reactpy import config; "
    "print(config.REACTPY_DEBUG_MODE.current, config.REACTPY_CHECK_VDOM_SPEC.current)"
)


def _mode_at_startup(setting: str = "", **env: str) -> str:
    """ReactPy's debug mode (and a check it turns on) in a fresh process with `env`, and
    `REACTPY_DEBUG_MODE = <setting>` in its settings if given."""
    full_env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("REACTPY_DEBUG_MODE", "REACTPY_TEST_DEBUG")
    }
    full_env.update(DJANGO_SETTINGS_MODULE="tests.settings", **env)
    done = subprocess.run(
        [sys.executable, "-c", _with_setting(setting) + _SHOW_MODE],
        env=full_env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout.strip().splitlines()[-1]  # ReactPy logs to stdout in debug mode


def _with_setting(setting: str) -> str:
    if not setting:
        return ""
    return f"import tests.settings; tests.settings.REACTPY_DEBUG_MODE = {setting}; "


def test_debug_off_leaves_debug_mode_off() -> None:
    assert not debug_mode()
    assert not config.REACTPY_CHECK_VDOM_SPEC.current


def test_debug_turns_debug_mode_on_and_off_again() -> None:
    with override_settings(DEBUG=True):
        assert debug_mode()
        assert config.REACTPY_CHECK_VDOM_SPEC.current  # ReactPy's own checks follow
    assert not debug_mode()
    assert not config.REACTPY_CHECK_VDOM_SPEC.current


def test_a_reactpy_debug_mode_setting_wins_over_debug() -> None:
    with override_settings(DEBUG=True, REACTPY_DEBUG_MODE=False):
        assert not debug_mode()
    with override_settings(DEBUG=False, REACTPY_DEBUG_MODE=True):
        assert debug_mode()
    assert not debug_mode()


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"REACTPY_TEST_DEBUG": "1"}, "True True"),  # DEBUG = True at startup
        ({}, "False False"),
        # ReactPy's environment variable is the site's own choice: DEBUG does not override it.
        ({"REACTPY_TEST_DEBUG": "1", "REACTPY_DEBUG_MODE": "0"}, "False False"),
        ({"REACTPY_DEBUG_MODE": "1"}, "True True"),
    ],
)
def test_debug_mode_at_startup(env: dict[str, str], expected: str) -> None:
    assert _mode_at_startup(**env) == expected


def test_a_reactpy_debug_mode_setting_wins_over_the_environment_variable() -> None:
    assert _mode_at_startup("True", REACTPY_DEBUG_MODE="0") == "True True"
    assert _mode_at_startup("False", REACTPY_DEBUG_MODE="1", REACTPY_TEST_DEBUG="1") == (
        "False False"
    )


def test_apps_ready_again_keeps_following_debug() -> None:
    # `AppConfig.ready` runs again when INSTALLED_APPS changes; the mode set at the first
    # run is ours, not the site's choice, so DEBUG still decides.
    with modify_settings(INSTALLED_APPS={"append": "django.contrib.humanize"}):
        pass
    with override_settings(DEBUG=True):
        assert debug_mode()
    assert not debug_mode()
