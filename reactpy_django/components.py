"""The hidden root manager wrapped around every mounted component."""

from __future__ import annotations

from reactpy import component, hooks
from reactpy.core.types import ComponentType

from reactpy_django._state import ConnectionState

__all__ = ["root_manager"]


@component
def root_manager(child: ComponentType, state: ConnectionState) -> ComponentType:
    """Render `child`; re-render it all when `state.rerender()` is called."""
    _, set_generation = hooks.use_state(0)

    @hooks.use_effect(dependencies=[])
    def install() -> None:
        state.rerender = lambda: set_generation(lambda generation: generation + 1)

    return child
