"""Which changing fields of a hook's result its component has read (tracked properties)."""

from __future__ import annotations

__all__ = ["ReadLog"]


class ReadLog:
    """The fields of a `use_query` hook's `Query` objects that were ever read.

    A refetch only turns `loading` on (`data` and `error` keep their values until the result
    arrives), so a component that has never read `loading` would render the same view again:
    the hook skips that render and its update message. Reads are kept for the hook's life, so
    a field read once, in a render or in a handler, always re-renders on change.
    """

    __slots__ = ("loading",)

    def __init__(self) -> None:
        self.loading: bool = False
        """Whether `Query.loading` has been read."""
