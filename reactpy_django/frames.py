"""Validation of the frames a browser sends: only well-formed `layout-event`s reach a layout."""

from __future__ import annotations

import orjson
from reactpy.core.types import LayoutEventMessage

from reactpy_django._json import is_array, is_object

__all__ = ["FrameError", "parse_event"]

_MAX_TARGET = 128


class FrameError(ValueError):
    """A frame that is not a valid `layout-event`; it is dropped, the session goes on."""


def parse_event(raw: str | bytes) -> LayoutEventMessage:
    """Decode and check one frame: `{"type": "layout-event", "target": str, "data": list}`."""
    try:
        decoded: object = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        msg = f"not JSON ({error.msg} at {error.pos})"
        raise FrameError(msg) from None
    if not is_object(decoded):
        msg = f"expected a JSON object, got {type(decoded).__name__}"
        raise FrameError(msg)
    frame = decoded
    kind = frame.get("type")
    if kind != "layout-event":
        msg = f'expected "type": "layout-event", got {str(kind)[:40]!r}'
        raise FrameError(msg)
    target = frame.get("target")
    if not isinstance(target, str) or not 0 < len(target) <= _MAX_TARGET:
        msg = f'"target" must be a handler id string, got {type(target).__name__}'
        raise FrameError(msg)
    data = frame.get("data")
    if not is_array(data):
        msg = f'"data" must be a list of handler arguments, got {type(data).__name__}'
        raise FrameError(msg)
    return {"type": "layout-event", "target": target, "data": data}
