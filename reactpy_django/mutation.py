"""`use_mutation`: change data in the background, then refetch the queries it affects."""

from __future__ import annotations

from collections.abc import Callable

from reactpy_django.types import FuncParams, Mutation

__all__ = ["use_mutation"]


def use_mutation(
    mutation: Callable[FuncParams, object], *, thread_sensitive: bool = True
) -> Mutation[FuncParams]:
    """Placeholder until the mutation issue lands."""
    raise NotImplementedError
