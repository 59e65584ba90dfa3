"""VDOM JSON to HTML, byte for byte what ReactPy's `reactpy.utils.vdom_to_html` writes.

ReactPy builds an lxml tree and has libxml2 serialize it, which costs a tree of C objects per
prerender. Common elements, attributes and text are written here directly, with libxml2's
rules as they show in its output (`tests/test_html.py` checks them against ReactPy's function
with hypothesis): attribute names as ReactPy maps them, `str(value)` for values (`True` is
`"True"`), characters outside ASCII as decimal references, the HTML 4 boolean attributes bare,
`href`/`src`/`action` URL-escaped, and a few empty elements without an end tag. Anything
else (other tags, unusual characters, URLs that would need escaping) goes to ReactPy's
function, so the output is the same either way; so does everything if the installed lxml
writes a few probe models differently (checked once).
"""

from __future__ import annotations

import logging
import re
from functools import cache
from typing import Any

from reactpy.core.types import VdomDict
from reactpy.utils import vdom_to_html as _reactpy_vdom_to_html

from reactpy_django._json import is_dict, is_sequence

__all__ = ["vdom_to_html"]

logger: logging.Logger = logging.getLogger(__name__)

_TAG_NAMES = (
    "a abbr address article aside audio b bdi bdo blockquote br button canvas caption cite "
    "code col colgroup data datalist dd del details dfn dialog div dl dt em fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr i img input ins kbd "
    "label legend li main mark menu meter nav ol optgroup option output p picture pre "
    "progress q rp rt ruby s samp search section select small span strong sub summary sup "
    "table tbody td textarea tfoot th thead time tr u ul var video"
)
_TAGS = frozenset(_TAG_NAMES.split())
"""Tags written here; every other tag (script, style, SVG, custom ones) goes to ReactPy."""
_VOID = frozenset(["br", "col", "hr", "img", "input"])
"""Written without an end tag, and children would be dropped (such an element goes to ReactPy)."""
_END_IF_CONTENT = frozenset(["li"])
"""libxml2 writes `</li>` only when the element has text (even "") or child elements."""
_BOOLEAN_NAMES = (
    "checked compact declare defer disabled ismap multiple nohref noresize noshade nowrap readonly "
    "selected"
)
_BOOLEAN = frozenset(_BOOLEAN_NAMES.split())
"""libxml2 writes these attribute names alone, whatever the value."""
_URL_ATTRIBUTES = frozenset(["href", "src", "action"])
"""libxml2 URL-escapes these values (and `name` on `<a>`)."""
_DASHED = frozenset(["accept_charset", "acceptCharset", "http_equiv", "httpEquiv"])
_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")
_NAME = re.compile(r"[a-z_][a-z0-9_.-]*")
_UNSAFE = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""Characters libxml2 refuses (lxml raises): left to ReactPy, which raises the same error."""
_NAMES_KEPT = 4096
_URL_SAFE = re.compile(r"[A-Za-z0-9\-_.~/:?#=@+,;%&]*")
"""URL values the escaping leaves as they are."""


class _Unusual(Exception):
    """Raised inside the writer for input it leaves to ReactPy's function."""


def _escape(text: str) -> str:
    ascii_only = text.isascii()
    if not (ascii_only and text.isprintable()) and _UNSAFE.search(text):
        raise _Unusual
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    if not ascii_only:
        text = text.encode("ascii", "xmlcharrefreplace").decode("ascii")
    return text


_names: dict[str, str] = {}
"""Attribute names already mapped (a site uses a few hundred at most), `""` if unusual."""


def _attribute_name(key: str) -> str:
    """The HTML name ReactPy writes for `key`; `""` for a name left to ReactPy."""
    name = _names.get(key)
    if name is None:
        name = key
        if key == "style":
            pass
        elif key.startswith(("data_", "aria_")) or key in _DASHED:
            name = key.replace("_", "-")
        elif key.startswith(("data", "aria")):
            name = _CAMEL.sub("-", key)
        name = name.lower()
        if not _NAME.fullmatch(name) or name.startswith("xml"):
            name = ""
        if len(_names) < _NAMES_KEPT:
            _names[key] = name
    return name


def _attribute(tag: str, key: object, value: object) -> tuple[str, str]:
    """The attribute's HTML name and its text as written (with the leading space)."""
    if type(key) is not str or callable(value):
        raise _Unusual  # ReactPy raises a TypeError for a callable value
    name = _attribute_name(key)
    if not name:
        raise _Unusual
    if key == "style" and is_dict(value):
        if not all(type(k) is str for k in value):
            raise _Unusual
        text = ";".join(f"{_CAMEL.sub('-', str(k)).lower()}:{v}" for k, v in value.items())
    else:
        text = str(value)
    if name in _BOOLEAN:
        _escape(text)  # still refused by lxml if it has characters XML cannot hold
        return name, f" {name}"
    is_url = name in _URL_ATTRIBUTES or (name == "name" and tag == "a")
    if is_url and not _URL_SAFE.fullmatch(text):
        raise _Unusual
    text = _escape(text)
    if '"' not in text:
        return name, f' {name}="{text}"'
    if "'" not in text:
        return name, f" {name}='{text}'"
    return name, f' {name}="{text.replace(chr(34), "&quot;")}"'


def _children(node: dict[object, object], out: list[str]) -> bool:
    """Write a node's children; whether any text or element was written."""
    children = node.get("children", [])
    if not is_sequence(children):
        raise _Unusual
    wrote = False
    for child in children:
        if is_dict(child):
            wrote = _element(child, out) or wrote
        else:
            out.append(_escape(f"{child}"))
            wrote = True
    return wrote


def _element(node: dict[object, object], out: list[str]) -> bool:
    """Write one VDOM node (a fragment writes its children); whether anything was written."""
    tag = node.get("tagName")
    if tag == "":
        return _children(node, out)
    if type(tag) is not str or tag not in _TAGS:
        raise _Unusual
    attributes = node.get("attributes", {})
    if not is_dict(attributes):
        raise _Unusual
    named: dict[str, str] = {}  # a name written twice keeps its place and takes the last value
    for key, value in attributes.items():
        name, text = _attribute(tag, key, value)
        named[name] = text
    out.append(f"<{tag}{''.join(named.values())}>")
    if tag in _VOID:
        if node.get("children"):
            raise _Unusual
        return True
    if not _children(node, out) and tag in _END_IF_CONTENT:
        return True
    out.append(f"</{tag}>")
    return True


_PROBES: list[VdomDict] = [
    {"tagName": "ul", "children": [{"tagName": "li"}, {"tagName": "li", "children": [""]}]},
    {"tagName": "input", "attributes": {"checked": False, "dataSuccess": True, "style": {}}},
    {"tagName": "a", "attributes": {"href": "/a?b=1&c", "title": "x'\"<é\r\n"}},
    {"tagName": "p", "attributes": {"title": 'say "hi"'}, "children": ["é😀 <&> \r", 1, None]},
]
"""Models on which the rules above show, tried once against the installed lxml."""


@cache
def _rules_hold() -> bool:
    """Whether the installed lxml writes the probes as these rules do (they were read from
    libxml2 2.14's output); if not, every model goes to ReactPy's function."""
    for probe in _PROBES:
        out: list[str] = []
        node: object = probe
        if is_dict(node):
            _element(node, out)
        if "".join(out) != _reactpy_vdom_to_html(probe):
            logger.warning(
                "Prerendering uses ReactPy's vdom_to_html for all HTML: the installed lxml "
                "writes %r differently from the rules reactpy_django knows.",
                probe,
            )
            return False
    return True


# Any: the model is JSON of any shape, as ReactPy's function takes it (typed there as VdomDict).
def vdom_to_html(model: Any) -> str:
    """A VDOM JSON node (as a layout update carries it) as HTML, as ReactPy writes it."""
    out: list[str] = []
    node: object = model
    try:
        if not is_dict(node) or not _rules_hold():
            raise _Unusual
        _element(node, out)
    except _Unusual:
        return _reactpy_vdom_to_html(model)
    return "".join(out)
