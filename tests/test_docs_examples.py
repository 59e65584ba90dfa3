"""Every example of the documentation site (`docs/examples/`), mounted and used as its page
says, with what the page says it shows asserted."""

from __future__ import annotations

import re

import pytest
from asgiref.sync import sync_to_async
from channels.layers import InMemoryChannelLayer
from django.contrib.auth import get_user_model
from django.db.models.signals import pre_save
from django.test import override_settings
from playwright.async_api import Page, expect

from demo_app.models import TodoItem
from reactpy_django.checks import reactpy_checks
from reactpy_django.testing import MountedComponent, mount
from tests.layer_components import wait_until

pytestmark = [pytest.mark.backends, pytest.mark.django_db(transaction=True)]

E = "docs.examples."


async def joined(layer: InMemoryChannelLayer, group: str, count: int) -> None:
    """Wait until `count` receivers joined `group` (a message sent earlier reaches nobody)."""

    async def done() -> bool:
        return len(layer.groups.get(group, {})) == count

    await wait_until(done, f"{count} members in {group!r}")


async def saved(text: str) -> None:
    """Wait until a mutation has saved a `TodoItem` with `text`."""

    async def done() -> bool:
        return await TodoItem.objects.filter(text=text).aexists()

    await wait_until(done, f"a TodoItem {text!r} saved")


# Get started


async def test_hello() -> None:
    async with mount(E + "hello.hello", "world", punctuation="!", url="/greeting/") as page:
        assert page.text == "Hello world! You are at /greeting/"


def test_wiring_asgi_passes_the_checks() -> None:
    with override_settings(ASGI_APPLICATION=E + "wiring_asgi.application"):
        ids = {message.id for message in reactpy_checks()}
    assert not ids & {"reactpy_django.W010", "reactpy_django.W011", "reactpy_django.W021"}


def test_wiring_urls_serve_the_views() -> None:
    from django.urls import reverse

    with override_settings(ROOT_URLCONF=E + "wiring_urls"):
        assert reverse("reactpy:web_modules", args=["x.js"]).startswith("/reactpy/")


def test_deployment_settings_pass_the_checks() -> None:
    from docs.examples import deployment_settings as production

    with override_settings(
        CHANNEL_LAYERS=production.CHANNEL_LAYERS,
        SESSION_ENGINE=production.SESSION_ENGINE,
        REACTPY_REFETCH_LAYER=production.REACTPY_REFETCH_LAYER,
    ):
        ids = {message.id for message in reactpy_checks()}
    assert not ids & {"reactpy_django.W007", "reactpy_django.E005", "reactpy_django.W023"}
    # The same layer with redis-py's default socket timeout is what W007 is about.
    without_timeout = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [{"address": "redis://127.0.0.1:6379/0"}]},
        }
    }
    with override_settings(CHANNEL_LAYERS=without_timeout):
        assert "reactpy_django.W007" in {message.id for message in reactpy_checks()}


# Connection hooks


async def test_use_connection() -> None:
    async with mount(E + "use_connection.my_component") as page:
        assert page.text.startswith("Connection(")
        assert "ReactpyAsyncWebsocketConsumer" in page.text


async def test_use_scope() -> None:
    async with mount(E + "use_scope.my_component") as page:
        assert "'type': 'websocket'" in page.text


async def test_use_location() -> None:
    async with mount(E + "use_location.my_component", url="/shop/?page=2") as page:
        assert page.text == "/shop/?page=2"


async def test_use_origin() -> None:
    async with mount(E + "use_origin.my_component", origin="http://example.com") as page:
        assert page.text == "http://example.com"
    async with mount(E + "use_origin.my_component", origin=None) as page:
        assert page.text == "No origin"


async def test_use_root_id() -> None:
    root_id = "6f1c2b9e-3d4a-4c5b-8e7f-0a1b2c3d4e5f"
    async with mount(E + "use_root_id.my_component", root_id=root_id) as page:
        assert page.text == f"Root ID: {root_id}"


async def test_use_rerender() -> None:
    async with mount(E + "use_rerender.my_component") as page:
        before = page.text
        assert re.fullmatch(r"UUID: [0-9a-f-]{36}Rerender", before)
        await page.click(text="Rerender")
        await page.wait_for(lambda: page.text != before)


# Query and mutation hooks


async def test_use_query() -> None:
    await TodoItem.objects.acreate(text="milk")
    await TodoItem.objects.acreate(text="eggs")
    async with mount(E + "use_query.todo_list") as page:
        await page.wait_for_text("Rendered items: milkeggs")
        assert [li.text for li in page.find_all("li")] == ["milk", "eggs"]
    await TodoItem.objects.all().adelete()
    async with mount(E + "use_query.todo_list") as page:  # no items: `not item_query.data`
        await page.wait_for_text("Error when loading!")


async def test_use_query_args() -> None:
    async with mount(E + "use_query_args.my_component") as page:
        await page.wait_for_text("value=123 other_value=True")


async def test_use_query_thread_sensitive() -> None:
    async with mount(E + "use_query_thread_sensitive.my_component") as page:
        await page.wait_for_text("thread-safe result")


async def test_use_query_postprocessors() -> None:
    async with mount(E + "use_query_postprocessor_none.my_component") as page:
        await page.wait_for_text("{'rows': 3}")
    async with mount(E + "use_query_postprocessor.my_component") as page:
        await page.wait_for_text("{'rows': 3}")  # example_kwarg=False: made a dict


async def test_use_query_postprocessor_kwargs() -> None:
    await TodoItem.objects.acreate(text="first")
    async with mount(E + "use_query_postprocessor_kwargs.my_component") as page:
        await page.wait_for_text("First item: first")


async def test_use_mutation() -> None:
    async with mount(E + "use_mutation.todo_list") as page:
        assert "Mutation done." in page.text
        await page.type_text("bread")
        await saved("bread")
        await page.wait_for_text("Mutation done.")


async def test_use_mutation_args() -> None:
    async with mount(E + "use_mutation_args.my_component") as page:
        assert page.text == ""
        assert page.close_code is None


async def test_use_mutation_thread_sensitive() -> None:
    async with mount(E + "use_mutation_thread_sensitive.my_component") as page:
        await page.type_text("anything")
        await page.wait_for_text("Done.")


async def test_use_mutation_reset() -> None:
    async with mount(E + "use_mutation_reset.todo_list") as page:
        await page.type_text("")  # blank: the model's validation fails
        await page.wait_for_text("Error: Try again!")
        await page.click(text="Error: Try again!")
        await page.wait_for_text("Mutation done.")
        await page.type_text("tea")
        await saved("tea")
        await page.wait_for_text("Mutation done.")


async def test_use_mutation_refetch() -> None:
    await TodoItem.objects.acreate(text="milk")
    async with mount(E + "use_mutation_refetch.todo_list") as page:
        await page.wait_for_element("li", text="milk")
        await page.type_text("jam")
        await page.wait_for_element("li", text="jam")
        assert [li.text for li in page.find_all("li")] == ["milk", "jam"]


# User hooks


async def test_use_auth() -> None:
    async with mount(E + "use_auth.my_component") as page:
        assert page.text.startswith("Current User: AnonymousUser")
        await page.click(text="Login")
        await page.wait_for_text("Current User: ExampleUser")
        await page.click(text="Logout")
        await page.wait_for_text("Current User: AnonymousUser")


async def test_use_user() -> None:
    user = await get_user_model().objects.acreate(username="ada")
    async with mount(E + "use_user.my_component", user=user) as page:
        assert page.text == "ada"
    async with mount(E + "use_user.my_component") as page:
        assert page.text == ""  # AnonymousUser's username is ""


async def test_use_user_data() -> None:
    user = await get_user_model().objects.acreate(username="ada")
    async with mount(E + "use_user_data.my_component", user=user) as page:
        await page.wait_for_text("Data: {}")
        await page.type_text("dark mode", event="on_key_press")
        await page.wait_for_text("Data: {'0': 'dark mode'}")
        await page.type_text("large font", event="on_key_press")
        await page.wait_for_text("Data: {'0': 'dark mode', '1': 'large font'}")
        assert "Error(s): None None" in page.text
    async with mount(E + "use_user_data.my_component") as page:  # anonymous: no data
        await page.wait_for_text("Data: None")


async def test_use_user_data_defaults() -> None:
    user = await get_user_model().objects.acreate(username="ada")
    async with mount(E + "use_user_data_defaults.my_component", user=user) as page:
        await page.wait_for_text(
            "Data: {'basic_example': '123', 'computed_example_sync': 'computed in a thread', "
            "'computed_example_async': 'computed on the event loop'}"
        )


# Channel layer hooks


async def test_use_channel_layer(layer: InMemoryChannelLayer) -> None:
    async with (
        mount(E + "use_channel_layer.my_component") as one,
        mount(E + "use_channel_layer.my_component") as two,
    ):
        await joined(layer, "my-group-name", 2)
        await one.type_text("hello")
        await one.wait_for_text("Received: hello")
        await two.wait_for_text("Received: hello")


async def test_channel_layer_group(layer: InMemoryChannelLayer) -> None:
    async with (
        mount(E + "channel_layer_group.my_receiver_component_1") as receiver_1,
        mount(E + "channel_layer_group.my_receiver_component_2") as receiver_2,
        mount(E + "channel_layer_group.my_sender_component") as sender,
    ):
        await joined(layer, "my-group-name", 2)  # the sender joins nothing
        await sender.type_text("to everyone")
        await receiver_1.wait_for_text("Message Receiver 1: to everyone")
        await receiver_2.wait_for_text("Message Receiver 2: to everyone")
        assert "to everyone" not in sender.text


async def test_channel_layer_channel(layer: InMemoryChannelLayer) -> None:
    async with mount(E + "channel_layer_channel.my_sender_component") as sender:
        await sender.type_text("queued before the receiver mounted")
        async with mount(E + "channel_layer_channel.my_receiver_component") as receiver:
            await receiver.wait_for_text("Message Receiver 1: queued before the receiver mounted")
            await sender.type_text("just you")
            await receiver.wait_for_text("Message Receiver 1: just you")
    assert not layer.groups.get("my-channel-name")  # a channel name joins no group


async def test_channel_layer_signal(layer: InMemoryChannelLayer) -> None:
    from docs.examples.channel_layer_signal import my_sender_signal

    try:
        async with mount(E + "channel_layer_signal_receiver.my_receiver_component") as receiver:
            await joined(layer, "my-group-name", 1)
            await sync_to_async(TodoItem.objects.create)(text="saved")
            await receiver.wait_for_text("Message Receiver: Hello World!")
    finally:  # the example connects at import; leave other tests' saves alone
        pre_save.disconnect(my_sender_signal, sender=TodoItem)  # pyright: ignore[reportUnknownMemberType]  # django-stubs: receivers are Callable[..., Unknown]


# Decorators and router


async def test_user_passes_test() -> None:
    async with mount(E + "decorators_user_passes_test.members", "the garden") as page:
        assert page.text == "Members only."
        user = await get_user_model().objects.acreate(username="ada")
    async with mount(E + "decorators_user_passes_test.members", "the garden", user=user) as page:
        assert page.text == "Welcome to the garden."
    async with mount(E + "decorators_fallback_callable.dashboard", "Reports") as page:
        assert page.text == "Log in to read Reports."
    async with mount(E + "decorators_fallback_callable.dashboard", "Reports", user=user) as page:
        assert page.find("h1").text == "Reports"


@pytest.mark.browser
async def test_router(page: Page, live_server_url: str) -> None:
    # reactpy-router learns the URL from its browser-side History element: a browser test.
    await page.goto(f"{live_server_url}/books/")
    await page.get_by_text("Book 7").click()
    await expect(page.get_by_text("Book 7, next is 8.")).to_be_visible()
    await expect(page).to_have_url(f"{live_server_url}/books/7/")
    await page.goto(f"{live_server_url}/books/seven/")  # <int:...> refuses: the catch-all
    await expect(page.get_by_text("No such page.")).to_be_visible()


# Components


async def test_view_to_component() -> None:
    async with mount(E + "components_view.my_component") as page:
        await page.wait_for_text("Hello Ada, from a Django view.")
        assert [p.text for p in page.find_all("p")] == [
            "Hello world, from a Django view.",
            "Hello Ada, from a Django view.",
        ]


async def test_view_to_iframe() -> None:
    from django.test import AsyncClient

    from reactpy_django.utils import register_iframe

    register_iframe(E + "components_iframe.greeting_view")  # the page's AppConfig.ready()
    async with mount(E + "components_iframe.my_component") as page:
        frame = page.find("iframe")
    assert frame.attributes["title"] == "Greeting"
    src = str(frame.attributes["src"])
    assert src.startswith("/reactpy/iframe/docs.examples.components_iframe.greeting_view")
    response = await AsyncClient().get(src)
    assert response.status_code == 200
    assert response.content.decode() == "<p>Hello Ada, from inside the iframe.</p>"


async def submit(page: MountedComponent, fields: dict[str, str]) -> None:
    """Submit `fields` as the browser client does when the page's form is submitted."""
    await page.fire(await page.wait_for_element("DjangoForm"), "onSubmitCallback", fields)


async def test_django_form() -> None:
    async with mount(E + "components_form.signup") as page:
        await page.wait_for_element("input", id="id_email")
        await submit(page, {"email": "not an address", "nickname": "admin"})
        await page.wait_for_text("Enter a valid email address.")
        assert "That nickname is taken." in page.text
        assert "Welcome" not in page.text
        await submit(page, {"email": "ada@example.com", "nickname": "Ada"})
        await page.wait_for_text("Welcome, Ada!")  # on_success runs before the form is shown
        await page.wait_for(lambda: "That nickname is taken." not in page.text)
        assert page.find("input", id="id_nickname").attributes["defaultValue"] == "Ada"


async def test_django_model_form() -> None:
    async with mount(E + "components_form.new_todo_item") as page:
        await page.wait_for_element("input", id="id_text")
        await submit(page, {"text": ""})
        await page.wait_for_text("This field is required.")
        assert not await TodoItem.objects.aexists()
        await submit(page, {"text": "Buy milk", "done": "on"})
        await saved("Buy milk")
        await page.wait_for(lambda: "This field is required." not in page.text)
        assert page.find("input", id="id_text").attributes["defaultValue"] == ""  # a fresh form
    assert [(item.text, item.done) async for item in TodoItem.objects.all()] == [("Buy milk", True)]


@pytest.mark.browser
async def test_django_css_and_js(page: Page, live_server_url: str) -> None:
    await page.goto(f"{live_server_url}/test/docs_static/")
    styled = page.get_by_text("Green and bold.")
    await expect(styled).to_have_css("color", "rgb(0, 110, 60)")
    await expect(styled).to_have_css("font-weight", "700")
    await expect(page.locator("#dropin-js-runs")).to_have_text("1")


# Testing


async def test_the_testing_page_examples() -> None:
    from docs.examples import testing_login, testing_test_counter

    await testing_test_counter.test_counter()
    await testing_login.test_a_logged_in_user_sees_their_name()
    await testing_login.test_two_tabs_of_one_browser()
