"""`_html_vdom.html_to_vdom` gives exactly what ReactPy's `reactpy.utils.html_to_vdom` gives."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from reactpy.core.types import VdomDict
from reactpy.utils import HTMLParseError, del_html_head_body_transform
from reactpy.utils import html_to_vdom as reactpy_html_to_vdom

from reactpy_django._html_vdom import html_to_vdom

_TAGS = ["div", "p", "span", "b", "ul", "li", "table", "tbody", "tr", "td", "a", "em"]
_TEXT = st.text(alphabet="ab <>&;:-é\n\t\"'", max_size=8)
_NAME = st.sampled_from(["id", "class", "key", "style", "data-x", "href", "title"])
_STYLE = st.lists(
    st.tuples(st.sampled_from(["color", "font-size", " margin-top "]), _TEXT), max_size=3
).map(lambda parts: ";".join(f"{name}:{value}" for name, value in parts))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@st.composite
def _element(draw: st.DrawFn, depth: int = 0) -> str:
    tag = draw(st.sampled_from(_TAGS))
    names = draw(st.lists(_NAME, unique=True, max_size=3))
    values = [_escape(draw(_STYLE if name == "style" else _TEXT)) for name in names]
    attributes = "".join(
        f' {name}="{value.replace(chr(34), "&quot;")}"'
        for name, value in zip(names, values, strict=True)
    )
    parts: list[str] = []
    for _ in range(draw(st.integers(0, 3 if depth < 3 else 0))):
        parts.append(_escape(draw(_TEXT)))
        parts.append(draw(_element(depth + 1)))
    parts.append(_escape(draw(_TEXT)))
    return f"<{tag}{attributes}>{''.join(parts)}</{tag}>"


def _both(html: str, *transforms: Any, strict: bool = True) -> tuple[object, object]:
    def run(convert: Any) -> object:
        try:
            return json.dumps(convert(html, *transforms, strict=strict))
        except HTMLParseError:
            return HTMLParseError

    return run(reactpy_html_to_vdom), run(html_to_vdom)


@settings(max_examples=300, deadline=None)
@given(st.lists(_element(), min_size=1, max_size=3), st.booleans())
def test_generated_documents_convert_alike(elements: list[str], strict: bool) -> None:
    html = "".join(elements)
    theirs, ours = _both(html, strict=strict)
    assert ours == theirs  # JSON text: same keys in the same order
    theirs, ours = _both(f"<html><body>{html}</body></html>", del_html_head_body_transform)
    assert ours == theirs


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="<>/abdivp \"'=&;", max_size=40), st.booleans())
def test_arbitrary_text_converts_or_fails_alike(html: str, strict: bool) -> None:
    try:
        theirs: object = json.dumps(reactpy_html_to_vdom(html, strict=strict))
    except Exception as error:
        theirs = type(error)
    try:
        ours: object = json.dumps(html_to_vdom(html, strict=strict))
    except Exception as error:
        ours = type(error)
    assert ours == theirs


def test_transforms_see_the_same_nodes_in_the_same_order() -> None:
    html = "<div key='k' style='color: red; margin-top:1px'><p>a<b>b</b>c</p><span/></div>"
    seen: dict[str, list[str]] = {"theirs": [], "ours": []}

    def record(name: str) -> Any:
        def transform(node: VdomDict) -> VdomDict:
            seen[name].append(json.dumps(node))
            return {**node, "tagName": node["tagName"].upper()}

        return transform

    theirs = reactpy_html_to_vdom(html, record("theirs"))
    ours = html_to_vdom(html, record("ours"))
    assert json.dumps(ours) == json.dumps(theirs)
    assert seen["ours"] == seen["theirs"]
    assert ours.get("key") == "k"
