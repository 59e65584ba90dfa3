import pytest

from reactpy_django.testing import mount

pytestmark = pytest.mark.django_db(transaction=True)


async def test_counter() -> None:
    async with mount("docs.examples.testing_counter.counter", start=1) as page:
        assert page.find(id="count").text == "Count: 1"
        await page.click(id="increment")
        await page.wait_for_text("Count: 2")
