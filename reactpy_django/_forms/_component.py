"""`django_form`: a Django form rendered by Django, validated and saved on the server."""

from __future__ import annotations

import asyncio
import functools
import inspect
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, TypeVar

from django.forms import BaseForm, BaseModelForm
from django.utils.datastructures import MultiValueDict
from reactpy import component, hooks, html, web
from reactpy.core.events import event
from reactpy.core.types import ComponentType, Key, VdomDict
from typing_extensions import TypeIs

from reactpy_django._executor import is_async, run_sync, running_loop
from reactpy_django._forms._data import as_form_data, checked_submission, field_names
from reactpy_django._forms._vdom import Transform, form_html_to_vdom
from reactpy_django._root import client_module
from reactpy_django._state import ConnectionState, connection_state
from reactpy_django.conf import reactpy_settings
from reactpy_django.connection import use_connection
from reactpy_django.types import AsyncFormEvent, FormEventData, SubmittedData, SyncFormEvent

__all__ = ["django_form"]

logger: logging.Logger = logging.getLogger("reactpy_django.forms")

_F = TypeVar("_F", bound=BaseForm)
_T = TypeVar("_T")

FormCallback = AsyncFormEvent[_F] | SyncFormEvent[_F]

_django_form_js = web.export(client_module(), "DjangoForm")
"""`DjangoForm({onSubmitCallback})`: calls back with the enclosing form's fields on submit."""


@dataclass(frozen=True, slots=True)
class _Options:
    """What `django_form` was called with (the latest render's)."""

    form: type[BaseForm]
    on_success: FormCallback[Any] | None
    on_error: FormCallback[Any] | None
    on_receive_data: FormCallback[Any] | None
    on_change: FormCallback[Any] | None
    auto_save: bool
    extra_props: Mapping[str, Any]
    extra_transforms: tuple[Transform, ...]
    form_template: str | None
    thread_sensitive: bool
    top_children: tuple[Any, ...]
    bottom_children: tuple[Any, ...]


class _Shown(NamedTuple):
    """What the component shows: the form instance and its fields as VDOM."""

    form: BaseForm
    data: SubmittedData | None
    fields: VdomDict
    generation: int
    """Bumped when a saved form is replaced by a fresh one, so the browser replaces the
    fields (and what was typed in them) rather than keeping them."""


_Step = Callable[[], "_Shown | _Paused"]
"""The rest of a submission's work, from where an async callback paused it."""


class _Paused(NamedTuple):
    """An async callback the event loop must await before the rest of the work runs."""

    which: str
    callback: FormCallback[Any]
    event: FormEventData[Any]
    rest: _Step


def _render(form: BaseForm, options: _Options) -> VdomDict:
    template = options.form_template or reactpy_settings().default_form_template
    return form_html_to_vdom(form.render(template), options.extra_transforms)


def _is_model_form(form: BaseForm) -> TypeIs[BaseModelForm[Any]]:
    return isinstance(form, BaseModelForm)


def _callback_name(callback: object) -> str:
    return getattr(callback, "__qualname__", None) or type(callback).__name__


async def _awaited(callback: FormCallback[Any], event: FormEventData[Any]) -> None:
    """Call an async callback and await what it returned."""
    result: object = callback(event)
    if inspect.isawaitable(result):
        await result


def _log_failure(which: str, callback: object) -> None:
    logger.exception("django_form: the %s callback %s failed.", which, _callback_name(callback))


class _FormRunner:
    """One `django_form`'s state, shared by its renders, event handlers and callbacks.

    A submission's sync work (checking the fields, binding, validating, sync callbacks,
    saving, rendering) runs in one query-thread call; only an async callback brings it back
    to the event loop, after which the rest continues in the thread.
    """

    def __init__(self, state: ConnectionState, show: Callable[[_Shown], None]) -> None:
        self._state = state
        self._show = show
        self._loop = asyncio.get_running_loop()
        self._lock = asyncio.Lock()
        self._disposed = False
        self._receiving: list[SubmittedData | None] | None = None
        self.options: _Options | None = None
        self.shown: _Shown | None = None

    def mount(self) -> Callable[[], None]:
        """The mount effect: render the empty form in the background; unmounting stops updates."""
        self._state.spawn(self._replace(None), name="django_form:render")
        return self._dispose

    def _dispose(self) -> None:
        self._disposed = True

    def set_submitted_data(self, data: SubmittedData | None) -> None:
        """`FormEventData.set_submitted_data`: inside `on_receive_data`, validate this data
        instead; anywhere else, validate and show it next."""
        if self._receiving is not None:
            self._receiving.append(data)
        elif running_loop() is not self._loop:  # a sync callback in a query thread
            self._loop.call_soon_threadsafe(self.set_submitted_data, data)
        elif not self._disposed:
            self._state.spawn(self._replace(data), name="django_form:set_submitted_data")

    def _event(self, form: BaseForm, data: SubmittedData) -> FormEventData[Any]:
        return FormEventData(
            form=form, submitted_data=data, set_submitted_data=self.set_submitted_data
        )

    async def submit(self, payload: object = None, *_: object) -> None:
        """The browser's submit: check the fields, validate, call back, save, show."""
        options = self.options
        if options is not None and not self._disposed:
            await self._run(options, lambda: self._receive(payload, options))

    async def _replace(self, data: SubmittedData | None) -> None:
        options = self.options
        if options is not None and not self._disposed:
            await self._run(options, lambda: self._validate(data, options))

    async def _run(self, options: _Options, first: Callable[[], _Shown | _Paused | None]) -> None:
        """Run a submission's steps in a query thread (pausing for async callbacks), one
        submission at a time, and show the result."""
        sensitive = options.thread_sensitive
        async with self._lock:
            try:
                step = await run_sync(first, self._state, thread_sensitive=sensitive)
                while isinstance(step, _Paused):
                    try:
                        await _awaited(step.callback, step.event)
                    except Exception:
                        _log_failure(step.which, step.callback)
                    step = await run_sync(step.rest, self._state, thread_sensitive=sensitive)
            except Exception:
                logger.exception("django_form: %s could not be shown.", options.form.__qualname__)
                return
            finally:
                self._receiving = None
            if step is not None and not self._disposed:
                self.shown = step
                self._show(step)

    def _then(
        self, which: str, callback: FormCallback[Any], event: FormEventData[Any], rest: _Step
    ) -> _Shown | _Paused:
        """Call `callback` here (sync) or pause for the event loop (async), then `rest`."""
        if is_async(callback):
            return _Paused(which, callback, event, rest)
        try:
            result: object = callback(event)
            if inspect.iscoroutine(result):  # a sync function that returned a coroutine
                asyncio.run_coroutine_threadsafe(result, self._loop).result()
        except Exception:
            _log_failure(which, callback)
        return rest()

    def _receive(self, payload: object, options: _Options) -> _Shown | _Paused | None:
        """Check what arrived, then (after `on_receive_data`) validate it. In a thread."""
        # One form instance both names the fields (they may depend on its `__init__`) and is
        # validated: binding it to an empty dict, then to the data, is what `__init__` does.
        form = options.form(data=MultiValueDict())
        data = checked_submission(payload, field_names(form), options.form.__qualname__)
        if data is None:
            return None
        form.data = as_form_data(data)
        if options.on_receive_data is None:
            return self._validate(data, options, form)
        self._receiving = []

        def rest() -> _Shown | _Paused:
            replaced, self._receiving = self._receiving or [], None
            return self._validate(replaced[-1] if replaced else data, options)

        return self._then("on_receive_data", options.on_receive_data, self._event(form, data), rest)

    def _validate(
        self, data: SubmittedData | None, options: _Options, bound: BaseForm | None = None
    ) -> _Shown | _Paused:
        """Bind and validate `data` (`None`: an empty form), call back, then finish."""
        generation = self.shown.generation if self.shown is not None else 0
        if data is None:
            form = options.form()
            return _Shown(form, None, _render(form, options), generation)
        form = bound if bound is not None else options.form(data=as_form_data(data))
        valid = form.is_valid()
        callback = options.on_success if valid else options.on_error

        def rest() -> _Shown:
            return self._finish(form, data, valid, options, generation)

        if callback is None:
            return rest()
        which = "on_success" if valid else "on_error"
        return self._then(which, callback, self._event(form, data), rest)

    def _finish(
        self, form: BaseForm, data: SubmittedData, valid: bool, options: _Options, generation: int
    ) -> _Shown:
        """Save a valid model form (then show a fresh one), else show this one. In a thread."""
        if valid and options.auto_save and _is_model_form(form):
            try:
                form.save()
            except Exception:
                logger.exception("django_form: saving %s failed.", type(form).__qualname__)
                form.add_error(None, "The form could not be saved. Please try again.")
            else:
                fresh = options.form()
                return _Shown(fresh, None, _render(fresh, options), generation + 1)
        return _Shown(form, data, _render(form, options), generation)

    async def changed(self, *_: object) -> None:
        """A field changed in the browser (the form's bubbling `change` event)."""
        options, shown = self.options, self.shown
        if options is None or options.on_change is None or shown is None:
            return
        callback = options.on_change
        event = self._event(shown.form, dict(shown.data or {}))
        try:
            if is_async(callback):
                await _awaited(callback, event)
            else:
                work = functools.partial(callback, event)
                await run_sync(work, self._state, thread_sensitive=options.thread_sensitive)
        except Exception:
            _log_failure("on_change", callback)


def _no_navigation(_event: object = None) -> None:
    """The form's own submit does nothing on the server (the client's `DjangoForm` sends the
    fields); it is here so the browser is kept from navigating even before that loads."""


@component
def _django_form(options: _Options) -> VdomDict | None:
    state = connection_state(use_connection().scope)
    shown, set_shown = hooks.use_state(_nothing)
    runner: _FormRunner = hooks.use_state(lambda: _FormRunner(state, set_shown))[0]
    runner.options = options
    hooks.use_effect(runner.mount, dependencies=[])
    if shown is None:
        return None
    props: dict[str, Any] = {
        **options.extra_props,
        "onSubmit": event(_no_navigation, prevent_default=True),
    }
    if options.on_change is not None:
        props["onChange"] = runner.changed
    fields = {**shown.fields, "key": f"fields-{shown.generation}"}
    return html.form(
        props,
        _django_form_js({"onSubmitCallback": runner.submit}),
        *options.top_children,
        fields,
        *options.bottom_children,
    )


def _nothing() -> _Shown | None:
    return None


def _is_form_class(form: object) -> bool:
    return isinstance(form, type) and issubclass(form, BaseForm)


def django_form(
    form: type[_F],
    *,
    on_success: AsyncFormEvent[_F] | SyncFormEvent[_F] | None = None,
    on_error: AsyncFormEvent[_F] | SyncFormEvent[_F] | None = None,
    on_receive_data: AsyncFormEvent[_F] | SyncFormEvent[_F] | None = None,
    on_change: AsyncFormEvent[_F] | SyncFormEvent[_F] | None = None,
    auto_save: bool = True,
    extra_props: Mapping[str, Any] | None = None,
    extra_transforms: Sequence[Callable[[VdomDict], Any]] | None = (),
    form_template: str | None = None,
    thread_sensitive: bool = True,
    top_children: Sequence[Any] = (),
    bottom_children: Sequence[Any] = (),
    key: Key | None = None,
) -> ComponentType:
    """A Django form as a component: Django renders it, the server validates what the
    browser submits, shows the errors in the page, and saves a valid `ModelForm`.

    Args:
        form: The form class (not an instance): a `Form` or `ModelForm` subclass.
        on_success: Called with `FormEventData` after a submission validates (before a
            `ModelForm` is saved).
        on_error: Called with `FormEventData` after a submission fails validation.
        on_receive_data: Called before validation; it may change `event.submitted_data`
            in place or call `event.set_submitted_data(new)`.
        on_change: Called when the user changes a field (the form's `change` event).
        auto_save: Save a valid `ModelForm` (then show it empty again). No effect on a `Form`.
        extra_props: Attributes of the `<form>` element, e.g. `{"id": "signup"}`.
        extra_transforms: Functions each VDOM node of the rendered form goes through.
        form_template: Template the form renders with; default `REACTPY_DEFAULT_FORM_TEMPLATE`,
            else the form's own.
        thread_sensitive: Run the form's sync work (validation, saving, sync callbacks) on
            this connection's ordered query threads (`False`: any free thread).
        top_children: Elements put before the fields, inside the `<form>`.
        bottom_children: Elements put after the fields, e.g. a submit button.
        key: A key unique among the component's siblings.

    Returns:
        The component, a `<form>` holding `top_children`, the fields and `bottom_children`.

    Raises:
        TypeError: `form` is not a form class (e.g. an instance of one).

    Callbacks may be sync (run in a query thread: they may use the ORM) or async. The form
    is rendered off the event loop, so it appears once the first render arrives. Files are
    not uploaded: a file input's value is not sent.
    """
    if not _is_form_class(form):
        given: object = form  # any value can arrive from untyped code
        got = (
            f"an instance of {type(given).__qualname__}"
            if isinstance(given, BaseForm)
            else repr(given)
        )
        msg = (
            f"django_form() expects a Django Form or ModelForm class, but got {got}. Pass the "
            "class itself, e.g. django_form(MyForm), not django_form(MyForm())."
        )
        raise TypeError(msg)
    options = _Options(
        form=form,
        on_success=on_success,
        on_error=on_error,
        on_receive_data=on_receive_data,
        on_change=on_change,
        auto_save=auto_save,
        extra_props=dict(extra_props or {}),
        extra_transforms=tuple(extra_transforms or ()),
        form_template=form_template,
        thread_sensitive=thread_sensitive,
        top_children=tuple(top_children),
        bottom_children=tuple(bottom_children),
    )
    return _django_form(options, key=key)
