import pytest
from django.contrib.auth import get_user_model

from reactpy_django.testing import mount, new_session

pytestmark = pytest.mark.django_db(transaction=True)


async def test_a_logged_in_user_sees_their_name() -> None:
    user = await get_user_model().objects.acreate(username="ada")
    async with mount("docs.examples.use_user.my_component", user=user) as page:
        await page.wait_for_text("ada")


async def test_two_tabs_of_one_browser() -> None:
    session = await new_session()  # one browser: its tabs share this session cookie
    async with (
        mount("docs.examples.use_auth.my_component", session=session) as tab1,
        mount("docs.examples.use_auth.my_component", session=session) as tab2,
    ):
        await tab1.click(text="Login")
        await tab2.wait_for_text("Current User: ExampleUser")
