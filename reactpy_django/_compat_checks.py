"""System check: reactpy-django's own distribution installed beside this one (both own
the `reactpy_django` package, so whichever installed last overwrote the other's files)."""

from __future__ import annotations

from importlib import metadata

from django.core.checks import CheckMessage, Warning

__all__ = ["check_other_distribution"]

_OTHER = "reactpy-django"
_OURS = "reactpy-django-typed"


def check_other_distribution() -> list[CheckMessage]:
    """W040: the `reactpy-django` distribution is installed too."""
    try:
        other = metadata.distribution(_OTHER)
    except metadata.PackageNotFoundError:
        return []
    return [
        Warning(
            f"The {_OTHER} distribution ({other.version}) is installed beside {_OURS}. Both "
            "install the reactpy_django package, so one overwrote the other's files and the "
            "code that runs is a mix of the two.",
            hint=f"Reinstall this one alone: pip uninstall {_OTHER} {_OURS} && pip install {_OURS}",
            id="reactpy_django.W040",
        )
    ]
