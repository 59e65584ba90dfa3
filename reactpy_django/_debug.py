"""ReactPy's debug mode follows Django's `DEBUG`, as in reactpy-django, unless the site chose.

`reactpy.config.REACTPY_DEBUG_MODE` turns on ReactPy's checks of every render (VDOM schema,
JSON attributes, child keys), its debug logging, and the error display: a component that
raises while rendering shows `<pre>ExceptionName: message</pre>` in the page instead of
nothing. A site chooses for itself with a `REACTPY_DEBUG_MODE` Django setting, or ReactPy's
own ways (the `REACTPY_DEBUG_MODE` environment variable, or setting the option in code before
Django starts); otherwise the mode is `DEBUG`, and moves with it under `override_settings`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from reactpy import config

__all__ = ["debug_mode", "follow_django_debug"]

_SETTING = "REACTPY_DEBUG_MODE"
_chosen_outside_django = False
"""Whether the option had a value (environment variable or code) before Django started."""


def _wanted() -> bool:
    chosen: object = getattr(settings, _SETTING, None)
    return bool(settings.DEBUG if chosen is None else chosen)


def follow_django_debug() -> None:
    """Set ReactPy's debug mode from the settings (in `AppConfig.ready`, before the options
    are pinned by `reactpy_django._patches`), unless it was chosen before Django started."""
    global _chosen_outside_django
    option = config.REACTPY_DEBUG_MODE
    if option.is_set() and getattr(settings, _SETTING, None) is None:
        _chosen_outside_django = True
        return
    option.set_current(_wanted())


def debug_mode() -> bool:
    """Whether ReactPy's debug mode is on (a cheap read: the option's value is pinned)."""
    return bool(config.REACTPY_DEBUG_MODE.current)


@receiver(setting_changed)
def _follow_changes(*, setting: str, **kwargs: object) -> None:
    if setting in ("DEBUG", _SETTING) and not _chosen_outside_django:
        config.REACTPY_DEBUG_MODE.set_current(_wanted())
