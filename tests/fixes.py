"""The fix table: every runtime fix, how the test process reverts it, and the tests it needs.

`REACTPY_REVERT_FIX=<name> pytest ...` runs the tests with that one fix reverted (conftest's
autouse fixture enters `revert(name)` around each test); `scripts/fix_table.py` requires
each fix's tests to fail that way and to pass with every fix in place. Importing this module
needs no Django: the reverts import the package when they run.
"""

from __future__ import annotations

import contextlib
import inspect
import textwrap
from collections.abc import Coroutine, Generator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from channels.layers import BaseChannelLayer

__all__ = ["FIX_TESTS", "revert"]

FIX_TESTS: dict[str, tuple[str, ...]] = {
    "hook-stack": (
        "tests/test_patches.py::test_two_sessions_suspended_mid_render_keep_their_own_context",
    ),
    "handler-arguments": ("tests/test_patches.py::test_a_handler_without_parameters_takes_effect",),
    "sync-in-place": ("tests/test_consumer.py::test_sync_handlers_run_without_a_task_each",),
    "in-place-order": (
        "tests/test_consumer.py::test_a_sync_event_after_an_async_one_takes_effect_after_it",
    ),
    "effects-without-tasks": (
        "tests/test_patches.py::test_re_rendering_a_component_without_effects_keeps_no_events",
        "tests/test_patches.py::test_sync_effects_run_and_clean_up_without_a_task_each",
    ),
    "light-semaphore": (
        "tests/test_patches.py::test_rendering_many_children_takes_few_loop_turns",
    ),
    "component-type-cache": (
        "tests/test_patches.py::test_the_component_check_runs_once_per_class_not_per_child",
    ),
    "render-queue": (
        "tests/test_patches.py::test_set_state_on_the_loop_thread_does_not_wake_the_loop",
    ),
    "element-constructor": (
        "tests/test_patches.py::test_plain_attribute_dicts_skip_reactpys_mapping_check",
    ),
    "render-on-demand": ("tests/test_consumer.py::test_an_idle_session_keeps_no_render_task",),
    "hook-callbacks": (
        "tests/test_patches.py::test_state_setters_and_render_callbacks_hold_no_closures",
    ),
    "consumer-call": ("tests/test_consumer.py::test_a_session_opens_no_channel_layer_channel",),
    "in-memory-receive": (
        "tests/test_layers.py::test_a_group_message_sweeps_the_layer_once_not_once_per_receiver",
    ),
}
"""Each fix's name and the tests that must fail without it (and pass with it)."""


def _no(*_arguments: object) -> bool:
    """Answers no to whatever it is asked (a fix's "may I" check, reverted)."""
    return False


@contextlib.contextmanager
def _replaced(owner: object, name: str, value: object) -> Generator[None]:
    """`owner.name` (a module's or a class's own attribute) is `value` while entered."""
    original = vars(owner)[name]
    setattr(owner, name, value)
    try:
        yield
    finally:
        setattr(owner, name, original)


def _without_in_place_runs() -> contextlib.AbstractContextManager[None]:
    """Every sync handler runs in a task of its own, as ReactPy does."""
    from reactpy_django import consumer

    return _replaced(consumer, "_run_in_place", _no)


_ORDER_CONDITION = "not self._handlers and "


@contextlib.contextmanager
def _without_order_condition() -> Generator[None]:
    """`_deliver_waiting` with the `not self._handlers` condition dropped, made from its own
    source so that nothing else differs."""
    from reactpy_django import consumer

    cls = consumer.ReactpyAsyncWebsocketConsumer
    original = cls.__dict__["_deliver_waiting"]
    source = textwrap.dedent(inspect.getsource(original))
    if _ORDER_CONDITION not in source:
        msg = f"_deliver_waiting no longer reads {_ORDER_CONDITION!r}: update tests/fixes.py."
        raise RuntimeError(msg)
    namespace: dict[str, Any] = {}
    exec(
        source.replace(_ORDER_CONDITION, ""), consumer.__dict__, namespace
    )  # the module's own source, one condition dropped
    setattr(cls, "_deliver_waiting", namespace["_deliver_waiting"])  # noqa: B010  # the revert under test
    try:
        yield
    finally:
        setattr(cls, "_deliver_waiting", original)  # noqa: B010  # put back


def _with_a_waiting_render_task() -> contextlib.AbstractContextManager[None]:
    """Every session's render task waits for renders for as long as it is open (as ReactPy's
    serve loop does)."""
    from reactpy_django import _patches

    return _replaced(_patches, "render_on_demand", _no)


@contextlib.contextmanager
def _with_channels_call() -> Generator[None]:
    """Channels' own `AsyncConsumer.__call__` (a layer channel per socket, a thread hop per
    frame) in place of the consumer's, with the state the consumer's call sets up."""
    from channels.consumer import AsyncConsumer

    from reactpy_django.consumer import ReactpyAsyncWebsocketConsumer as Consumer

    original = Consumer.__dict__["__call__"]

    async def channels_call(self: Consumer, scope: Any, receive: Any, send: Any) -> None:
        self._waiting = []
        try:
            await AsyncConsumer.__call__(self, scope, receive, send)
        finally:
            await self._stop()

    Consumer.__call__ = channels_call  # type: ignore[method-assign]  # the revert under test
    try:
        yield
    finally:
        Consumer.__call__ = original  # type: ignore[method-assign]  # put back


def _with_channels_receive() -> contextlib.AbstractContextManager[None]:
    """Every receive through the layer's own `receive` (on the in-memory layer: with its
    sweep of every channel and group)."""
    from reactpy_django import layers

    def own_receive(layer: BaseChannelLayer, name: str) -> Coroutine[Any, Any, object]:
        return layer.receive(name)

    return _replaced(layers, "_receive", own_receive)


def revert(fix: str) -> contextlib.AbstractContextManager[None]:
    """A context manager that reverts the named fix while it is entered (test process only)."""
    from reactpy_django import _patches

    if fix in _patches.FIX_NAMES:
        return _patches.reverted(fix)
    local = {
        "sync-in-place": _without_in_place_runs,
        "in-place-order": _without_order_condition,
        "render-on-demand": _with_a_waiting_render_task,
        "consumer-call": _with_channels_call,
        "in-memory-receive": _with_channels_receive,
    }
    if fix not in local:
        msg = f"REACTPY_REVERT_FIX={fix!r} names no fix; the fixes are {', '.join(FIX_TESTS)}."
        raise ValueError(msg)
    return local[fix]()
