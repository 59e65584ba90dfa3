"""The element constructor behind `html.*`: the same elements as ReactPy's own, cheaper."""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from types import MappingProxyType
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reactpy import html
from reactpy.config import REACTPY_CHECK_JSON_ATTRS
from reactpy.core import vdom as vdom_module
from reactpy.core.events import EventHandler

from reactpy_django import _vdom

_Vdom = Callable[..., object]


def _reactpy(tag: str, *args: object, **kwargs: object) -> object:
    return _vdom._reactpy_vdom(tag, *args, **kwargs)


def _kind(value: object) -> str:
    return type(value).__name__  # event handlers are new objects on every call: compare kinds


def _plain(element: object) -> object:
    """The element as JSON would carry it, each event handler replaced by its kind."""
    return orjson.loads(orjson.dumps(element, default=_kind))


def _on_click(event: object) -> None: ...


async def _on_async(event: object) -> None: ...


async def _on_data(data: Sequence[Any]) -> None: ...


def _element(text: object) -> dict[str, object]:
    return {"tagName": "i", "children": [text]}


_scalars = st.one_of(
    st.text(max_size=5),
    st.integers(-(2**53), 2**53),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
)
_attribute_values: st.SearchStrategy[object] = st.one_of(
    _scalars,
    st.lists(_scalars, max_size=3),
    st.dictionaries(st.text(max_size=3), _scalars, max_size=3),
    st.sampled_from([_on_click, _on_async, EventHandler(_on_data)]),
)
_attributes = st.dictionaries(
    st.sampled_from(["id", "class", "key", "on_click", "style", "tagName", "value"]),
    _attribute_values,
    max_size=4,
)
_leaf: st.SearchStrategy[object] = st.one_of(_scalars, st.builds(_element, _scalars))
_children: st.SearchStrategy[list[object]] = st.lists(
    st.one_of(_leaf, st.lists(_leaf, max_size=3), st.tuples(_leaf)), max_size=4
)


@settings(max_examples=300, deadline=None)
@given(attributes=st.one_of(st.none(), _attributes), children=_children)
def test_any_arguments_give_reactpys_element(
    attributes: dict[str, object] | None, children: list[object]
) -> None:
    args: list[object] = ([] if attributes is None else [attributes]) + children
    theirs_args, ours_args = copy.deepcopy(args), copy.deepcopy(args)
    assert _plain(_vdom._vdom("div", *ours_args)) == _plain(_reactpy("div", *theirs_args))
    assert _plain(ours_args) == _plain(theirs_args)  # the same quirk: `key` is popped


def test_html_constructors_use_it() -> None:
    assert vdom_module.vdom is _vdom._vdom
    element = html.button({"id": "b", "on_click": _on_click, "key": "k"}, "Go", ["a", "b"])
    handlers = element.get("eventHandlers", {})
    assert element == {
        "tagName": "button",
        "attributes": {"id": "b"},
        "children": ["Go", "a", "b"],
        "key": "k",
        "eventHandlers": handlers,
    }
    assert isinstance(handlers["on_click"], EventHandler)


def _mapping_attributes(vdom: _Vdom) -> object:
    return vdom("div", MappingProxyType({"id": "x"}), "text")


def _key_keyword(vdom: _Vdom) -> object:
    return vdom("div", {"id": "x"}, key="k")


def _generator_children(vdom: _Vdom) -> object:
    return vdom("div", (child for child in ["a", "b"]))


def _outcome(call: Callable[[_Vdom], object], vdom: _Vdom) -> object:
    try:
        return _plain(call(vdom))
    except Exception as error:
        return type(error).__name__, str(error)


@pytest.mark.parametrize(
    "call",
    [_mapping_attributes, _key_keyword, _generator_children],
    ids=["mapping-attributes", "key-keyword", "generator-children"],
)
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_rarer_arguments_give_reactpys_element_or_error(call: Callable[[_Vdom], object]) -> None:
    assert _outcome(call, _vdom._vdom) == _outcome(call, _reactpy)


def test_an_attribute_json_cannot_carry_fails_as_in_reactpy_when_checked() -> None:
    REACTPY_CHECK_JSON_ATTRS.current = True
    try:
        with pytest.raises(TypeError):
            _reactpy("div", {"bad": {1, 2}})
        with pytest.raises(TypeError):
            _vdom._vdom("div", {"bad": {1, 2}})
    finally:
        REACTPY_CHECK_JSON_ATTRS.current = False
