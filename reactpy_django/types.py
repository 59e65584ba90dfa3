"""The typed objects the hooks return and the callable shapes they accept."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import (
    TYPE_CHECKING,
    Any,
    Final,
    Generic,
    NamedTuple,
    Protocol,
    TypeAlias,
    TypedDict,
    TypeVar,
)

from django.forms import BaseForm
from reactpy.backend.types import Connection as _ReactPyConnection
from reactpy.backend.types import Location
from typing_extensions import ParamSpec
from typing_extensions import TypeVar as _TypeVarWithDefault

from reactpy_django._reads import ReadLog

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.http import HttpRequest
    from reactpy.core.types import ComponentType, Key

    from reactpy_django.consumer import ReactpyAsyncWebsocketConsumer

__all__ = [
    "USE_DEFAULT_POSTPROCESSOR",
    "AsyncFormEvent",
    "AsyncMessageReceiver",
    "AsyncMessageSender",
    "AsyncPostprocessor",
    "Carrier",
    "ChannelMessage",
    "ChannelValue",
    "Connection",
    "ConnectionType",
    "DjangoPostprocessorKwargs",
    "FormEventData",
    "FuncParams",
    "Inferred",
    "Location",
    "Mutation",
    "Query",
    "SubmittedData",
    "SyncFormEvent",
    "SyncPostprocessor",
    "UseAuthLogin",
    "UseAuthLogout",
    "UseAuthTuple",
    "UseDefaultPostprocessor",
    "UserData",
    "UserDataDict",
    "ViewToComponentConstructor",
    "ViewToIframeConstructor",
]

Inferred = TypeVar("Inferred")
"""The data type a query function returns (awaited, for an async one)."""

FuncParams = ParamSpec("FuncParams")
"""The parameters of a mutation function, kept by `Mutation[FuncParams]`."""

Carrier: TypeAlias = "ReactpyAsyncWebsocketConsumer | HttpRequest"
"""What carries a connection: the WebSocket consumer, or the `HttpRequest` while prerendering."""

Connection: TypeAlias = _ReactPyConnection["Carrier"]
"""The active connection: its `carrier`, ASGI `scope` and the browser's `location`.

It is ReactPy's own `Connection` dataclass, so `reactpy.use_connection()` sees the same object.
"""

ConnectionType: TypeAlias = Connection
"""`Connection` under reactpy-django 5.2.1's name."""

ChannelValue: TypeAlias = (
    "bool | int | float | str | bytes | Sequence[ChannelValue] | Mapping[str, ChannelValue] | None"
)
"""A value a channel layer message may carry: what msgpack (the Redis layer's format) can encode.

At run time the sender also requires containers to be lists, tuples or dicts, dict keys to be
strings and integers to fit in 64 bits, and tells you which key broke the rule.
"""

ChannelMessage: TypeAlias = dict[str, Any]
"""A message as a receiver gets it: a dict of the values sent (tuples arrive as lists on Redis)."""

UserDataDict: TypeAlias = dict[str, Any]
"""A user's stored data: a JSON object, so any JSON value may sit under a key."""


class Query(Generic[Inferred]):
    """The state of a `use_query` call, new on every change.

    `data` is `None` until the query function has succeeded once and after it fails, so the
    type never claims data that is not there. While a refetch runs, `loading` is `True` and
    `data` keeps the last result. The docs' pattern narrows `data` to the query's type::

        if query.loading: ...
        elif query.error or not query.data: ...
        else: use(query.data)

    Its fields are read-only. A component that never reads `loading` is not re-rendered when a
    refetch starts (its view could not change), only when the result arrives.
    """

    __slots__ = ("_data", "_error", "_loading", "_reads", "_refetch")

    def __init__(
        self,
        data: Inferred | None,
        loading: bool,
        error: Exception | None,
        refetch: Callable[[], None],
        *,
        reads: ReadLog | None = None,
    ) -> None:
        self._data = data
        self._loading = loading
        self._error = error
        self._refetch = refetch
        self._reads = reads

    @property
    def data(self) -> Inferred | None:
        """The (postprocessed) result of the last successful run, or `None`."""
        return self._data

    @property
    def loading(self) -> bool:
        """Whether the query function is running."""
        if self._reads is not None:
            self._reads.loading = True
        return self._loading

    @property
    def error(self) -> Exception | None:
        """The exception of the last run, or `None` if it succeeded."""
        return self._error

    @property
    def refetch(self) -> Callable[[], None]:
        """Run the query function again; a result that arrives later replaces this one."""
        return self._refetch

    def _fields(self) -> tuple[object, bool, Exception | None]:
        return self.data, self.loading, self.error

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Query):
            return NotImplemented
        return self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return f"Query(data={self.data!r}, loading={self.loading!r}, error={self.error!r})"


@dataclass(frozen=True, slots=True)
class Mutation(Generic[FuncParams]):
    """The state of a `use_mutation` call; call it with the mutation function's own arguments."""

    loading: bool
    """Whether the mutation function is running."""
    error: Exception | None
    """The exception of the last run, or `None`."""
    _execute: Callable[FuncParams, None] = field(repr=False, compare=False)
    _reset: Callable[[], None] = field(repr=False, compare=False)

    def __call__(self, *args: FuncParams.args, **kwargs: FuncParams.kwargs) -> None:
        """Run the mutation function in the background with these arguments."""
        self._execute(*args, **kwargs)

    def execute(self, *args: FuncParams.args, **kwargs: FuncParams.kwargs) -> None:
        """Run the mutation function in the background: the same as calling the mutation
        (reactpy-django 5.2.1's spelling, `mutation.execute(...)`)."""
        self._execute(*args, **kwargs)

    def reset(self) -> None:
        """Clear `loading` and `error`, so the mutation can be shown as fresh and run again."""
        self._reset()


class UserData(NamedTuple):
    """What `use_user_data` returns: the user's stored data and a mutation that replaces it."""

    query: Query[UserDataDict | None]
    """The stored data: a plain dict for a logged-in user (empty, so falsy, while nothing is
    stored), `None` for an anonymous one or while loading."""
    mutation: Mutation[[UserDataDict]]
    """Store a new dict as the user's data (the whole dict is replaced, atomically)."""


class UseAuthLogin(Protocol):
    """`await login(user)`: this connection, the browser session's other connections, then
    (through a one-time token) the browser's cookie move to a new session logged in as `user`.
    `rerender=False` leaves re-rendering this tree to the caller."""

    async def __call__(self, user: AbstractBaseUser, rerender: bool = True) -> None: ...


class UseAuthLogout(Protocol):
    """`await logout()`: the session ends at once (its cookie no longer logs anyone in) and the
    browser session's connections, then its cookie, move to a fresh anonymous session."""

    async def __call__(self, rerender: bool = True) -> None: ...


class UseAuthTuple(NamedTuple):
    """What `use_auth` returns: persistent `login` and `logout` coroutines."""

    login: UseAuthLogin
    """Log `user` in on this WebSocket and, through a one-time token, in the browser's cookie."""
    logout: UseAuthLogout
    """Log out on this WebSocket and end the browser's session."""


class AsyncMessageReceiver(Protocol):
    """An async function that `use_channel_layer` calls with each message, one at a time.

    It gets its own copy of the message. An exception it raises is logged and the next message
    still arrives.
    """

    async def __call__(self, message: ChannelMessage, /) -> None: ...


class AsyncMessageSender(Protocol):
    """What `use_channel_layer` returns: send a message to the hook's group, else its channel.

    The message is a dict of `ChannelValue`s, e.g. `{"text": "hello"}`; no `"type"` key is
    needed. A value the layer cannot carry raises `TypeError` naming its key, and a full
    channel raises Channels' `ChannelFull` (a group send skips full channels).
    """

    async def __call__(self, message: Mapping[str, ChannelValue], /) -> None: ...


SyncPostprocessor: TypeAlias = Callable[..., Any]
"""A function `(data, **postprocessor_kwargs) -> new_data`.

`use_query` types it more closely: its first parameter takes the query's data, and what it
returns becomes the type of `Query.data`.
"""

AsyncPostprocessor: TypeAlias = Callable[..., Awaitable[Any]]
"""An async function `(data, **postprocessor_kwargs) -> new_data`."""


class UseDefaultPostprocessor:
    """The type of `USE_DEFAULT_POSTPROCESSOR`, `use_query`'s "postprocessor not given".

    `None` cannot mean "not given": `use_query(..., postprocessor=None)` turns postprocessing
    off. Leaving the argument out (this value) means the postprocessor named by the
    `REACTPY_DEFAULT_QUERY_POSTPROCESSOR` setting, normally
    `reactpy_django.utils.django_query_postprocessor`.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return "USE_DEFAULT_POSTPROCESSOR"


USE_DEFAULT_POSTPROCESSOR: Final = UseDefaultPostprocessor()
"""`use_query`'s default `postprocessor`: the one the `REACTPY_DEFAULT_QUERY_POSTPROCESSOR`
setting names."""


class DjangoPostprocessorKwargs(TypedDict, total=False):
    """The `postprocessor_kwargs` of the default postprocessor, `django_query_postprocessor`."""

    many_to_many: bool
    """Load ManyToMany relations, forward and reverse (default `True`)."""
    many_to_one: bool
    """Load reverse ForeignKey relations, the `*_set` managers (default `True`)."""
    depth: int
    """How many relation hops to load from the returned objects (default 3)."""


class ViewToComponentConstructor(Protocol):
    """What `view_to_component(view)` returns: call it in a render to place the view there."""

    def __call__(
        self, request: HttpRequest | None = None, *args: Any, key: Key | None = None, **kwargs: Any
    ) -> ComponentType:
        """The view as a component: `view(request or a blank GET request, *args, **kwargs)`."""
        ...


class ViewToIframeConstructor(Protocol):
    """What `view_to_iframe(view)` returns: call it in a render to place the `<iframe>`."""

    def __call__(self, *args: Any, key: Key | None = None, **kwargs: Any) -> ComponentType:
        """An `<iframe>` whose page is `view(request, *args, **kwargs)` (args as strings)."""
        ...


FormType = _TypeVarWithDefault("FormType", bound=BaseForm, covariant=True, default=BaseForm)
"""The form class given to `django_form` (a `Form` or `ModelForm` subclass)."""

_FormContra = _TypeVarWithDefault(
    "_FormContra", bound=BaseForm, contravariant=True, default=BaseForm
)

SubmittedData: TypeAlias = dict[str, "str | list[str]"]
"""Submitted form fields by name: one string, or a list for several values (multi-selects,
checkbox groups), as the browser's `FormData` holds them."""


@dataclass(frozen=True, slots=True)
class FormEventData(Generic[FormType]):
    """What `django_form`'s callbacks receive: the bound form and the data it was bound to."""

    form: FormType
    """The form, an instance of the class given to `django_form`, bound to `submitted_data`
    (validated, except in `on_receive_data` and `on_change`)."""
    submitted_data: SubmittedData
    """The submitted fields. `on_receive_data` may change this dict in place before the form
    is validated."""
    set_submitted_data: Callable[[SubmittedData | None], None]
    """Validate and show this data instead (`None`: an empty, unbound form)."""


class AsyncFormEvent(Protocol[_FormContra]):
    """An async `django_form` callback: `async def on_success(event: FormEventData[MyForm])`."""

    async def __call__(self, event: FormEventData[_FormContra], /) -> None: ...


class SyncFormEvent(Protocol[_FormContra]):
    """A sync `django_form` callback, run in a query thread (it may use the ORM)."""

    def __call__(self, event: FormEventData[_FormContra], /) -> None: ...
