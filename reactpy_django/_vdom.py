"""ReactPy 1.1's element constructor behind `html.div(...)` and the other `html.*`, made cheaper.

Every `html.*` call goes through `reactpy.core.vdom.vdom`, which checks each argument against
the `Mapping` ABC (a slow `isinstance`), probes every string attribute for a `function`
attribute, and reads a config option whose unset value costs a raised `AttributeError`. A
component is re-run on every render, so this was a fifth of a `use_query` list's render. This
version answers plain `dict`, `str` and scalar values straight away and hands everything else
to ReactPy's own helpers: the same dicts, in the same key order, with the same event handlers
and the same quirks (the `key` attribute is popped from the dict it was given).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Literal

from reactpy.config import REACTPY_CHECK_JSON_ATTRS
from reactpy.core import events
from reactpy.core import vdom as vdom_module
from reactpy.core.events import EventHandler
from reactpy.core.types import EventHandlerDict, EventHandlerType, VdomDict

__all__ = ["install"]

_PLAIN_VALUES = (str, int, float, bool, type(None))
_reactpy_vdom: Callable[..., VdomDict] = vdom_module.vdom  # ReactPy's own, taken before install


# `Any` below as in ReactPy's own signature and types: attributes and children are whatever
# the component passes (`VdomAttributes` is `Mapping[str, Any]`, `VdomChild` includes `Any`).
def _vdom(tag: str, *attributes_and_children: Any, **kwargs: Any) -> VdomDict:
    """`reactpy.vdom(tag, [attributes], *children)`."""
    if kwargs:  # the deprecated `key=` keyword, and its errors
        return _reactpy_vdom(tag, *attributes_and_children, **kwargs)
    model: VdomDict = {"tagName": tag}
    if not attributes_and_children:
        return model
    first: Any = attributes_and_children[0]  # Any: not narrowed by _kind_of_first's tests
    kind = _kind_of_first(first)
    if kind == "other-mapping":  # attributes in a Mapping that is no dict: ReactPy's path
        return _reactpy_vdom(tag, *attributes_and_children)
    is_attributes = kind == "attributes"
    attributes: dict[str, Any] = first if is_attributes else {}
    children: list[Any] = []
    for child in attributes_and_children[1:] if is_attributes else attributes_and_children:
        if type(child) is str or type(child) is dict or vdom_module._is_single_child(child):
            children.append(child)
        else:
            children.extend(child)
    key = attributes.pop("key", None)  # from the caller's dict, as ReactPy does
    values: dict[str, Any] = {}
    handlers: EventHandlerDict = {}
    for name, value in attributes.items():
        if type(value) in _PLAIN_VALUES:
            values[name] = value
        elif callable(value):
            handlers[name] = EventHandler(events.to_event_handler_function(value))
        elif hasattr(value, "function") and isinstance(value, EventHandlerType):
            handlers[name] = value
        else:
            values[name] = value
    if values:
        if REACTPY_CHECK_JSON_ATTRS.current:
            json.dumps(values)
        model["attributes"] = values
    if children:
        model["children"] = children
    if key is not None:
        model["key"] = key
    if handlers:
        model["eventHandlers"] = handlers
    return model


def _kind_of_first(value: object) -> Literal["attributes", "child", "other-mapping"]:
    """What a first argument is: an attribute dict, a child, or attributes in another Mapping."""
    if type(value) is dict:
        return "child" if "tagName" in value else "attributes"
    if not vdom_module._is_attributes(value):
        return "child"
    return "attributes" if isinstance(value, dict) else "other-mapping"


def install() -> None:
    """Put this constructor where every `html.*` constructor looks it up (idempotent)."""
    setattr(vdom_module, "vdom", _vdom)  # noqa: B010  # the module global html.* calls
