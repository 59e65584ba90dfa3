"""VDOM JSON to HTML, with attribute names mapped the way the browser client maps them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from html import escape
from typing import Any

from reactpy_django._json import is_object

__all__ = ["vdom_to_html"]

_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
_RENAMED = {"className": "class", "class_name": "class", "htmlFor": "for", "html_for": "for"}
_DASHED_PREFIX = re.compile(r"^(data|aria)[_A-Z]")
_UPPER = re.compile(r"(?<!^)([A-Z])")


def _attribute_name(name: str) -> str:
    if name in _RENAMED:
        return _RENAMED[name]
    if _DASHED_PREFIX.match(name) or name in ("accept_charset", "http_equiv"):
        return _UPPER.sub(r"-\1", name).replace("_", "-").lower()
    if "_" in name:
        first, *rest = name.split("_")
        name = first + "".join(part.title() for part in rest)
    return name.lower()


def _style(value: Mapping[str, Any]) -> str:
    parts: list[str] = []
    for key, item in value.items():
        css = _UPPER.sub(r"-\1", key.replace("_", "-")).lower()
        parts.append(f"{css}: {item}")
    return "; ".join(parts)


def _attributes(attributes: Mapping[str, Any]) -> str:
    out: list[str] = []
    for name, value in attributes.items():
        if name == "key" or callable(value) or value is None or value is False:
            continue
        html_name = _attribute_name(name)
        if name == "style" and is_object(value):
            text = _style(value)
        elif value is True:
            out.append(f" {html_name}")
            continue
        else:
            text = str(value)
        out.append(f' {html_name}="{escape(text, quote=True)}"')
    return "".join(out)


def _node(value: Any, out: list[str]) -> None:
    if isinstance(value, str):
        out.append(escape(value, quote=False))
        return
    if not is_object(value):
        return
    node = value
    tag = str(node.get("tagName", ""))
    children: list[Any] = node.get("children", [])
    if not tag or "importSource" in node:
        for child in children:
            _node(child, out)
        return
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9-]*", tag):
        return
    attributes: dict[str, Any] = node.get("attributes", {})
    out.append(f"<{tag}{_attributes(attributes)}>")
    if tag in _VOID:
        return
    if tag in ("script", "style"):
        text = "".join(str(child) for child in children if isinstance(child, str))
        out.append(text.replace("</", "<\\/"))
    else:
        for child in children:
            _node(child, out)
    out.append(f"</{tag}>")


def vdom_to_html(model: Any) -> str:
    """Serialize a VDOM JSON node (as a layout update carries it) to an HTML string."""
    out: list[str] = []
    _node(model, out)
    return "".join(out)
