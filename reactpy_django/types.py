"""The typed objects the hooks return and the callable shapes they accept."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, Protocol, TypeAlias, TypeVar

from reactpy.backend.types import Connection as _ReactPyConnection
from reactpy.backend.types import Location
from typing_extensions import ParamSpec

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.http import HttpRequest

    from reactpy_django.consumer import ReactpyAsyncWebsocketConsumer

__all__ = [
    "AsyncMessageReceiver",
    "AsyncMessageSender",
    "AsyncPostprocessor",
    "Carrier",
    "ChannelMessage",
    "Connection",
    "FuncParams",
    "Inferred",
    "Location",
    "Mutation",
    "Query",
    "SyncPostprocessor",
    "UseAuthTuple",
    "UserData",
    "UserDataDict",
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

ChannelMessage: TypeAlias = dict[str, Any]
"""A Channels layer message: a dict of msgpack-serializable values."""

UserDataDict: TypeAlias = dict[str, Any]
"""A user's stored data: a JSON object, so any JSON value may sit under a key."""


@dataclass(frozen=True, slots=True)
class Query(Generic[Inferred]):
    """The state of a `use_query` call, new on every change.

    `data` is `None` until the query function has succeeded once and after it fails, so the
    type never claims data that is not there. While a refetch runs, `loading` is `True` and
    `data` keeps the last result. The docs' pattern narrows `data` to the query's type::

        if query.loading: ...
        elif query.error or not query.data: ...
        else: use(query.data)
    """

    data: Inferred | None
    """The (postprocessed) result of the last successful run, or `None`."""
    loading: bool
    """Whether the query function is running."""
    error: Exception | None
    """The exception of the last run, or `None` if it succeeded."""
    refetch: Callable[[], None] = field(repr=False, compare=False)
    """Run the query function again; a result that arrives later replaces this one."""


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

    def reset(self) -> None:
        """Clear `loading` and `error`, so the mutation can be shown as fresh and run again."""
        self._reset()


class UserData(NamedTuple):
    """What `use_user_data` returns: the user's stored data and a mutation that replaces it."""

    query: Query[UserDataDict | None]
    """The stored data: a dict for a logged-in user, `None` for an anonymous one."""
    mutation: Mutation[[UserDataDict]]
    """Store a new dict as the user's data (the whole dict is replaced, atomically)."""


class _AsyncLogin(Protocol):
    async def __call__(self, user: AbstractBaseUser, rerender: bool = True) -> None: ...


class _AsyncLogout(Protocol):
    async def __call__(self, rerender: bool = True) -> None: ...


class UseAuthTuple(NamedTuple):
    """What `use_auth` returns: persistent `login` and `logout` coroutines."""

    login: _AsyncLogin
    """Log `user` in on this WebSocket and, through a one-time token, in the browser's cookie."""
    logout: _AsyncLogout
    """Log out on this WebSocket and end the browser's session."""


class AsyncMessageReceiver(Protocol):
    """An async function that receives each Channels layer message as a dict."""

    async def __call__(self, message: ChannelMessage, /) -> None: ...


class AsyncMessageSender(Protocol):
    """An async function that sends a message (a dict) to the hook's group, else its channel."""

    async def __call__(self, message: ChannelMessage, /) -> None: ...


SyncPostprocessor: TypeAlias = Callable[..., Any]
"""A function `(data, **postprocessor_kwargs) -> new_data`."""

AsyncPostprocessor: TypeAlias = Callable[..., Awaitable[Any]]
"""An async function `(data, **postprocessor_kwargs) -> new_data`."""
