"""`reactpy_django.database.Router`: the database router at the path reactpy-django documents."""

from __future__ import annotations

from reactpy_django.routers import ReactPyRouter

__all__ = ["Router"]


class Router(ReactPyRouter):
    """Routes reactpy_django's tables to `REACTPY_DATABASE`, as `ReactPyRouter` does.

    Sites switching from reactpy-django keep
    `DATABASE_ROUTERS = ["reactpy_django.database.Router"]` unchanged.
    """
