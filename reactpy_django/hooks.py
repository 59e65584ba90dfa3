"""Every public hook, importable from one place: `from reactpy_django.hooks import use_query`."""

from __future__ import annotations

from reactpy_django.auth import use_auth, use_user, use_user_data
from reactpy_django.connection import (
    use_connection,
    use_location,
    use_origin,
    use_rerender,
    use_root_id,
    use_scope,
)
from reactpy_django.layers import use_channel_layer
from reactpy_django.mutation import use_mutation
from reactpy_django.query import use_query

__all__ = [
    "use_auth",
    "use_channel_layer",
    "use_connection",
    "use_location",
    "use_mutation",
    "use_origin",
    "use_query",
    "use_rerender",
    "use_root_id",
    "use_scope",
    "use_user",
    "use_user_data",
]
