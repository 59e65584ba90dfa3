"""ReactPy's debug mode follows Django's `DEBUG`, as in reactpy-django, unless the site chose.

`reactpy.config.REACTPY_DEBUG_MODE` turns on ReactPy's checks of every render (VDOM schema,
JSON attributes, child keys), its debug logging, and the error display: a component that
raises while rendering shows `<pre>ExceptionName: message</pre>` in the page instead of
nothing. A site chooses for itself with a `REACTPY_DEBUG_MODE` Django setting (first), or
ReactPy's own ways (the `REACTPY_DEBUG_MODE` environment variable, or setting the option in
code before Django starts); otherwise the mode is `DEBUG`. It follows `override_settings`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from reactpy import config

__all__ = ["debug_mode", "follow_django_debug"]

_SETTING = "REACTPY_DEBUG_MODE"
_chosen_outside_django: bool | None = None
"""The option's value before Django started (ReactPy's environment variable, or code), if any."""
_followed = False
"""Whether `follow_django_debug` ran: `AppConfig.ready` runs again whenever `INSTALLED_APPS`
changes (`modify_settings`), and by then the option is set by us, not by the site."""


def _wanted() -> bool:
    chosen: object = getattr(settings, _SETTING, None)
    if chosen is not None:
        return bool(chosen)
    if _chosen_outside_django is not None:
        return _chosen_outside_django
    return bool(settings.DEBUG)


def follow_django_debug() -> None:
    """Set ReactPy's debug mode from the settings, in `AppConfig.ready`: before
    `reactpy_django._patches` pins the options, so a value set earlier is still seen as set."""
    global _chosen_outside_django, _followed
    option = config.REACTPY_DEBUG_MODE
    if not _followed and option.is_set():
        _chosen_outside_django = bool(option.current)
    _followed = True
    option.set_current(_wanted())


def debug_mode() -> bool:
    """Whether ReactPy's debug mode is on (a cheap read: the option's value is pinned)."""
    return bool(config.REACTPY_DEBUG_MODE.current)


@receiver(setting_changed)
def _follow_changes(*, setting: str, **kwargs: object) -> None:
    if setting in ("DEBUG", _SETTING):
        config.REACTPY_DEBUG_MODE.set_current(_wanted())
