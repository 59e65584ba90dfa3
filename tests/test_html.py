"""Prerendered HTML is byte for byte what ReactPy's own `vdom_to_html` writes (hypothesis)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reactpy.utils import vdom_to_html as _reactpy_vdom_to_html

from reactpy_django import _html
from reactpy_django._html import vdom_to_html


def reactpy_vdom_to_html(model: Any) -> str:  # Any: malformed models are part of the test
    """ReactPy's own function, the reference."""
    return _reactpy_vdom_to_html(model)


_TEXT_CHARS = st.one_of(
    st.sampled_from(list("ab Z09\"'<>&;=/?#%@+,.:-_~\t\n\r")),
    st.sampled_from(["é", "😀", "\u00a0", "\u2028", "\x7f", "\x85", "\x00", "\x0b", "\ufffe"]),
    st.characters(),
)
_text = st.text(_TEXT_CHARS, max_size=8)
_tags = st.one_of(
    st.sampled_from(sorted(_html._TAGS)),
    st.sampled_from(["", "li", "br", "img", "input", "a", "script", "style", "svg", "my-el"]),
    st.sampled_from(["DIV", "HttpRequest", "wbr", "source", "head", "title", "1x", "a b"]),
)
_names = st.one_of(
    st.sampled_from(
        [
            "id",
            "class",
            "className",
            "class_name",
            "title",
            "value",
            "style",
            "key",
            "href",
            "src",
            "action",
            "name",
            "checked",
            "selected",
            "disabled",
            "readonly",
            "dataSuccess",
            "data_success",
            "data-success",
            "ariaLabel",
            "aria_label",
            "database",
            "dataFoo_bar",
            "httpEquiv",
            "http_equiv",
            "acceptCharset",
            "htmlFor",
            "onClick",
            "xmlns",
            "xml_lang",
            "bad name",
            "2x",
            "ID",
            "a:b",
            "_x",
        ]
    ),
    st.text(st.characters(), min_size=1, max_size=4),
)
_scalars: st.SearchStrategy[object] = st.one_of(
    _text, st.booleans(), st.none(), st.integers(-1000, 1000), st.floats(allow_nan=False)
)
_urls = st.text(st.sampled_from(list("ab/:?#=&;%@+,.-_~ \"'<>é\t")), max_size=8)
_values: st.SearchStrategy[object] = st.one_of(
    _scalars,
    _urls,
    st.dictionaries(
        st.sampled_from(["color", "fontSize", "font_size", "MozX"]), _scalars, max_size=3
    ),
    st.lists(_scalars, max_size=2),
)
_attributes = st.dictionaries(_names, _values, max_size=4)


def _node(tag: str, attributes: dict[str, object], children: list[object]) -> dict[str, object]:
    node: dict[str, object] = {"tagName": tag}
    if attributes:
        node["attributes"] = attributes
    if children:
        node["children"] = children
    return node


def _error_node(error: str) -> dict[str, object]:
    """What ReactPy's layout renders for a component that raised."""
    return {"tagName": "", "error": error}


_models: st.SearchStrategy[Any] = st.recursive(
    st.builds(_node, _tags, _attributes, st.just([])),
    lambda inner: st.one_of(
        st.builds(_node, _tags, _attributes, st.lists(st.one_of(inner, _scalars), max_size=4)),
        st.builds(_error_node, _text),
    ),
    max_leaves=12,
)


# Models the fast writer takes (common tags and names, text without control characters), so
# most examples test it rather than the hand-over to ReactPy's function.
_tame_text = st.text(
    st.one_of(st.sampled_from(list("ab Z09\"'<>&;=/?#\t\n\r")), st.sampled_from(["é", "😀"])),
    max_size=8,
)
_tame_names = st.sampled_from(
    [
        "id",
        "class",
        "className",
        "title",
        "value",
        "dataSuccess",
        "aria_label",
        "name",
        "href",
        "checked",
        "style",
        "database",
        "httpEquiv",
    ]
)
_tame_values: st.SearchStrategy[object] = st.one_of(
    _tame_text,
    st.booleans(),
    st.none(),
    st.integers(-9, 99),
    _urls,
    st.dictionaries(st.sampled_from(["color", "fontSize"]), _tame_text, max_size=2),
)
_tame_models: st.SearchStrategy[Any] = st.recursive(
    st.builds(
        _node,
        st.sampled_from(sorted(_html._TAGS)),
        st.dictionaries(_tame_names, _tame_values, max_size=3),
        st.just([]),
    ),
    lambda inner: st.builds(
        _node,
        st.sampled_from([*sorted(_html._TAGS - _html._VOID), ""]),
        st.dictionaries(_tame_names, _tame_values, max_size=3),
        st.lists(st.one_of(inner, _tame_text, st.integers(0, 9), st.booleans()), max_size=4),
    ),
    max_leaves=12,
)


def _outcome(function: Any, model: Any) -> tuple[str, str]:
    try:
        return ("html", function(model))
    except Exception as error:
        return ("raises", type(error).__name__)


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(model=st.one_of(_tame_models, _models))
def test_any_model_gives_reactpys_html(model: Any) -> None:
    assert _outcome(vdom_to_html, model) == _outcome(reactpy_vdom_to_html, model)


@settings(max_examples=500, deadline=None)
@given(
    tag=st.sampled_from(sorted(_html._TAGS)),
    attributes=st.dictionaries(
        st.sampled_from(["id", "title", "className", "dataSuccess", "aria_label", "style"]),
        st.one_of(
            st.text(st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"]), max_size=6),
            st.booleans(),
            st.integers(),
        ),
        max_size=3,
    ),
    text=st.text(st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"]), max_size=10),
)
def test_common_models_are_written_without_reactpys_function(
    tag: str, attributes: dict[str, object], text: str
) -> None:
    model = _node(tag, attributes, [] if tag in _html._VOID else [text])
    expected = reactpy_vdom_to_html(model)
    assert _html._rules_hold()  # the installed lxml writes as the fast writer's rules say

    def refuse(model: object) -> str:
        raise AssertionError("the fast path gave this model to ReactPy's function")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_html, "_reactpy_vdom_to_html", refuse)
        assert vdom_to_html(model) == expected


@pytest.mark.parametrize(
    ("model", "html"),
    [
        # 5.2.1 selectors such as [data-success="True"] match: True is written as ReactPy does.
        ({"tagName": "p", "attributes": {"dataSuccess": True}}, '<p data-success="True"></p>'),
        ({"tagName": "input", "attributes": {"checked": True}}, "<input checked>"),
        ({"tagName": "a", "attributes": {"href": "/a b"}}, '<a href="/a%20b"></a>'),
        ({"tagName": "p", "children": ["é <&>"]}, "<p>&#233; &lt;&amp;&gt;</p>"),
        ({"tagName": "ul", "children": [{"tagName": "li"}]}, "<ul><li></ul>"),
    ],
)
def test_examples_of_reactpys_rules(model: dict[str, object], html: str) -> None:
    assert vdom_to_html(model) == html == reactpy_vdom_to_html(model)


def test_an_lxml_that_writes_otherwise_gets_every_model(caplog: pytest.LogCaptureFixture) -> None:
    def other_writer(model: object) -> str:
        return "<other>"

    _html._rules_hold.cache_clear()
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(_html, "_reactpy_vdom_to_html", other_writer)
            assert vdom_to_html({"tagName": "p", "children": ["plain"]}) == "<other>"
        assert "Prerendering uses ReactPy's vdom_to_html for all HTML" in caplog.text
    finally:
        _html._rules_hold.cache_clear()
    assert vdom_to_html({"tagName": "p", "children": ["plain"]}) == "<p>plain</p>"
