"""`use_channel_layer`: send and receive Channels layer messages from a component."""

from __future__ import annotations

import asyncio
import copy
import inspect
import logging
import re
import warnings
import weakref
from collections.abc import Callable, Coroutine, Mapping
from typing import Any, Literal, overload

from channels.layers import BaseChannelLayer, InMemoryChannelLayer, channel_layers
from django.core.exceptions import ImproperlyConfigured
from reactpy import hooks
from reactpy.utils import Ref
from typing_extensions import TypeIs, deprecated

from reactpy_django._json import is_dict, is_sequence
from reactpy_django._redis import (
    RETRY_MAX,
    WATCH_INTERVAL,
    RestartWatch,
    forget_unsubscribed,
    is_pubsub,
    retry_delay,
    watchable,
)
from reactpy_django._state import connection_state
from reactpy_django.connection import use_connection
from reactpy_django.types import (
    AsyncMessageReceiver,
    AsyncMessageSender,
    ChannelMessage,
    ChannelValue,
)

__all__ = ["use_channel_layer"]

logger: logging.Logger = logging.getLogger(__name__)

_NAME = re.compile(r"^[a-zA-Z\d\-_.]{1,99}$")
_RESERVED_KEY = "__asgi_channel__"  # Channels routes process-local messages with it
_MAX_DEPTH = 64
_INT_RANGE = range(-(2**63), 2**64)  # what msgpack encodes
_FIRST = asyncio.FIRST_COMPLETED
_LEAVE_TIMEOUT = 10.0
_RECANCEL_INTERVAL = 0.2
# Joins and leaves at once per event loop: a burst of mounts (a server restart reconnecting
# every page) must not take all of the Redis client's pooled connections (100 by default).
_MEMBERSHIP_CONCURRENCY = 32
_gates: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
    weakref.WeakKeyDictionary()
)


@overload
def use_channel_layer(
    *,
    channel: str | None = None,
    group: str | None = None,
    receiver: AsyncMessageReceiver | None = None,
    layer: str = "default",
) -> AsyncMessageSender: ...


@overload
@deprecated(
    "use_channel_layer(name, group_name=...) is reactpy-django 5.2.1's spelling; write "
    "use_channel_layer(channel=name, group=group_name)."
)
def use_channel_layer(
    name: str | None = None,
    *,
    group_name: str | None = None,
    group_add: bool = True,
    group_discard: bool = True,
    receiver: AsyncMessageReceiver | None = None,
    layer: str = "default",
) -> AsyncMessageSender: ...


def use_channel_layer(
    name: str | None = None,
    *,
    channel: str | None = None,
    group: str | None = None,
    group_name: str | None = None,
    group_add: bool | None = None,
    group_discard: bool | None = None,
    receiver: AsyncMessageReceiver | None = None,
    layer: str = "default",
) -> AsyncMessageSender:
    """Send and receive messages on a Django Channels layer; returns the sender.

    - `group` alone: the sender broadcasts to the group; with a `receiver`, this component
      gets a unique channel of its own in the group (Channels' `new_channel()`).
    - `channel` alone: point-to-point; the sender sends to that channel and the `receiver`
      reads exactly that channel (one receiver per channel name gets each message).
    - both: the sender broadcasts to the group, and the `receiver` reads `channel`, which
      joins the group.

    The receiver gets every message sent to its channel or group while the component is
    mounted, one at a time and in order. The group is joined on mount and left on unmount and
    on disconnect. A component without a `receiver` only sends and joins nothing. `layer`
    names an entry of `settings.CHANNEL_LAYERS`. Code outside components reaches receivers
    with `get_channel_layer().group_send(group, message)` or `.send(channel, message)`.

    reactpy-django 5.2.1's form, `use_channel_layer(name, group_name=, group_add=,
    group_discard=, receiver=, layer=)`, still works and warns (`DeprecationWarning`):
    `name` is `channel` and `group_name` is `group`. `group_add=False` sends to the group
    while the receiver reads only `name`, outside the group; `group_discard=False` leaves the
    channel in the group after unmount, so messages sent meanwhile wait for the next reader of
    `name` (until the layer's `group_expiry`).

    Args:
        name: reactpy-django 5.2.1's spelling of `channel` (deprecated).
        channel: The channel this component sends to and its `receiver` reads.
        group: The group the sender broadcasts to and the receiver's channel joins.
        group_name: reactpy-django 5.2.1's spelling of `group` (deprecated).
        group_add: 5.2.1's form only: `False` keeps the receiver's channel out of the group.
        group_discard: 5.2.1's form only: `False` leaves the channel in the group after unmount.
        receiver: An async function called with each message (a dict) that arrives.
        layer: The `CHANNEL_LAYERS` alias to use.

    Returns:
        AsyncMessageSender: `await sender({"text": "hi"})` sends a message to the group, or else
            to the channel.
    """
    join, discard = True, True
    if (
        name is not None
        or group_name is not None
        or group_add is not None
        or group_discard is not None
    ):
        if channel is not None or group is not None:
            msg = (
                "use_channel_layer() got both spellings: channel=/group= and reactpy-django "
                "5.2.1's name/group_name=/group_add=/group_discard=. Use channel= and group= "
                "only."
            )
            raise TypeError(msg)
        channel, group = name, group_name
        join, discard = group_add is not False, group_discard is not False
        warnings.warn(_old_form_warning(channel, group, join, discard), DeprecationWarning, 2)
    if channel is None and group is None:
        msg = (
            "use_channel_layer() needs channel=, group=, or both: group= to broadcast to "
            "every component in the group, channel= to talk to one component."
        )
        raise ValueError(msg)
    _check_name("channel", channel)
    _check_name("group", group)
    channel_layer = _get_layer(layer)
    state = connection_state(use_connection().scope)

    sender = hooks.use_memo(
        lambda: _Sender(channel_layer, channel, group), [channel_layer, channel, group]
    )
    latest: Ref[AsyncMessageReceiver | None] = hooks.use_ref(receiver)
    latest.current = receiver  # a new closure every render: the loop reads the latest
    joined = group if join else None
    # Without the group and without a name, the receiver's channel is one nobody can reach.
    receives = receiver is not None and (channel is not None or joined is not None)
    label = f"use_channel_layer(channel={channel!r}, group={joined!r}, layer={layer!r})"

    @hooks.use_effect(dependencies=[channel_layer, channel, joined, discard, receives, state])
    def subscribe() -> Callable[[], None] | None:
        if not receives:
            return None
        task = state.spawn(
            _receive_loop(channel_layer, channel, joined, latest, label, discard=discard),
            name=label,
        )
        if task is None:  # prerendering: nothing outlives the HTTP request
            return None

        def stop() -> None:
            task.cancel()

        return stop

    return sender


def _old_form_warning(channel: str | None, group: str | None, join: bool, discard: bool) -> str:
    """The new spelling of a reactpy-django 5.2.1 call, for its `DeprecationWarning`."""
    old: list[str] = []
    new: list[str] = []
    if channel is not None:
        old.append(repr(channel))
        new.append(f"channel={channel!r}")
    if group is not None:
        old.append(f"group_name={group!r}")
        new.append(f"group={group!r}")
    if not join:
        old.append("group_add=False")
    if not discard:
        old.append("group_discard=False")
    spelling = f"use_channel_layer({', '.join(new)})"
    if group is not None and channel is not None and not join:
        spelling = (
            f"two hooks: use_channel_layer(group={group!r}) to send and "
            f"use_channel_layer(channel={channel!r}, receiver=...) to receive"
        )
    text = (
        f"use_channel_layer({', '.join(old)}) is reactpy-django 5.2.1's spelling; write {spelling}."
    )
    if group is not None and join and not discard:
        text += (
            " group_discard=False has no new spelling: a component's channel leaves its group "
            "on unmount (code outside components can call get_channel_layer().group_add)."
        )
    return text


def _check_name(kind: str, name: str | None) -> None:
    if name is not None and not _NAME.match(name):
        msg = (
            f"use_channel_layer({kind}={name!r}): a {kind} name is 1 to 99 ASCII letters, "
            "digits, hyphens, underscores or periods."
        )
        raise ValueError(msg)


def _get_layer(alias: str) -> BaseChannelLayer:
    if alias not in channel_layers:
        configured = sorted(channel_layers.configs)
        msg = (
            f"use_channel_layer(layer={alias!r}): settings.CHANNEL_LAYERS has no {alias!r} entry "
            f"(it has {configured}). Add one, e.g. CHANNEL_LAYERS = {{{alias!r}: "
            '{"BACKEND": "channels.layers.InMemoryChannelLayer"}} for one process, or '
            "channels_redis.core.RedisChannelLayer for several."
        )
        raise ImproperlyConfigured(msg)
    return channel_layers[alias]


class _Sender:
    """The `AsyncMessageSender` of one hook: to the group if there is one, else the channel."""

    __slots__ = ("_channel", "_group", "_layer")

    def __init__(self, layer: BaseChannelLayer, channel: str | None, group: str | None) -> None:
        self._layer = layer
        self._channel = channel
        self._group = group

    async def __call__(self, message: Mapping[str, ChannelValue], /) -> None:
        payload = _checked_message(message)
        if self._group is not None:
            await self._layer.group_send(self._group, payload)
        elif self._channel is not None:
            await self._layer.send(self._channel, payload)

    def __repr__(self) -> str:
        target = (
            f"group={self._group!r}" if self._group is not None else f"channel={self._channel!r}"
        )
        return f"<use_channel_layer sender to {target}>"


def _checked_message(message: object) -> dict[str, Any]:
    """The message as a plain dict, once every value is one any channel layer can carry."""
    if not _is_mapping(message):
        msg = f"A channel layer message is a dict, e.g. {{'text': 'hi'}}; got {_kind(message)}."
        raise TypeError(msg)
    payload: dict[str, Any] = {}
    for key, value in message.items():
        if not isinstance(key, str):
            msg = f"Channel layer message keys are strings; got the key {key!r}."
            raise TypeError(msg)
        if key == _RESERVED_KEY:
            msg = f"The key {_RESERVED_KEY!r} is reserved by Channels; rename it."
            raise ValueError(msg)
        _check_value(value, f"message[{key!r}]", 0)
        payload[key] = value
    return payload


def _check_value(value: object, where: str, depth: int) -> None:
    if depth > _MAX_DEPTH:
        msg = f"{where} is nested more than {_MAX_DEPTH} levels deep (is it a cycle?)."
        raise TypeError(msg)
    if value is None or isinstance(value, bool | float | str | bytes):
        return
    if isinstance(value, int):
        if value not in _INT_RANGE:
            msg = f"{where} = {value} does not fit in 64 bits; send it as a string."
            raise TypeError(msg)
        return
    if is_sequence(value):
        for index, item in enumerate(value):
            _check_value(item, f"{where}[{index}]", depth + 1)
        return
    if is_dict(value):
        for key, item in value.items():
            if not isinstance(key, str):
                msg = f"{where} has the key {key!r}; dict keys in a message are strings."
                raise TypeError(msg)
            _check_value(item, f"{where}[{key!r}]", depth + 1)
        return
    msg = (
        f"{where} is {_kind(value)}, which a channel layer cannot carry: send None, bool, int, "
        "float, str, bytes, or lists, tuples and dicts of them (e.g. a datetime as an ISO string)."
    )
    raise TypeError(msg)


def _is_mapping(value: object) -> TypeIs[Mapping[object, object]]:
    return isinstance(value, Mapping)


def _kind(value: object) -> str:
    kind = type(value)
    name = (
        kind.__qualname__
        if kind.__module__ == "builtins"
        else f"{kind.__module__}.{kind.__qualname__}"
    )
    return f"{'an' if name[0] in 'aeiou' else 'a'} {name}"


class _Memberships:
    """The group receivers of one layer on one event loop, and the epoch they joined in.

    Redis keeps groups in memory: a restart forgets every membership, and one shorter than
    redis-py's retries raises nowhere. While group receivers are mounted, a watcher asks each
    Redis server of the layer for its `run_id` every `WATCH_INTERVAL` seconds; a new one, or a
    server reachable again, starts a new epoch and every receiver joins its group again.
    """

    __slots__ = ("changed", "epoch", "failing", "loop", "receivers", "watcher")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.epoch = 0
        self.changed = asyncio.Event()
        self.receivers = 0
        self.watcher: asyncio.Task[None] | None = None
        self.failing = 0

    def failing_started(self, label: str) -> None:
        """A receiver's layer call failed; it retries with backoff. One log line per outage,
        not one per receiver and attempt (a page of hundreds would flood the log)."""
        self.failing += 1
        if self.failing == 1:
            logger.warning(
                "%s: the channel layer failed; it and every receiver failing with it retry "
                "with backoff (up to %.0fs apart).",
                label,
                RETRY_MAX,
                exc_info=True,
            )

    def failing_ended(self, *, recovered: bool) -> None:
        """A failing receiver got a message again (`recovered`), or ended."""
        self.failing -= 1
        if self.failing == 0 and recovered:
            logger.warning("use_channel_layer: receivers hear the channel layer again.")

    def start_epoch(self) -> None:
        """Have every receiver of the layer join its group again."""
        self.epoch += 1
        self.changed.set()
        self.changed = asyncio.Event()

    def enter(self, layer: BaseChannelLayer) -> None:
        """A group receiver started; the first one starts the watcher (Redis layers)."""
        self.receivers += 1
        if self.watcher is None and (watchable(layer) or is_pubsub(layer)):
            self.watcher = self.loop.create_task(
                _watch_restarts(layer, self), name="use_channel_layer: Redis restart watcher"
            )

    def leave(self) -> None:
        """A group receiver ended; the last one stops the watcher."""
        self.receivers -= 1
        if self.receivers <= 0 and self.watcher is not None:
            self.watcher.cancel()
            self.watcher = None


_memberships: weakref.WeakKeyDictionary[BaseChannelLayer, _Memberships] = (
    weakref.WeakKeyDictionary()
)


def _memberships_of(layer: BaseChannelLayer) -> _Memberships:
    loop = asyncio.get_running_loop()
    found = _memberships.get(layer)
    if found is None or found.loop is not loop:
        found = _memberships[layer] = _Memberships(loop)
    return found


async def _watch_restarts(layer: BaseChannelLayer, memberships: _Memberships) -> None:
    """Start a new epoch whenever a Redis server of `layer` restarted or was unreachable."""
    watch = RestartWatch(layer)
    try:
        await _watch(watch, memberships)
    finally:
        await watch.aclose()


async def _watch(watch: RestartWatch, memberships: _Memberships) -> None:
    while True:
        lost, back = await watch.poll()
        _raise_if_cancelling()
        for index, error in lost:
            logger.warning(
                "use_channel_layer: Redis server %d of the channel layer is unreachable (%s); "
                "receivers hear nothing until it is back.",
                index,
                error,
            )
        if back:
            logger.warning(
                "use_channel_layer: a Redis server of the channel layer is back (its groups may "
                "be gone); every receiver joins its group again."
            )
            memberships.start_epoch()
        await asyncio.sleep(WATCH_INTERVAL)


def _gate() -> asyncio.Semaphore:
    loop = asyncio.get_running_loop()
    gate = _gates.get(loop)
    if gate is None:
        gate = _gates[loop] = asyncio.Semaphore(_MEMBERSHIP_CONCURRENCY)
    return gate


def _refresh_interval(layer: BaseChannelLayer) -> float | None:
    """How often to re-join a group so the layer's `group_expiry` never drops a live member."""
    # Static lookup: channels_redis' pub/sub layer (no group expiry) builds a layer per event
    # loop on attribute access.
    expiry: object = inspect.getattr_static(layer, "group_expiry", None)
    if isinstance(expiry, int | float) and expiry > 0:
        return float(expiry) / 2
    return None


async def _receive_loop(
    layer: BaseChannelLayer,
    channel: str | None,
    group: str | None,
    receiver: Ref[AsyncMessageReceiver | None],
    label: str,
    *,
    discard: bool = True,
) -> None:
    """Join the group, then hand each message to the latest receiver until cancelled; leave
    the group at the end unless `discard` is false."""
    loop = asyncio.get_running_loop()
    name = channel  # else a process-local name: on Redis every such channel of this process
    # shares one reader (RedisChannelLayer) or one subscriber connection (the pub/sub layer)
    refresh = _refresh_interval(layer) if group is not None else None
    memberships = _memberships_of(layer)
    if group is not None:
        memberships.enter(layer)
    joined_at: float | None = None
    joined_epoch = 0
    receiving: asyncio.Task[ChannelMessage] | None = None
    rejoin: asyncio.Task[Literal[True]] | None = None
    failures = 0
    try:
        while True:
            try:
                if name is None:
                    name = await layer.new_channel()  # subscribes on the pub/sub layer: may fail
                if receiving is None:
                    receiving = await _start_receiving(layer, name)
                if group is not None and (
                    joined_at is None
                    or joined_epoch != memberships.epoch
                    or (refresh is not None and loop.time() - joined_at >= refresh)
                ):
                    epoch = memberships.epoch
                    async with _gate():
                        await layer.group_add(group, name)
                    _raise_if_cancelling()
                    joined_at, joined_epoch = loop.time(), epoch
                    if failures:  # the layer answers again
                        failures = 0
                        memberships.failing_ended(recovered=True)
                waiting: set[asyncio.Task[Any]] = {receiving}
                if group is not None:
                    if rejoin is None or rejoin.done():
                        rejoin = loop.create_task(memberships.changed.wait())
                    waiting.add(rejoin)
                timeout = None
                if refresh is not None and joined_at is not None:
                    timeout = max(0.0, joined_at + refresh - loop.time())
                done, _ = await asyncio.wait(waiting, timeout=timeout, return_when=_FIRST)
                if receiving not in done:
                    continue  # time to (re-)join the group; the receive goes on
                finished, receiving = receiving, None
                message = finished.result()
            except asyncio.CancelledError:
                raise
            except Exception:
                failures += 1
                if failures == 1:
                    memberships.failing_started(label)
                if name is not None and receiving is None:
                    forget_unsubscribed(layer, name)
                await asyncio.sleep(retry_delay(failures))
            else:
                if failures:
                    failures = 0
                    memberships.failing_ended(recovered=True)
                await _deliver(receiver, message, label)
                _raise_if_cancelling()
    finally:
        if failures:
            memberships.failing_ended(recovered=False)
        if rejoin is not None:
            rejoin.cancel()
        if group is not None:
            memberships.leave()
        if name is not None:
            await _run_to_end(_leave(layer, receiving, group if discard else None, name), label)


async def _start_receiving(layer: BaseChannelLayer, name: str) -> asyncio.Task[ChannelMessage]:
    """A task reading `name`, started before the channel joins its group: channels_redis'
    pub/sub layer joins only channels it already reads (its `receive` registers the channel
    in its first step, which the one loop turn here lets run)."""
    task = asyncio.get_running_loop().create_task(_receive(layer, name))
    if is_pubsub(layer):
        try:
            await asyncio.sleep(0)
        except asyncio.CancelledError:
            task.cancel()  # nobody else knows of it yet
            raise
    return task


# Any: a coroutine's send and yield types, which nobody uses here.
def _receive(layer: BaseChannelLayer, name: str) -> Coroutine[Any, Any, ChannelMessage]:
    """The layer's `receive(name)`; on Channels' in-memory layer, without its sweep."""
    if type(layer) is InMemoryChannelLayer:
        return _receive_in_memory(layer, name)
    return layer.receive(name)


async def _receive_in_memory(layer: InMemoryChannelLayer, name: str) -> ChannelMessage:
    """`InMemoryChannelLayer.receive`, less the sweep for expired messages and memberships
    that it starts with: that walks every channel and group member of the process, so a group
    message to N receivers cost N sweeps of them all (quadratic; at 500 receivers, more than
    half the server's time). `group_send` still sweeps, once per message, and this channel's
    messages cannot go stale here: it is read as they come."""
    layer.require_valid_channel_name(name)
    queue = layer.channels.setdefault(name, asyncio.Queue(maxsize=layer.get_capacity(name)))
    try:
        _, message = await queue.get()
    finally:
        if queue.empty():
            layer.channels.pop(name, None)
    return message


def _raise_if_cancelling() -> None:
    """End the loop if it was cancelled while a library swallowed the `CancelledError` (Python
    3.11's `wait_for`, inside redis-py's connect, can): the task still counts the request."""
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError


async def _deliver(
    receiver: Ref[AsyncMessageReceiver | None], message: ChannelMessage, label: str
) -> None:
    function = receiver.current
    if function is None:
        return
    try:
        # Its own copy: on Redis one decoded message is shared by the whole process's group.
        result = function(copy.deepcopy(message))
        if inspect.isawaitable(result):
            await result
    except asyncio.CancelledError:
        raise
    except Exception:
        logger.exception("%s: the receiver raised; it keeps receiving.", label)


async def _leave(
    layer: BaseChannelLayer,
    receiving: asyncio.Task[ChannelMessage] | None,
    group: str | None,
    name: str,
) -> None:
    if receiving is not None:
        # Python 3.11's wait_for (inside redis-py's connect) can swallow a cancellation, and
        # channels_redis then reads again: cancel until the task has really ended.
        while not receiving.done():
            receiving.cancel()
            await asyncio.wait({receiving}, timeout=_RECANCEL_INTERVAL)
        if not receiving.cancelled():
            receiving.exception()  # retrieved: the loop is over either way
    if group is not None:
        async with _gate():
            await layer.group_discard(group, name)


async def _run_to_end(coroutine: Coroutine[Any, Any, None], label: str) -> None:
    """Finish `coroutine` although the caller is cancelled again meanwhile (the consumer
    cancels the effect's task, then every task of the connection), then re-raise that."""
    loop = asyncio.get_running_loop()
    task = loop.create_task(coroutine)
    deadline = loop.time() + _LEAVE_TIMEOUT
    cancelled = False
    while not task.done():
        remaining = deadline - loop.time()
        if remaining <= 0:
            task.cancel()
            logger.warning("%s: leaving the group took over %ss.", label, _LEAVE_TIMEOUT)
            break
        try:
            await asyncio.wait({task}, timeout=remaining)
        except asyncio.CancelledError:
            cancelled = True
    if task.done() and not task.cancelled() and task.exception() is not None:
        logger.warning("%s: could not leave the group.", label, exc_info=task.exception())
    if cancelled:
        raise asyncio.CancelledError
