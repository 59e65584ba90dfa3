"""The garbage collector's young-generation threshold in a process that serves components."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from django.test import override_settings

from reactpy_django.testing import mount

pytestmark = [pytest.mark.backends, pytest.mark.django_db(transaction=True)]

_COUNTER = "tests.components.counter"


@pytest.fixture(autouse=True)
def _pythons_thresholds() -> Iterator[None]:
    saved = gc.get_threshold()
    gc.set_threshold(700, 10, 10)  # Python's defaults, whatever earlier tests served
    yield
    gc.set_threshold(*saved)


async def test_serving_a_component_raises_only_the_young_threshold() -> None:
    gc.set_threshold(700, 7, 9)
    async with mount(_COUNTER) as page:
        assert page.find(id="count").text == "Count: 0"
    assert gc.get_threshold() == (20_000, 7, 9)


@override_settings(REACTPY_GC_THRESHOLD=5_000)
async def test_the_setting_names_the_threshold() -> None:
    async with mount(_COUNTER):
        pass
    assert gc.get_threshold() == (5_000, 10, 10)


@pytest.mark.parametrize("own", [(50_000, 10, 10), (0, 10, 10)], ids=["higher", "collection-off"])
async def test_a_sites_own_higher_threshold_or_collection_off_is_kept(
    own: tuple[int, int, int],
) -> None:
    gc.set_threshold(*own)
    async with mount(_COUNTER):
        pass
    assert gc.get_threshold() == own


@pytest.mark.parametrize("setting", [None, "20000"], ids=["none", "wrong-type"])
async def test_none_or_a_wrong_value_leaves_the_collector_alone(setting: object) -> None:
    # A wrong value is named by check reactpy_django.E031; serving goes on.
    with override_settings(REACTPY_GC_THRESHOLD=setting):
        async with mount(_COUNTER) as page:
            await page.click(id="increment")
            await page.wait_for_text("Count: 1")
    assert gc.get_threshold() == (700, 10, 10)
