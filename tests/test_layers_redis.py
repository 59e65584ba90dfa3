"""use_channel_layer on channels_redis, against a real redis-server on 127.0.0.1.

Tests taking the `redis` fixture run on both of channels_redis' layers (`redis_kind`):
RedisChannelLayer keeps groups as Redis keys, RedisPubSubChannelLayer as subscriptions.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import subprocess
import sys
import time
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any
from uuid import uuid4

import pytest
from channels.layers import BaseChannelLayer, get_channel_layer
from django.core.checks import CheckMessage
from django.test import override_settings
from redis.asyncio import Redis

from reactpy_django.checks import reactpy_checks
from reactpy_django.testing import MountedComponent, mount
from tests import servers
from tests.layer_components import (
    ARRIVALS,
    PUBSUB_LAYER,
    REDIS_LAYER,
    redis_layers,
    wait_until,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.backends]

C = "tests.layer_components."
E = "docs.examples."  # the documentation's examples, mounted as the pages show them


@dataclass
class RedisLayer:
    """The test's Redis channel layer and a plain client to look inside Redis."""

    layer: BaseChannelLayer
    client: Redis
    prefix: str
    kind: str

    async def members(self, group: str) -> set[str]:
        """The channels in `group`: as Redis stores them (RedisChannelLayer), or, on the
        pub/sub layer, this process's members once Redis has its subscription (a
        placeholder for a subscriber Redis has and this process does not)."""
        if self.kind == "core":
            raw = await self.client.zrange(f"{self.prefix}:group:{group}", 0, -1)  # pyright: ignore[reportUnknownMemberType]  # redis-py: score_cast_func is Callable[..., Unknown]
            return {member.decode() if isinstance(member, bytes) else str(member) for member in raw}
        name = f"{self.prefix}__group__{group}"
        if not await self.subscribers(name):
            return set()
        groups: dict[str, set[str]] = getattr(self.layer, "groups", {})  # this loop's layer's
        return set(groups.get(name, set())) or {"(another subscriber)"}

    async def subscribers(self, channel: str) -> int:
        """How many connections Redis counts subscribed to the pub/sub `channel`."""
        counts: list[tuple[bytes | str, int]] = await self.client.pubsub_numsub(channel)  # pyright: ignore[reportUnknownMemberType]  # redis-py: **kwargs untyped
        return sum(count for _, count in counts)

    async def wait_for_members(self, group: str, count: int, timeout: float = 10.0) -> None:
        """Wait until `group` has `count` channels."""

        async def joined() -> bool:
            return len(await self.members(group)) == count

        await wait_until(joined, f"{count} members in {group!r}", timeout)


@contextlib.asynccontextmanager
async def redis_layer(url: str, kind: str = "core", **config: Any) -> AsyncGenerator[RedisLayer]:
    """The default layer on Redis, under a key prefix of its own, for the block."""
    prefix = f"t{uuid4().hex[:12]}"
    with override_settings(CHANNEL_LAYERS=redis_layers(url, kind, prefix=prefix, **config)):
        layer = get_channel_layer()
        assert layer is not None
        client = Redis.from_url(url)  # pyright: ignore[reportUnknownMemberType]  # redis-py: **kwargs untyped
        try:
            yield RedisLayer(layer, client, prefix, kind)
        finally:
            await client.aclose()
            close_pools = getattr(layer, "close_pools", None)
            if close_pools is not None:
                await close_pools()


@pytest.fixture
async def redis(redis_url: str, redis_kind: str) -> AsyncIterator[RedisLayer]:
    """The default layer on the session's redis-server, of each kind in turn."""
    async with redis_layer(redis_url, redis_kind) as found:
        yield found


async def test_doc_broadcast_on_redis(redis: RedisLayer) -> None:
    async with (
        mount(E + "channel_layer_group.my_receiver_component_1") as receiver_1,
        mount(E + "channel_layer_group.my_receiver_component_2") as receiver_2,
        mount(E + "channel_layer_group.my_sender_component") as sender,
    ):
        await redis.wait_for_members("my-group-name", 2)
        if redis.kind == "core":  # process-local names: both share this process's one reader
            assert all("!" in name for name in await redis.members("my-group-name"))
        await sender.type_text("over redis")
        await receiver_1.wait_for_text("Message Receiver 1: over redis")
        await receiver_2.wait_for_text("Message Receiver 2: over redis")
    assert await redis.members("my-group-name") == set()


async def test_doc_point_to_point_on_redis(redis_url: str) -> None:
    # RedisChannelLayer keeps a message until its channel is read (pub/sub: the test below).
    async with (
        redis_layer(redis_url),
        mount(E + "channel_layer_channel.my_sender_component") as sender,
    ):
        await sender.type_text("waits in redis")
        async with mount(E + "channel_layer_channel.my_receiver_component") as receiver:
            await receiver.wait_for_text("Message Receiver 1: waits in redis")
            await sender.type_text("again")
            await receiver.wait_for_text("Message Receiver 1: again")


async def test_doc_point_to_point_on_redis_pubsub(redis_url: str) -> None:
    # Redis pub/sub keeps nothing for a channel nobody reads: the receiver mounts first.
    async with (
        redis_layer(redis_url, "pubsub") as redis,
        mount(E + "channel_layer_channel.my_receiver_component") as receiver,
        mount(E + "channel_layer_channel.my_sender_component") as sender,
    ):

        async def reading() -> bool:
            return await redis.subscribers("my-channel-name") == 1

        await wait_until(reading, "a reader of my-channel-name")
        await sender.type_text("just for you")
        await receiver.wait_for_text("Message Receiver 1: just for you")
        await sender.type_text("again")
        await receiver.wait_for_text("Message Receiver 1: again")
    assert await redis.subscribers("my-channel-name") == 0  # unsubscribed on unmount


async def test_channel_and_group_together_on_redis(redis: RedisLayer) -> None:
    # The model-signal example: one receiver reads its named channel inside a group (the
    # pub/sub layer joins only channels already read).
    async with mount(E + "channel_layer_signal_receiver.my_receiver_component") as receiver:
        await redis.wait_for_members("my-group-name", 1)
        await redis.layer.group_send("my-group-name", {"text": "to the group"})
        await receiver.wait_for_text("Message Receiver: to the group")
        await redis.layer.send("my-channel-name", {"text": "to the channel"})
        await receiver.wait_for_text("Message Receiver: to the channel")
    await redis.wait_for_members("my-group-name", 0)


async def test_group_left_on_unmount_on_redis(redis: RedisLayer) -> None:
    async with mount(C + "toggled_probe", group="toggled") as page:
        await redis.wait_for_members("toggled", 1)
        await page.click(id="toggle")
        await page.wait_for_text("shown: False")
        await redis.wait_for_members("toggled", 0)


async def test_group_left_on_disconnect_on_redis(redis: RedisLayer) -> None:
    async with mount(C + "many_probes", count=5, group="leaving", tag="x"):
        await redis.wait_for_members("leaving", 5)
    assert await redis.members("leaving") == set()


@pytest.mark.parametrize(("add", "discard"), [(True, True), (True, False), (False, True)])
async def test_reactpy_django_5_call_form_on_redis(
    redis: RedisLayer, recwarn: pytest.WarningsRecorder, add: bool, discard: bool
) -> None:
    props = {"name": "old-n", "group_name": "old-g", "group_add": add, "group_discard": discard}
    async with (
        mount(C + "probe", group="old-g", tag="peer") as peer,
        mount(C + "old_form_probe", props=props) as page,
    ):
        await redis.wait_for_members("old-g", 1 + add)
        assert ("old-n" in await redis.members("old-g")) is add
        await page.click(id="send")  # to the group
        await peer.wait_for_text("peer got 1: from old;")
        if add:
            await page.wait_for_text("old got 1: from old;")
        await redis.layer.send("old-n", {"text": "direct"})  # the receiver reads `name`
        await page.wait_for_text(f"old got {1 + add}: direct;")
        await page.click(id="toggle")
        await page.wait_for_text("shown: False")
        stays = add and not discard
        await redis.wait_for_members("old-g", 1 + stays)
        # group_discard=False keeps `name` in the group (asserted above). That what is sent
        # meanwhile waits for the next reader is tested on the in-memory layer (test_layers.py)
        # only: on RedisChannelLayer the unmounted receiver's cancelled BZPOPMIN stays blocked
        # in Redis until channels_redis' 5 s read timeout and takes a message sent in that
        # window; the pub/sub layer drops what nobody reads (docs: Switching, Channel layers).
    warned = [str(w.message) for w in recwarn if issubclass(w.category, DeprecationWarning)]
    assert any("is reactpy-django 5.2.1's spelling" in message for message in warned)


async def test_each_receiver_gets_its_own_copy_on_redis(redis: RedisLayer) -> None:
    async with mount(C + "mutating_receivers", group="copies") as page:
        await redis.wait_for_members("copies", 2)
        await redis.layer.group_send("copies", {"items": ["a"]})
        await page.wait_for_text("first: a,changed; second: a;")


async def test_idle_receiver_survives_blocking_reads(
    redis: RedisLayer, caplog: pytest.LogCaptureFixture
) -> None:
    # Two of channels_redis' 5 s blocking reads pass with nothing to read.
    async with mount(C + "probe", group="idle", tag="idle") as page:
        await redis.wait_for_members("idle", 1)
        with caplog.at_level(logging.WARNING):
            await asyncio.sleep(11)  # the idle time under test, not a wait for something
            await redis.layer.group_send("idle", {"text": "still listening"})
            await page.wait_for_text("idle got 1: still listening;")
        assert page.close_code is None
    warned = [record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING]
    assert warned == []  # (the first connection of a process logs the GC threshold, at INFO)


async def test_membership_outlives_group_expiry(redis_url: str) -> None:
    # channels_redis drops members older than group_expiry; the hook re-joins in time.
    async with (
        redis_layer(redis_url, group_expiry=2) as redis,
        mount(C + "probe", group="expiring", tag="expiring") as page,
    ):
        await redis.wait_for_members("expiring", 1)
        await asyncio.sleep(4.5)  # past the expiry: the time passing is what is tested
        await redis.layer.group_send("expiring", {"text": "after expiry"})
        await page.wait_for_text("expiring got 1: after expiry;")


RECEIVERS = 1000
PAGES = 10


async def test_a_thousand_receivers_get_one_group_message(
    redis: RedisLayer, capsys: pytest.CaptureFixture[str]
) -> None:
    per_page = RECEIVERS // PAGES
    tag = f"fanout-{uuid4().hex[:6]}"
    expected = f"{tag} got 1: fanout;"
    async with contextlib.AsyncExitStack() as stack:
        pages = [
            await stack.enter_async_context(
                mount(C + "many_probes", count=per_page, group="thousand", tag=tag)
            )
            for _ in range(PAGES)
        ]
        await redis.wait_for_members("thousand", RECEIVERS, timeout=60)
        started = time.monotonic()
        await redis.layer.group_send("thousand", {"text": "fanout"})
        for page in pages:
            await page.wait_for(_shows(page, expected, per_page), 60)
        rendered = time.monotonic() - started
        received = max(ARRIVALS[tag]) - started
        info = await redis.client.info("clients")  # pyright: ignore[reportUnknownMemberType]  # redis-py: **kwargs untyped
        clients = info["connected_clients"]
        assert len(ARRIVALS[tag]) == RECEIVERS
    assert await redis.members("thousand") == set()
    with capsys.disabled():
        print(
            f"\n{RECEIVERS} receivers: all received in {received:.3f}s, all rendered in "
            f"{rendered:.3f}s; redis clients connected: {clients}"
        )
    assert clients < 100  # far below the client's pool: one reader for the whole process


def _shows(page: MountedComponent, text: str, times: int) -> Callable[[], bool]:
    return lambda: page.text.count(text) == times


def _ids(messages: list[CheckMessage]) -> list[str]:
    return [str(message.id) for message in messages]


@pytest.mark.parametrize(
    ("hosts", "warned"),
    [
        (["redis://127.0.0.1:6379/0"], True),  # redis-py 8's default: 5 s
        ([("127.0.0.1", 6379)], True),
        ([{"address": "redis://127.0.0.1:6379/0", "socket_timeout": 5}], True),
        ([{"address": "redis://127.0.0.1:6379/0", "socket_timeout": 10}], False),
        (["redis://127.0.0.1:6379/0?socket_timeout=10"], False),
        ([{"host": "127.0.0.1", "port": 6379, "socket_timeout": None}], False),
    ],
)
def test_check_warns_of_a_socket_timeout_at_the_blocking_read(
    hosts: list[Any], warned: bool
) -> None:
    layers = {"default": {"BACKEND": REDIS_LAYER, "CONFIG": {"hosts": hosts}}}
    with override_settings(CHANNEL_LAYERS=layers):
        messages = reactpy_checks()
    assert ("reactpy_django.W007" in _ids(messages)) is warned
    if warned:
        (message,) = [m for m in messages if m.id == "reactpy_django.W007"]
        assert "socket_timeout" in str(message.hint)
        assert "CHANNEL_LAYERS['default']" in message.msg


def test_check_is_quiet_for_the_in_memory_layer() -> None:
    memory = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    with override_settings(CHANNEL_LAYERS=memory):
        assert "reactpy_django.W007" not in _ids(reactpy_checks())


@pytest.mark.parametrize(
    "layers",
    [
        {"default": {"BACKEND": PUBSUB_LAYER, "CONFIG": {"hosts": ["redis://127.0.0.1:6379/0"]}}},
        {"default": {"BACKEND": PUBSUB_LAYER}},
        {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}},
        {
            "default": {"BACKEND": "channels.layers.InMemoryChannelLayer"},
            "pubsub": {"BACKEND": PUBSUB_LAYER, "CONFIG": {"hosts": [("127.0.0.1", 6379)]}},
        },
    ],
    ids=["pubsub", "pubsub-no-config", "in-memory", "in-memory-and-pubsub"],
)
def test_check_inspects_the_pubsub_layer_without_an_event_loop(layers: dict[str, Any]) -> None:
    # RedisPubSubChannelLayer builds a layer per running event loop on attribute access:
    # reading one outside a loop raised RuntimeError out of `manage.py check`. Its reads poll
    # with a short timeout of their own, so no socket timeout warning either.
    with override_settings(CHANNEL_LAYERS=layers):
        ids = _ids(reactpy_checks())
    assert {"reactpy_django.W007", "reactpy_django.W008", "reactpy_django.E024"}.isdisjoint(ids)


def test_check_reports_an_invalid_backend_without_crashing() -> None:
    layers = {"default": {"BACKEND": "channels_redis.nowhere.Layer"}}
    with override_settings(CHANNEL_LAYERS=layers):
        messages = reactpy_checks()
    assert "reactpy_django.E024" in _ids(messages)
    assert "reactpy_django.W008" not in _ids(messages)


def test_check_warns_of_a_layer_it_cannot_inspect() -> None:
    # A host option redis-py does not know: the layer builds (its pools connect lazily), but
    # making a connection raises TypeError, which the check reports instead of raising.
    hosts = [{"address": "redis://127.0.0.1:6379/0", "socket_timeout": 10, "sockettimeout": 1}]
    layers = {"default": {"BACKEND": REDIS_LAYER, "CONFIG": {"hosts": hosts}}}
    with override_settings(CHANNEL_LAYERS=layers):
        messages = reactpy_checks()
    (message,) = [found for found in messages if found.id == "reactpy_django.W008"]
    assert message.msg.startswith(
        f"CHANNEL_LAYERS['default'] ({REDIS_LAYER}) could not be inspected (TypeError: "
    )
    assert "sockettimeout" in message.msg
    assert "redis-py connection options" in str(message.hint)
    assert "reactpy_django.W007" not in _ids(messages)


@pytest.mark.parametrize("kind", ["core", "pubsub"])
def test_manage_py_check_runs_on_each_redis_layer(kind: str) -> None:
    # The real command, in a process of its own: on the pub/sub layer it used to end in
    # "RuntimeError: no running event loop" (and so did migrate, which runs the checks).
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "REACTPY_TEST_LAYER": "redis",
        "REACTPY_TEST_REDIS_URL": "redis://127.0.0.1:1/0",  # never connected to
        "REACTPY_TEST_REDIS_LAYER": kind,
        "PYTHONPATH": os.pathsep.join([str(servers.ROOT), str(servers.ROOT / "demo")]),
    }
    completed = subprocess.run(
        [sys.executable, "-m", "django", "check"],
        cwd=servers.ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-4000:]
    assert "System check identified no issues" in completed.stdout
