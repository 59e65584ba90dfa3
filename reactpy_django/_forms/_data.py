"""Checks what a browser submitted to a `django_form` before any form sees it.

The browser sends `{name: value | [values]}`; a forged client may send anything JSON can
hold. Only string values (or lists of strings) under the names the form's widgets read are
kept, each dropped part is logged, and a submission over Django's own POST limits
(`DATA_UPLOAD_MAX_NUMBER_FIELDS`, `DATA_UPLOAD_MAX_MEMORY_SIZE`) is refused whole, as
Django refuses such a POST.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from django.conf import settings
from django.forms import BaseForm, MultiWidget
from django.utils.datastructures import MultiValueDict

from reactpy_django._json import is_array, is_dict, is_sequence
from reactpy_django.types import SubmittedData

__all__ = ["as_form_data", "checked_submission", "field_names"]

logger: logging.Logger = logging.getLogger("reactpy_django.forms")

_MAX_NAMES_LOGGED = 5


def field_names(form: BaseForm) -> frozenset[str]:
    """The data keys the form's widgets read: each field's HTML name (with the form's prefix)
    and, for a `MultiWidget` such as `SplitDateTimeWidget`, each sub-widget's name."""
    names: set[str] = set()
    for name, field in form.fields.items():
        html_name = form.add_prefix(name)
        names.add(html_name)
        widget = field.widget
        if isinstance(widget, MultiWidget):
            # `widgets_names` (Django 3.1+) is missing from django-stubs; `_0`, `_1`, ... by default
            suffixes: object = getattr(widget, "widgets_names", ())
            if is_sequence(suffixes):
                names.update(html_name + str(suffix) for suffix in suffixes)
    return frozenset(names)


def _shown(names: list[str]) -> str:
    listed = ", ".join(repr(name[:40]) for name in names[:_MAX_NAMES_LOGGED])
    more = len(names) - _MAX_NAMES_LOGGED
    return listed + (f" and {more} more" if more > 0 else "")


def checked_submission(
    payload: object, known: frozenset[str], form_name: str
) -> SubmittedData | None:
    """The submitted fields the form can read, or `None` if the whole submission is refused.

    Unknown names and values that are not strings (or lists of strings) are dropped and
    logged; too many values or too many characters refuse the submission (logged).
    """
    if not is_dict(payload):
        logger.warning(
            "A %s submission was dropped: expected an object of field names to strings, got %s.",
            form_name,
            type(payload).__name__,
        )
        return None
    data: SubmittedData = {}
    unknown: list[str] = []
    malformed: list[str] = []
    count = 0
    size = 0
    for name, value in payload.items():
        if not isinstance(name, str) or name not in known:
            unknown.append(str(name))
            continue
        if isinstance(value, str):
            data[name] = value
            count += 1
            size += len(name) + len(value)
        elif is_array(value) and all(isinstance(item, str) for item in value):
            strings = [str(item) for item in value]
            data[name] = strings
            count += len(strings)
            size += len(name) * len(strings) + sum(len(item) for item in strings)
        else:
            malformed.append(name)
    max_fields: int | None = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    max_size: int | None = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if max_fields is not None and count > max_fields:
        logger.warning(
            "A %s submission was dropped: %d values is more than DATA_UPLOAD_MAX_NUMBER_FIELDS "
            "(%d).",
            form_name,
            count,
            max_fields,
        )
        return None
    if max_size is not None and size > max_size:
        logger.warning(
            "A %s submission was dropped: %d characters is more than DATA_UPLOAD_MAX_MEMORY_SIZE "
            "(%d).",
            form_name,
            size,
            max_size,
        )
        return None
    if unknown:
        logger.warning(
            "A %s submission named fields the form does not have; dropped: %s.",
            form_name,
            _shown(unknown),
        )
    if malformed:
        logger.warning(
            "A %s submission sent values that are not strings or lists of strings; dropped "
            "(the form sees those fields as empty): %s.",
            form_name,
            _shown(malformed),
        )
    return data


def as_form_data(data: Mapping[str, object]) -> MultiValueDict[str, str]:
    """The submitted fields as Django's widgets read a POST: several values under one name
    for multi-selects and checkbox groups, a missing name for an unchecked checkbox."""
    values: dict[str, list[str]] = {}
    for name, value in data.items():
        if is_sequence(value):
            values[name] = [str(item) for item in value]
        elif value is not None:
            values[name] = [str(value)]
    return MultiValueDict(values)
