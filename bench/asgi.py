"""The benchmark server: the demo site, the bench components and the floor consumers.

Run by `bench.run` under uvicorn. `/bench/control/` lets the benchmark read the server's
heap and task counts and, with `BENCH_PROFILE=<file>` set, switch cProfile on and off.
"""

from __future__ import annotations

import asyncio
import cProfile
import ctypes
import gc
import os
import sys
import tracemalloc
from collections import Counter
from typing import TYPE_CHECKING, cast

from asgiref.typing import ASGIReceiveCallable, ASGISendCallable, Scope
from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
django_asgi_app = get_asgi_application()

import orjson  # noqa: E402
from channels.auth import AuthMiddlewareStack  # noqa: E402  (Django must be set up first)
from channels.generic.websocket import AsyncWebsocketConsumer  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.urls import URLPattern  # noqa: E402
from django.urls.resolvers import RoutePattern  # noqa: E402

from bench import experiments, floors  # noqa: E402
from bench.raw_echo import RAW_ECHO_PATH, raw_echo  # noqa: E402
from reactpy_django import REACTPY_WEBSOCKET_ROUTE, register_component  # noqa: E402

if TYPE_CHECKING:
    from channels.consumer import _ASGIApplicationProtocol
    from channels.routing import _ExtendedURLPattern

__all__ = ["COMPONENTS", "EXPERIMENTS", "application", "channels_application"]

COMPONENTS = {
    "counter": "demo_app.pages.connection.counter",
    "query": "bench.components.item_list",
    "receiver": "bench.components.fanout_receiver",
    "sender": "bench.components.fanout_sender",
}
"""The components the benchmark mounts, by role."""

for _path in COMPONENTS.values():
    register_component(_path)

EXPERIMENTS = experiments.apply(os.environ.get("BENCH_EXPERIMENTS", ""))
"""Candidate fixes switched on for this server (`bench.experiments`), usually none."""


_TRACE_FRAMES = int(os.environ.get("BENCH_TRACE_FRAMES", "8"))


class _ControlConsumer(AsyncWebsocketConsumer):
    """The benchmark's window into the server, one JSON reply per command.

    - `stats`: after a full garbage collection, Python's allocated blocks and asyncio tasks
      (both cheap: the reply must not disturb the memory it measures);
    - `trim`: glibc `malloc_trim(0)`, which hands freed heap pages back to the OS;
    - `profile-start` / `profile-stop`: cProfile on this thread (the event loop's), the
      stats written to `BENCH_PROFILE`;
    - `trace-start` / `trace-top`: tracemalloc, then the 30 lines whose live allocations
      grew most since `trace-start`;
    - `census`: live objects by type (for profiling only: it allocates a list of them all).
    """

    profiler: cProfile.Profile | None = None
    snapshot: tracemalloc.Snapshot | None = None

    async def connect(self) -> None:
        await self.accept()
        await self.send(text_data=floors.GREETING)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        reply: dict[str, object] = {"command": text_data}
        if text_data == "stats":
            gc.collect()
            reply["blocks"] = sys.getallocatedblocks()
            reply["tasks"] = len(asyncio.all_tasks())
        elif text_data == "trim":
            gc.collect()
            reply["trimmed"] = bool(ctypes.CDLL("libc.so.6").malloc_trim(0))
        elif text_data == "profile-start" and os.environ.get("BENCH_PROFILE"):
            _ControlConsumer.profiler = cProfile.Profile()
            _ControlConsumer.profiler.enable()
        elif text_data == "profile-stop" and _ControlConsumer.profiler is not None:
            _ControlConsumer.profiler.disable()
            _ControlConsumer.profiler.dump_stats(os.environ["BENCH_PROFILE"])
            _ControlConsumer.profiler = None
        elif text_data == "census":
            gc.collect()
            census = Counter(
                f"{type(item).__module__}.{type(item).__qualname__}" for item in gc.get_objects()
            )
            reply["census"] = dict(census.most_common(60))
        elif text_data == "trace-start":
            tracemalloc.start(_TRACE_FRAMES)
            _ControlConsumer.snapshot = tracemalloc.take_snapshot()
        elif text_data == "trace-top" and _ControlConsumer.snapshot is not None:
            gc.collect()
            snapshot = tracemalloc.take_snapshot()
            grown = snapshot.compare_to(_ControlConsumer.snapshot, "lineno")
            reply["top"] = [str(stat) for stat in grown[:30]]
            by_file = snapshot.compare_to(_ControlConsumer.snapshot, "filename")
            reply["files"] = [str(stat) for stat in by_file[:20]]
            reply["tracebacks"] = [
                "\n".join([str(stat), *stat.traceback.format(limit=_TRACE_FRAMES)])
                for stat in snapshot.compare_to(_ControlConsumer.snapshot, "traceback")[:12]
            ]
            dump = os.environ.get("BENCH_TRACE_DUMP")
            if dump:  # both snapshots, for an offline breakdown (e.g. by the frame that owns it)
                _ControlConsumer.snapshot.dump(f"{dump}.before")
                snapshot.dump(f"{dump}.after")
            tracemalloc.stop()
            _ControlConsumer.snapshot = None
        else:
            reply["error"] = "unknown command"
        await self.send(text_data=orjson.dumps(reply).decode())


def _route(route: str, consumer: _ASGIApplicationProtocol) -> _ExtendedURLPattern:
    pattern = RoutePattern(route, is_endpoint=True)
    # types-channels describes a route to an ASGI app as a stub-only URLPattern subclass.
    return cast("_ExtendedURLPattern", URLPattern(pattern, consumer))


_routes: list[_ExtendedURLPattern | URLRouter] = [
    REACTPY_WEBSOCKET_ROUTE,
    _route("bench/echo/", floors.EchoConsumer.as_asgi()),
    _route("bench/group/", floors.GroupConsumer.as_asgi()),
    _route("bench/group-send/", floors.GroupTriggerConsumer.as_asgi()),
    _route("bench/control/", _ControlConsumer.as_asgi()),
]

channels_application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(_routes))),
    }
)
"""Django over HTTP; ReactPy, the floors (and the profile switch) over WebSockets."""


async def application(scope: Scope, receive: ASGIReceiveCallable, send: ASGISendCallable) -> None:
    """`RAW_ECHO_PATH` goes to the raw-ASGI echo (no Channels at all); the rest to Channels."""
    if scope["type"] == "websocket" and scope["path"] == RAW_ECHO_PATH:
        await raw_echo(scope, receive, send)
    else:
        await channels_application(scope, receive, send)
