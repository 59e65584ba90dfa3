"""Helpers sites name in settings or call at startup: the default `use_query` postprocessor,
`register_iframe`, and `register_component` under the import path reactpy-django 5.2.1 sites use."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import (
    Field,
    ForeignObjectRel,
    Model,
    QuerySet,
    prefetch_related_objects,  # pyright: ignore[reportUnknownVariableType]  # django-stubs leaves Prefetch's model parameter unknown
)

from reactpy_django._iframes import register_iframe_view
from reactpy_django._view_render import DjangoView
from reactpy_django.registry import register_component

__all__ = ["django_query_postprocessor", "register_component", "register_iframe"]

_T = TypeVar("_T")


def register_iframe(view: DjangoView) -> None:
    """Allow `view_to_iframe` to show `view`: a function or class-based view, or its dotted path.

    Call it in an `AppConfig.ready()`. The view is served at the `reactpy:view_to_iframe` URL
    of its dotted path; that URL serves registered views only (anything else is a 404 and is
    never imported). A dotted path that imports nothing raises `ViewDoesNotExistError`.
    """
    register_iframe_view(view)


def django_query_postprocessor(
    data: _T, many_to_many: bool = True, many_to_one: bool = True, *, depth: int = 3
) -> _T:
    """Load everything a component may read from `data`, so rendering needs no query.

    `data` is a `QuerySet`, a `Model` instance, or a list or tuple of instances; anything else
    is returned untouched. A `QuerySet` is evaluated (rendering then iterates its cache), and
    for the instances:

    - deferred fields (`only()`/`defer()`) are loaded, one query per model;
    - ForeignKey and OneToOne relations, both directions, are always loaded;
    - reverse ForeignKeys (`book.review_set`) unless `many_to_one=False`, and ManyToMany
      relations, both directions (`book.tags`, `tag.book_set`), unless `many_to_many=False`.

    Related objects are loaded the same way, `depth` relation hops deep (default 3), never
    walking straight back along the relation they were reached by (`book.author.book_set` is
    not loaded from `book`). Each relation at each hop costs one query whatever the number of
    rows, so 200 books with their author, reviews and tags take four queries, not 601.
    Reading a relation that was not loaded (past `depth`, or one turned off) while rendering
    raises Django's `SynchronousOnlyOperation`; so do new queries such as `.filter()` on a
    loaded relation (filter in Python, or fetch in the query function instead).
    """
    value: object = data
    if isinstance(value, QuerySet | list | tuple):
        rows = cast("Iterable[object]", value)  # rows of any model, or values() dicts
        instances = [row for row in rows if isinstance(row, Model)]
    elif isinstance(value, Model):
        instances = [value]
    else:
        return data
    _load(instances, many_to_many=many_to_many, many_to_one=many_to_one, depth=depth)
    return data


@dataclass(frozen=True, slots=True)
class _Relation:
    accessor: str
    """The attribute that reads it: `author`, `review_set`, `tags`."""
    single: bool
    """One related object (a ForeignKey or OneToOne), not a manager."""
    link: ForeignObjectRel | None
    """Django's object for the link, the same from both sides (`None`: a generic key)."""
    forward: bool
    """Seen from the side that declares the field."""

    def reverses(self, other: _Relation) -> bool:
        """Whether this walks straight back along `other`."""
        return self.link is not None and self.link is other.link and self.forward != other.forward


_relations_cache: dict[tuple[type[Model], bool, bool], tuple[_Relation, ...]] = {}
_cache_lock = threading.Lock()


def _relations(model: type[Model], many_to_many: bool, many_to_one: bool) -> tuple[_Relation, ...]:
    key = (model, many_to_many, many_to_one)
    cached = _relations_cache.get(key)
    if cached is not None:
        return cached
    found: list[_Relation] = []
    for field in model._meta.get_fields():
        if not field.is_relation:
            continue
        link: ForeignObjectRel | None
        if isinstance(field, ForeignObjectRel):
            accessor = field.get_accessor_name()
            if not accessor or field.hidden:
                continue
            link, forward = field, False
        elif isinstance(field, Field):
            accessor, link, forward = field.name, field.remote_field, True
            if field.one_to_one and link is not None and link.parent_link:
                continue  # a multi-table parent's fields are already the child's own
        else:  # GenericForeignKey: a single object of any model
            accessor, link, forward = str(field.name), None, True
        if field.many_to_one or field.one_to_one:
            found.append(_Relation(accessor, True, link, forward))
        elif (field.many_to_many and many_to_many) or (field.one_to_many and many_to_one):
            found.append(_Relation(accessor, False, link, forward))
    relations = tuple(found)
    with _cache_lock:
        _relations_cache[key] = relations
    return relations


def _load(instances: list[Model], *, many_to_many: bool, many_to_one: bool, depth: int) -> None:
    """Breadth first: each hop prefetches every relation of every model group at once."""
    frontier: list[tuple[list[Model], _Relation | None]] = [(instances, None)]
    for hop in range(max(depth, 0) + 1):
        _load_deferred(obj for objects, _ in frontier for obj in objects)
        if hop == depth:
            return
        following: list[tuple[list[Model], _Relation | None]] = []
        for objects, arrived_by in frontier:
            for group in _by_model(objects):
                for relation in _relations(type(group[0]), many_to_many, many_to_one):
                    if arrived_by is not None and relation.reverses(arrived_by):
                        continue
                    prefetch_related_objects(group, relation.accessor)
                    related = _related(group, relation)
                    if related:
                        following.append((related, relation))
        if not following:
            return
        frontier = following


def _by_model(objects: Sequence[Model]) -> list[list[Model]]:
    groups: dict[type[Model], list[Model]] = {}
    for obj in objects:
        groups.setdefault(type(obj), []).append(obj)
    return list(groups.values())


def _related(objects: Sequence[Model], relation: _Relation) -> list[Model]:
    """The distinct objects `relation` reaches from `objects` (already prefetched)."""
    seen: set[int] = set()
    found: list[Model] = []
    for obj in objects:
        if relation.single:
            try:
                value: object = getattr(obj, relation.accessor)
            except ObjectDoesNotExist:  # a reverse OneToOne with no row
                continue
            values: Iterable[object] = (value,)
        else:
            values = getattr(obj, relation.accessor).all()
        for item in values:
            if isinstance(item, Model) and id(item) not in seen:
                seen.add(id(item))
                found.append(item)
    return found


def _load_deferred(objects: Iterable[Model]) -> None:
    """Load `only()`/`defer()`-ed fields with one query per model and set of fields."""
    groups: dict[tuple[type[Model], tuple[str, ...], str | None], list[Model]] = {}
    for obj in objects:
        deferred = obj.get_deferred_fields()
        if deferred:
            key = (type(obj), tuple(sorted(deferred)), obj._state.db)
            groups.setdefault(key, []).append(obj)
    for (model, attnames, database), group in groups.items():
        manager = model._base_manager.db_manager(database)
        rows: Iterable[tuple[Any, ...]] = manager.filter(
            pk__in=[obj.pk for obj in group]
        ).values_list("pk", *attnames)
        values = {row[0]: row[1:] for row in rows}
        for obj in group:
            loaded = values.get(obj.pk)
            if loaded is not None:
                for attname, value in zip(attnames, loaded, strict=True):
                    setattr(obj, attname, value)
