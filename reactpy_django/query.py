"""`use_query`: run a query function in the background and render its result."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from reactpy_django.types import Inferred, Query

__all__ = ["use_query"]


def use_query(
    query: Callable[..., Awaitable[Inferred]] | Callable[..., Inferred],
    kwargs: Mapping[str, object] | None = None,
    *,
    thread_sensitive: bool = True,
) -> Query[Inferred]:
    """Placeholder until the query issue lands."""
    raise NotImplementedError
