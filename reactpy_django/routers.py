"""A database router that keeps reactpy_django's tables in `REACTPY_DATABASE`.

reactpy_django's own queries always name `REACTPY_DATABASE`; with several databases, add
`DATABASE_ROUTERS = ["reactpy_django.routers.ReactPyRouter"]` so that `migrate` creates its
tables there (and only there) and other code reading them goes there too.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model

from reactpy_django.conf import reactpy_settings

__all__ = ["ReactPyRouter"]

_APP_LABEL = "reactpy_django"


class ReactPyRouter:
    """Routes reactpy_django's models to `REACTPY_DATABASE`; has no opinion on other apps."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        """`REACTPY_DATABASE` for this app's models."""
        return reactpy_settings().database if model._meta.app_label == _APP_LABEL else None

    def db_for_write(self, model: type[Model], **hints: Any) -> str | None:
        """`REACTPY_DATABASE` for this app's models."""
        return reactpy_settings().database if model._meta.app_label == _APP_LABEL else None

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        """No opinion: this app's models have no relations."""
        return None

    def allow_migrate(
        self, db: str, app_label: str, model_name: str | None = None, **hints: Any
    ) -> bool | None:
        """This app's tables go to `REACTPY_DATABASE` only."""
        if app_label == _APP_LABEL:
            return db == reactpy_settings().database
        return None
