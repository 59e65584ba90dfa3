"""Candidate hot-path fixes, switched on in the benchmark server only (`--experiments`).

They measure a proposed change to reactpy_django (or to what `_patches.py` does to ReactPy
1.1.0) before it is made: `python -m bench.run --experiments all` against a plain run. None
of them is part of the library; a winner moves into `reactpy_django` and out of here.

Moved into the library already (and so gone from here): effect-stops, light-semaphore,
component-check, local-schedule and light-queue (`reactpy_django._patches`), asyncio-serve
and direct-deliver (`reactpy_django.consumer`), root-render (`reactpy_django._root`).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

__all__ = ["EXPERIMENTS", "apply"]

logger: logging.Logger = logging.getLogger(__name__)


# --- switch-interval ----------------------------------------------------------------------
# Query threads doing ORM work hold the GIL for up to sys.getswitchinterval() (5 ms) each
# time the event loop thread gives it up for a socket call: the loop waits in every send.


def _switch_interval() -> None:
    sys.setswitchinterval(0.0005)


EXPERIMENTS: dict[str, Callable[[], None]] = {
    "switch-interval": _switch_interval,
}
"""Each candidate fix by name."""


def apply(names: str) -> list[str]:
    """Install the comma-separated experiments (`all` for every one); their names."""
    chosen = list(EXPERIMENTS) if names.strip() == "all" else [n for n in names.split(",") if n]
    for name in chosen:
        if name not in EXPERIMENTS:
            msg = f"Unknown experiment {name!r}; known: {', '.join(EXPERIMENTS)}."
            raise ValueError(msg)
        EXPERIMENTS[name]()
        logger.warning("bench experiment on: %s", name)
    return chosen
