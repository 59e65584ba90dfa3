"""use_user_data over the real consumer: the docs' examples, defaults, refusals, refetch, DBs."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import override_settings

from reactpy_django.models import AuthToken, UserDataModel
from reactpy_django.routers import ReactPyRouter
from reactpy_django.testing import mount, new_session

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.backends]

DOC = "tests.auth_components.user_data_doc"
EDITOR = "tests.auth_components.user_data_editor"
DEFAULTS = "tests.auth_components.user_data_defaults"
GUARD = "tests.auth_components.user_data_guard"


async def _stored(user: User, database: str = "default") -> object:
    row = await UserDataModel.objects.using(database).filter(user_pk=str(user.pk)).afirst()
    return None if row is None else row.data


async def test_the_docs_example_adds_the_first_key_and_the_data_survives_a_reload() -> None:
    alice = await User.objects.acreate(username="alice")
    async with mount(DOC, user=alice) as page:
        await page.wait_for_text("Data: {}")
        await page.type_text("hello", id="entry", event="onKeyPress")
        await page.wait_for_text("Data: {'0': 'hello'}")
        await page.type_text("world", id="entry", event="onKeyPress")
        await page.wait_for_text("Data: {'0': 'hello', '1': 'world'}")
        assert page.find(id="errors").text == "Error(s): None None"
    assert await _stored(alice) == {"0": "hello", "1": "world"}
    async with mount(DOC, user=alice) as reloaded:
        await reloaded.wait_for_text("Data: {'0': 'hello', '1': 'world'}")


async def test_an_empty_stored_dict_is_falsy_as_in_reactpy_django() -> None:
    bob = await User.objects.acreate(username="bob")
    async with mount(GUARD, user=bob) as page:
        await page.wait_for_text("Nothing stored yet")
        await page.click(id="store")
        await page.wait_for_text("Stored: ['theme']")
    await UserDataModel.objects.filter(user_pk=str(bob.pk)).aupdate(data={})
    async with mount(GUARD, user=bob) as reloaded:
        await reloaded.wait_for_text("Nothing stored yet")


async def test_anonymous_users_get_none_and_cannot_write() -> None:
    async with mount(EDITOR) as page:
        await page.wait_for_text("loading=False")
        assert page.find(id="editor-data").text == "Data: None"
        await page.click(id="editor-theme-dark")
        await page.wait_for_text("an anonymous user has no stored data; log the user in")
        assert page.find(id="editor-data").text == "Data: None"
    assert await UserDataModel.objects.acount() == 0


@pytest.mark.parametrize(
    ("button", "message"),
    [
        ("a-set", "data['theme'] is a set, which JSON cannot store"),
        ("nan", "data['ratio'] is nan, which JSON cannot store"),
        ("int-key", "data['nested'] has the key 1; JSON object keys are strings"),
        ("not-a-dict", "the mutation takes a dict, not a list"),
    ],
)
async def test_values_json_cannot_store_are_refused_and_nothing_is_lost(
    button: str, message: str
) -> None:
    alice = await User.objects.acreate(username="alice")
    async with mount(EDITOR, user=alice) as page:
        await page.click(id="editor-theme-dark")
        await page.wait_for_text("Data: {'theme': 'dark'}")
        await page.click(id=f"editor-{button}")
        await page.wait_for_text(message)
        assert page.find(id="editor-data").text == "Data: {'theme': 'dark'}"
    assert await _stored(alice) == {"theme": "dark"}


async def test_a_write_refetches_every_use_user_data_of_that_user_only() -> None:
    alice = await User.objects.acreate(username="alice")
    bob = await User.objects.acreate(username="bob")
    async with (
        mount(EDITOR, user=alice) as first,
        mount(EDITOR, user=alice) as other_browser,
        mount(DOC, user=alice) as other_component,
        mount(EDITOR, user=bob) as bobs,
    ):
        await bobs.click(id="editor-theme-light")
        await bobs.wait_for_text("Data: {'theme': 'light'}")
        await first.click(id="editor-theme-dark")
        await other_browser.wait_for_text("Data: {'theme': 'dark'}")
        await other_component.wait_for_text("Data: {'theme': 'dark'}")
        await first.wait_for_text("Data: {'theme': 'dark'}")
        assert bobs.find(id="editor-data").text == "Data: {'theme': 'light'}"


async def test_defaults_plain_sync_and_async_are_shown_but_not_stored() -> None:
    alice = await User.objects.acreate(username="alice")
    expected = (
        "Data: {'basic_example': '123', 'computed_example_async': [1, 2, 3], "
        "'computed_example_sync': 'from sync'}"
    )
    async with mount(DEFAULTS, user=alice) as page:
        await page.wait_for_text(expected)
    assert await _stored(alice) is None


async def test_save_default_data_stores_only_the_missing_keys() -> None:
    alice = await User.objects.acreate(username="alice")
    await UserDataModel.objects.acreate(user_pk=str(alice.pk), data={"basic_example": "mine"})
    async with mount(DEFAULTS, user=alice, save=True) as page:
        await page.wait_for_text("'basic_example': 'mine'")
        await page.wait_for_text("'computed_example_sync': 'from sync'")
    assert await _stored(alice) == {
        "basic_example": "mine",
        "computed_example_sync": "from sync",
        "computed_example_async": [1, 2, 3],
    }


ALL_DEFAULTS = {
    "basic_example": "123",
    "computed_example_sync": "from sync",
    "computed_example_async": [1, 2, 3],
}


async def test_save_default_data_creates_the_row_of_a_user_with_none_stored() -> None:
    bob = await User.objects.acreate(username="bob")
    await UserDataModel.objects.acreate(user_pk=str(bob.pk), data={"theme": "bob's"})
    alice = await User.objects.acreate(username="alice")
    async with mount(DEFAULTS, user=alice, save=True) as page:
        await page.wait_for_text("'computed_example_sync': 'from sync'")
    assert await _stored(alice) == ALL_DEFAULTS
    assert await _stored(bob) == {"theme": "bob's"}


async def test_defaults_rebuilt_each_render_run_again_only_when_a_value_changes() -> None:
    alice = await User.objects.acreate(username="alice")
    async with mount("tests.auth_components.user_data_changing_defaults", user=alice) as page:
        await page.wait_for_text("Data: {'computed': 1, 'theme': 'light'}")
        for bumps in (1, 2):  # re-renders with equal defaults (a new function, same code)
            await page.click(id="bump")
            await page.wait_for_text(f"bumps={bumps}")
        await page.click(id="dark")  # a changed value: the query runs once more
        await page.wait_for_text("Data: {'computed': 2, 'theme': 'dark'}")
    assert await _stored(alice) is None  # save_default_data is False unless given


async def test_a_default_whose_equality_raises_runs_the_query_again_when_replaced() -> None:
    alice = await User.objects.acreate(username="alice")
    async with mount("tests.auth_components.user_data_uncomparable_default", user=alice) as page:
        await page.wait_for_text("Data: {'greeting': 'hello'}")
        await page.click(id="goodbye")  # a new default object: `==` cannot say it is the same
        await page.wait_for_text("Data: {'greeting': 'goodbye'}")


@pytest.mark.django_db(transaction=True, databases=["default", "reactpy_data"])
@override_settings(REACTPY_DATABASE="reactpy_data")
async def test_saved_defaults_are_stored_in_the_reactpy_database() -> None:
    alice = await User.objects.acreate(username="alice")
    async with mount(DEFAULTS, user=alice, save=True) as page:
        await page.wait_for_text("'computed_example_sync': 'from sync'")
    assert await _stored(alice, "reactpy_data") == ALL_DEFAULTS
    assert await _stored(alice, "default") is None


async def test_logging_in_switches_the_data_to_the_new_user() -> None:
    example = await User.objects.acreate(username="ExampleUser")
    await UserDataModel.objects.acreate(user_pk=str(example.pk), data={"theme": "mine"})
    session = await new_session()
    async with (
        mount("tests.auth_components.auth_view", session=session) as page,
        mount(EDITOR, session=session) as editor,
    ):
        await editor.wait_for_text("loading=False")
        assert editor.find(id="editor-data").text == "Data: None"
        await page.click(id="login")
        await editor.wait_for_text("Data: {'theme': 'mine'}")
        await page.click(id="logout")
        await editor.wait_for_text("Data: None")


@pytest.mark.django_db(transaction=True, databases=["default", "reactpy_data"])
@override_settings(REACTPY_DATABASE="reactpy_data")
async def test_everything_is_stored_in_the_reactpy_database() -> None:
    alice = await User.objects.acreate(username="alice")
    async with mount(EDITOR, user=alice) as page:
        await page.click(id="editor-theme-dark")
        await page.wait_for_text("Data: {'theme': 'dark'}")
    assert await _stored(alice, "reactpy_data") == {"theme": "dark"}
    assert await _stored(alice, "default") is None
    async with mount(EDITOR, user=alice) as reloaded:
        await reloaded.wait_for_text("Data: {'theme': 'dark'}")
    async with mount("tests.auth_components.auth_view") as page:
        await page.click(id="login")
        await page.wait_for(lambda: bool(page.find_all("HttpRequest")))
    assert await AuthToken.objects.using("reactpy_data").acount() == 1
    assert await AuthToken.objects.using("default").acount() == 0


def test_the_router_sends_this_apps_tables_to_the_reactpy_database() -> None:
    router = ReactPyRouter()
    with override_settings(REACTPY_DATABASE="reactpy_data"):
        assert router.db_for_read(UserDataModel) == "reactpy_data"
        assert router.db_for_write(AuthToken) == "reactpy_data"
        assert router.db_for_read(User) is None
        assert router.allow_migrate("reactpy_data", "reactpy_django") is True
        assert router.allow_migrate("default", "reactpy_django") is False
        assert router.allow_migrate("default", "auth") is None
