"""use_channel_layer on the in-memory layer, through mounted components (one process)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.core.exceptions import ImproperlyConfigured
from django.db.models.signals import pre_save
from django.test import Client, override_settings

from reactpy_django.hooks import use_channel_layer
from reactpy_django.layers import _checked_message
from reactpy_django.testing import mount
from tests.conftest import MEMORY_LAYERS
from tests.layer_components import wait_until
from tests.models import ExampleModel

pytestmark = [pytest.mark.backends, pytest.mark.django_db(transaction=True)]

C = "tests.layer_components."
E = "docs.examples."  # the documentation's examples, mounted as the pages show them


def members(layer: InMemoryChannelLayer, group: str) -> set[str]:
    return set(layer.groups.get(group, {}))


async def wait_for_members(layer: InMemoryChannelLayer, group: str, count: int) -> None:
    async def joined() -> bool:
        return len(members(layer, group)) == count

    await wait_until(joined, f"{count} members in {group!r}")


# The doc's first, broadcast and point-to-point examples are tested in test_docs_examples.py.


def my_sender_signal(sender: type[ExampleModel], instance: ExampleModel, **kwargs: Any) -> None:
    """The doc's model-signal sender, as written there."""
    layer = get_channel_layer()
    assert layer is not None

    # EXAMPLE 1: Sending a message to a group.
    async_to_sync(layer.group_send)("my-group-name", {"text": "Hello World!"})

    # EXAMPLE 2: Sending a message to a single channel.
    async_to_sync(layer.send)("my-channel-name", {"text": "Hello World!"})


async def test_doc_model_signal_reaches_the_receiver(layer: InMemoryChannelLayer) -> None:
    pre_save.connect(my_sender_signal, sender=ExampleModel)  # pyright: ignore[reportUnknownMemberType]  # django-stubs: receivers are Callable[..., Unknown]
    try:
        async with mount(E + "channel_layer_signal_receiver.my_receiver_component") as receiver:
            await wait_for_members(layer, "my-group-name", 1)
            await sync_to_async(ExampleModel.objects.create)(text="saved")
            await receiver.wait_for_text("Message Receiver: Hello World!")
    finally:
        pre_save.disconnect(my_sender_signal, sender=ExampleModel)  # pyright: ignore[reportUnknownMemberType]  # as connect above
    assert not members(layer, "my-group-name")


async def test_code_outside_components_reaches_a_group(layer: InMemoryChannelLayer) -> None:
    async with mount(C + "probe", group="outside", tag="p") as page:
        await wait_for_members(layer, "outside", 1)
        await layer.group_send("outside", {"text": "from a view"})
        await page.wait_for_text("p got 1: from a view;")


async def test_group_left_on_unmount_and_loop_stopped(layer: InMemoryChannelLayer) -> None:
    async with mount(C + "toggled_probe", group="toggled") as page:
        await wait_for_members(layer, "toggled", 1)
        await page.click(id="toggle")
        await page.wait_for_text("shown: False")
        await wait_for_members(layer, "toggled", 0)


async def test_unmounted_channel_receiver_stops_reading(layer: InMemoryChannelLayer) -> None:
    async with mount(C + "toggled_probe", channel="p2p-toggled") as page:
        await layer.send("p2p-toggled", {"text": "first"})
        await page.wait_for_text("toggled got 1: first;")
        await page.click(id="toggle")
        await page.wait_for_text("shown: False")
        # Nobody reads the channel now: the message waits for the next receiver.
        await layer.send("p2p-toggled", {"text": "second"})
        async with mount(C + "probe", channel="p2p-toggled", tag="next") as successor:
            await successor.wait_for_text("next got 1: second;")


async def test_group_left_on_disconnect(layer: InMemoryChannelLayer) -> None:
    async with mount(C + "many_probes", count=3, group="leaving", tag="x"):
        await wait_for_members(layer, "leaving", 3)
    # Leaving the block closed the WebSocket; the consumer awaited the cleanup.
    assert not members(layer, "leaving")


async def test_a_group_message_sweeps_the_layer_once_not_once_per_receiver(
    layer: InMemoryChannelLayer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Channels' in-memory receive() walks every channel and group member of the process for
    # expired entries; done by each receiver for each message, that was quadratic.
    sweep: Callable[[], None] = getattr(layer, "_clean_expired")  # noqa: B009  # private to Channels, not in its stubs
    sweeps: list[int] = []

    def counted() -> None:
        sweeps.append(1)
        sweep()

    monkeypatch.setattr(layer, "_clean_expired", counted)
    async with mount(C + "many_probes", count=20, group="sweeps", tag="swept") as page:
        await wait_for_members(layer, "sweeps", 20)
        sweeps.clear()
        await layer.group_send("sweeps", {"text": "one"})

        async def all_received() -> bool:
            return page.text.count("swept got 1: one;") == 20

        await wait_until(all_received, "20 receipts")
        assert len(sweeps) == 1  # group_send's own
    assert not [name for name in layer.channels if name.startswith("specific.")]


async def test_receiver_exception_is_logged_and_loop_goes_on(
    layer: InMemoryChannelLayer, caplog: pytest.LogCaptureFixture
) -> None:
    async with mount(C + "fragile_receiver", group="fragile") as page:
        await wait_for_members(layer, "fragile", 1)
        with caplog.at_level(logging.ERROR, logger="reactpy_django.layers"):
            await layer.group_send("fragile", {"text": "boom"})
            await layer.group_send("fragile", {"text": "still here"})
            await page.wait_for_text("text: still here")
    failures = [record for record in caplog.records if record.name == "reactpy_django.layers"]
    assert len(failures) == 1
    assert "group='fragile'" in failures[0].getMessage()  # which receiver
    assert "the receiver raised" in failures[0].getMessage()
    assert failures[0].exc_info is not None
    assert "broke on purpose" in str(failures[0].exc_info[1])


async def test_latest_receiver_is_used_without_rejoining(layer: InMemoryChannelLayer) -> None:
    async with mount(C + "prefixed_receiver", group="closures") as page:
        await wait_for_members(layer, "closures", 1)
        channel_before = members(layer, "closures")
        await page.click(id="next")
        await page.wait_for_text("prefix aa")
        await page.click(id="next")
        await page.wait_for_text("prefix aaa")
        assert members(layer, "closures") == channel_before
        await layer.group_send("closures", {"text": "m"})
        await page.wait_for_text("seen aaa:m")


async def test_each_receiver_gets_its_own_copy(layer: InMemoryChannelLayer) -> None:
    async with mount(C + "mutating_receivers", group="copies") as page:
        await wait_for_members(layer, "copies", 2)
        await layer.group_send("copies", {"items": ["a"]})
        await page.wait_for_text("first: a,changed; second: a;")


async def test_sender_rejects_what_a_layer_cannot_carry(layer: InMemoryChannelLayer) -> None:
    async with mount(C + "bad_sender", group="bad") as page:
        await page.click(id="send")
        await page.wait_for_text("error: message['when'] is a datetime.datetime")
        assert "ISO string" in page.text


async def test_sender_sends_to_the_channel_without_group(layer: InMemoryChannelLayer) -> None:
    async with (
        mount(C + "probe", channel="direct-only", tag="d") as receiver,
        mount(C + "sender_button", channel="direct-only") as sender,
    ):
        await sender.click(id="send")
        await receiver.wait_for_text("d got 1: 1;")
        await sender.click(id="send")
        await receiver.wait_for_text("d got 2: 2;")


_OLD_FORMS = [
    (name, group, add, discard)
    for name in (None, "old-n")
    for group in (None, "old-g")
    for add in (True, False)
    for discard in (True, False)
    if (name is not None or group is not None) and (group is not None or (add and discard))
]


@pytest.mark.parametrize(("name", "group", "add", "discard"), _OLD_FORMS)
async def test_reactpy_django_5_call_form(
    layer: InMemoryChannelLayer,
    recwarn: pytest.WarningsRecorder,
    name: str | None,
    group: str | None,
    add: bool,
    discard: bool,
) -> None:
    joins = group is not None and add
    props = {"name": name, "group_name": group, "group_add": add, "group_discard": discard}
    async with (
        mount(C + "probe", group="old-g", tag="peer") as peer,
        mount(C + "old_form_probe", props=props) as page,
    ):
        await wait_for_members(layer, "old-g", 1 + joins)
        if group is not None:
            if joins and name is not None:
                assert name in members(layer, group)
            await page.click(id="send")  # 5.2.1: to the group when there is one
            await peer.wait_for_text("peer got 1: from old;")
            if joins:
                await page.wait_for_text("old got 1: from old;")
        else:
            await page.click(id="send")  # 5.2.1: to its own channel without a group
            await page.wait_for_text("old got 1: from old;")
        if name is not None:
            await layer.send(name, {"text": "direct"})  # the receiver reads `name`
            own = group is None or joins  # it got its own "from old" above
            await page.wait_for_text(f"old got {1 + own}: direct;")
        elif not joins:  # a random channel outside any group: nothing can reach it
            await layer.group_send("old-g", {"text": "not for old"})
            await peer.wait_for_text("peer got 2: not for old;")
            assert "old got 0: ;" in page.text
        await page.click(id="toggle")
        await page.wait_for_text("shown: False")
        stays = joins and not discard  # group_discard=False keeps it in the group
        await wait_for_members(layer, "old-g", 1 + stays)
        if stays and name is not None:
            await layer.group_send("old-g", {"text": "while away"})
            await page.click(id="toggle")
            await page.wait_for_text("old got 1: while away;")
    assert _deprecations(recwarn, "is reactpy-django 5.2.1's spelling; write ")


async def test_reactpy_django_5_positional_name(
    layer: InMemoryChannelLayer, recwarn: pytest.WarningsRecorder
) -> None:
    async with mount(C + "old_form_positional", name="pos") as page:
        await layer.send("pos", {"text": "hi"})
        await page.wait_for_text("positional got: hi;")
    assert _deprecations(recwarn, "write use_channel_layer(channel='pos').")


def _deprecations(recwarn: pytest.WarningsRecorder, text: str) -> list[str]:
    found = [str(w.message) for w in recwarn if issubclass(w.category, DeprecationWarning)]
    return [message for message in found if text in message]


@pytest.mark.parametrize(
    ("kwargs", "spelling"),
    [
        ({"name": "n"}, r"use_channel_layer\('n'\) .* write use_channel_layer\(channel='n'\)\.$"),
        (
            {"group_name": "g"},
            r"use_channel_layer\(group_name='g'\) .* write use_channel_layer\(group='g'\)\.$",
        ),
        (
            {"name": "n", "group_name": "g"},
            r"write use_channel_layer\(channel='n', group='g'\)\.$",
        ),
        (
            {"name": "n", "group_name": "g", "group_add": False},
            r"group_add=False\) .* write two hooks: use_channel_layer\(group='g'\) to send and "
            r"use_channel_layer\(channel='n', receiver=...\) to receive\.$",
        ),
        (
            {"group_name": "g", "group_discard": False},
            r"group_discard=False has no new spelling",
        ),
        ({"name": "n", "group_add": True}, r"write use_channel_layer\(channel='n'\)\."),
    ],
)
def test_reactpy_django_5_form_warns_with_the_new_spelling(
    kwargs: dict[str, Any], spelling: str
) -> None:
    # An unknown layer ends the call right after the warning, outside a component.
    with (
        override_settings(CHANNEL_LAYERS=MEMORY_LAYERS),
        pytest.warns(DeprecationWarning, match=spelling),
        pytest.raises(ImproperlyConfigured, match="has no 'missing' entry"),
    ):
        use_channel_layer(layer="missing", **kwargs)


def test_mixing_both_spellings_is_refused() -> None:
    with pytest.raises(TypeError, match="got both spellings"):
        use_channel_layer(channel="n", group_name="g")  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue]  # on purpose
    with pytest.raises(TypeError, match="got both spellings"):
        use_channel_layer("n", group="g")  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue]  # on purpose


def test_old_form_without_a_name_or_group_is_a_clear_error() -> None:
    with (
        pytest.warns(DeprecationWarning, match=r"use_channel_layer\(group_add=False\)"),
        pytest.raises(ValueError, match=r"needs channel=, group=, or both"),
    ):
        use_channel_layer(group_add=False)  # pyright: ignore[reportDeprecated]  # on purpose


def test_neither_channel_nor_group_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match=r"needs channel=, group=, or both"):
        use_channel_layer()


def test_bad_names_are_refused() -> None:
    with pytest.raises(ValueError, match=r"group='has space'"):
        use_channel_layer(group="has space")
    with pytest.raises(ValueError, match=r"channel="):
        use_channel_layer(channel="x" * 100)


def test_unknown_layer_names_the_setting() -> None:
    with (
        override_settings(CHANNEL_LAYERS=MEMORY_LAYERS),
        pytest.raises(ImproperlyConfigured, match=r"CHANNEL_LAYERS has no 'other' entry"),
    ):
        use_channel_layer(group="g", layer="other")


def test_missing_channel_layers_names_the_setting() -> None:
    with (
        override_settings(CHANNEL_LAYERS={}),
        pytest.raises(ImproperlyConfigured, match=r"settings\.CHANNEL_LAYERS has no 'default'"),
    ):
        use_channel_layer(group="g")


async def test_misconfigured_component_logs_the_error(
    layer: InMemoryChannelLayer, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR):
        async with mount(C + "misconfigured", layer="missing", channel="c") as page:
            assert "rendered" not in page.text
    assert "CHANNEL_LAYERS has no 'missing' entry" in caplog.text


@pytest.mark.parametrize(
    ("message", "error"),
    [
        ("text", r"is a dict.*got a str"),
        ({1: "x"}, r"keys are strings; got the key 1"),
        ({"a": {"b": {2: 3}}}, r"message\['a'\]\['b'\] has the key 2"),
        ({"n": 2**64}, r"message\['n'\] = 18446744073709551616 does not fit in 64 bits"),
        ({"s": {1, 2}}, r"message\['s'\] is a set"),
        ({"l": [1, object()]}, r"message\['l'\]\[1\] is an object"),
    ],
)
def test_message_values_are_checked(message: object, error: str) -> None:
    with pytest.raises(TypeError, match=error):
        _checked_message(message)


def _nested(levels: int, kind: str) -> object:
    value: object = "leaf"
    for _ in range(levels):
        value = [value] if kind == "list" else {"d": value}
    return value


@pytest.mark.parametrize("kind", ["list", "dict"])
def test_values_nested_64_levels_pass_and_65_are_refused(kind: str) -> None:
    assert _checked_message({"deep": _nested(64, kind)}) == {"deep": _nested(64, kind)}
    with pytest.raises(TypeError, match=r"message\['deep'\].* is nested more than 64 levels"):
        _checked_message({"deep": _nested(65, kind)})


def test_reserved_key_is_refused() -> None:
    with pytest.raises(ValueError, match="reserved by Channels"):
        _checked_message({"__asgi_channel__": "x"})


def test_carriable_message_passes_unchanged() -> None:
    message = {"a": None, "b": [1, 2.5, True, b"x", ("t",)], "c": {"d": -(2**63)}}
    assert _checked_message(message) == message


def test_prerender_joins_nothing(layer: InMemoryChannelLayer, client: Client) -> None:
    response = client.get("/test/layer_prerender/")
    assert response.status_code == 200
    assert "pre got 0: ;" in response.content.decode()
    assert not members(layer, "pre")
    assert not layer.channels
