"""Python's cyclic garbage collector, tuned for a process that serves components.

Every render replaces a component's model tree (a few dozen dicts and lists per element)
that lives until the component's next render. With Python's default young-generation
threshold (700 new objects) a collection runs every few renders and finds nothing to free,
but promotes each tree it meets to an older generation, which then fills up and is scanned in
full about once a second. At 200 connections refetching a `use_query` list that was a quarter
of the server's CPU (bench/README.md). A higher threshold lets those trees die young, freed by
reference counting as before; real garbage cycles are still collected, a little later.
"""

from __future__ import annotations

import gc
import logging

from reactpy_django.conf import reactpy_settings

__all__ = ["is_valid_threshold", "raise_gc_threshold"]

logger: logging.Logger = logging.getLogger(__name__)


def is_valid_threshold(value: object) -> bool:
    """Whether `value` can be `REACTPY_GC_THRESHOLD`: `None` or a whole number above 0."""
    return value is None or (type(value) is int and value > 0)


def raise_gc_threshold() -> None:
    """Raise the young-generation threshold to `REACTPY_GC_THRESHOLD` when it is lower.

    Called as each WebSocket connects, so it changes only processes that serve components.
    A higher threshold set by the site is kept, and so is `0` (automatic collection off);
    the older generations' thresholds are never changed. `None` leaves the collector alone.
    """
    wanted = reactpy_settings().gc_threshold
    if wanted is None or not is_valid_threshold(wanted):
        return  # a wrong value is named by check reactpy_django.E031
    young, older, oldest = gc.get_threshold()
    if young == 0 or young >= wanted:
        return
    gc.set_threshold(wanted, older, oldest)
    logger.info(
        "Raised the garbage collector's young-generation threshold from %d to %d "
        "(REACTPY_GC_THRESHOLD; None keeps Python's).",
        young,
        wanted,
    )
