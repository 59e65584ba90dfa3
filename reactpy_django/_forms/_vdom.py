"""A form's rendered HTML as VDOM the browser client renders without taking over its fields.

Django writes a field's current value as HTML attributes (`value`, `checked`, `selected`,
textarea text). Given as props, the client would write them back into the field on every
update of the page, wiping what the user has typed since. As `defaultValue`,
`defaultChecked` and `defaultSelected` they set the field only until the user edits it, as
HTML attributes do; a saved form is replaced by a fresh one (see `_component`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from reactpy.core.types import VdomDict
from reactpy.utils import html_to_vdom

__all__ = ["Transform", "form_html_to_vdom"]

Transform = Callable[[VdomDict], Any]
"""A function given each VDOM node (children first) that returns the node to use."""

_BOOLEAN = frozenset(
    [
        "autofocus",
        "checked",
        "disabled",
        "formnovalidate",
        "hidden",
        "multiple",
        "novalidate",
        "readonly",
        "required",
        "selected",
    ]
)
_RENAMED = {"class": "className", "for": "htmlFor", "readonly": "readOnly"}
_VALUE_IS_DATA = frozenset(["checkbox", "radio", "hidden", "submit", "button", "reset", "image"])
_FIELDS = frozenset(["input", "select", "textarea"])
_SPACE = " "


def _blank(child: object) -> bool:
    """Whether `child` is whitespace between elements: the browser shows it as one space
    (form templates hold no `<pre>`), so it is sent as one."""
    return isinstance(child, str) and len(child) > 1 and not child.strip()


def _attributes(node: VdomDict) -> dict[str, Any]:
    attributes: dict[str, Any] = dict(node.get("attributes", {}))
    for name in [name for name in attributes if name in _BOOLEAN]:
        value = attributes[name]
        if value in ("", name):  # HTML's spelling of true: `required` or `required="required"`
            attributes[name] = True
    for old, new in _RENAMED.items():
        if old in attributes:
            attributes[new] = attributes.pop(old)
    return attributes


def _uncontrolled(node: VdomDict) -> VdomDict:
    """Turn one node's HTML attributes into the props the browser client should get."""
    tag = node["tagName"]
    attributes = _attributes(node)
    if tag == "input":
        if "checked" in attributes:
            attributes["defaultChecked"] = attributes.pop("checked")
        kind = str(attributes.get("type", "text")).lower()
        if kind not in _VALUE_IS_DATA:
            attributes["defaultValue"] = attributes.pop("value", "")
    elif tag == "option" and "selected" in attributes:
        attributes["defaultSelected"] = attributes.pop("selected")
    elif tag == "textarea":
        text = "".join(child for child in node.get("children", ()) if isinstance(child, str))
        attributes["defaultValue"] = text.removeprefix("\n")  # as the HTML parser reads it
        node.pop("children", None)  # this node is the converter's own, fresh for each parse
    if "children" in node and tag != "pre":
        node["children"] = [_SPACE if _blank(child) else child for child in node["children"]]
    if tag in _FIELDS and "key" not in node:
        name = attributes.get("name")
        key = attributes.get("id") or (
            name if attributes.get("type") not in ("radio", "checkbox") else None
        )
        if isinstance(key, str) and key:
            node["key"] = key
    if attributes:
        node["attributes"] = attributes
    else:
        node.pop("attributes", None)  # most nodes have none: a smaller update to send
    return node


def form_html_to_vdom(html: str, extra_transforms: Sequence[Transform] = ()) -> VdomDict:
    """Django's HTML for a form (several top-level elements) as one VDOM `div`.

    Each node goes through the field conversion above, then through `extra_transforms` in
    order (as `view_to_component`'s transforms do: a node's children are done before it).
    """
    return html_to_vdom(f"<div>{html}</div>", _uncontrolled, *extra_transforms, strict=False)
