"""Another server process for tests: it sends and hears logins and refetches through its own
relay.

Run by `tests.multiprocess.other_process()` as `python -m tests.other_process` with the test
settings and the test's channel layer. It is a real second process (its own relay thread,
origin and Redis connections); the test drives it through stdin, one command a line, and
reads one answer a line from stdout:

- `session OLD NEW`: browser session `OLD` now holds `NEW`, as `use_auth`'s login or logout
  in this process announces it (`_session_sync.publish`). Answer: `sent`.
- `refetch dotted.path.of.query_function`: refetch that query function everywhere, as a
  mutation in this process does (`_refetch.notify_refetch`). Answer: `sent`.
- `listen dotted.name`: from now on count the refetches of that query function this process
  hears, as a mounted `use_query` of it would. Answer: `listening` once the relay is in the
  refetch group.
- `heard dotted.name N`: how many it heard, once at least `N` arrived (or 10 s passed).
  Answer: `heard COUNT`.

The relay sends in the background: `sent` means it has the message, and it logs what Redis
refused. The first line out is `ready`, once the relay exists.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections import Counter
from importlib import import_module

_HEARD_TIMEOUT = 10.0


class _Heard:
    """Refetches heard, by query function, and an event set at each."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.changed = asyncio.Event()
        self.listeners: list[_Listener] = []  # the refetch registry holds subscribers weakly

    async def wait_for(self, name: str, at_least: int) -> int:
        """How many refetches of `name` were heard, once at least `at_least` were (or the
        time is up)."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(_HEARD_TIMEOUT):
                while self.counts[name] < at_least:
                    self.changed.clear()
                    await self.changed.wait()
        return self.counts[name]


class _Listener:
    """Counts refetches of one query function (a `_refetch.Subscriber`)."""

    def __init__(self, loop: asyncio.AbstractEventLoop, name: str, heard: _Heard) -> None:
        self._loop = loop
        self._name = name
        self._heard = heard

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        """The loop `refetch` is called on."""
        return self._loop

    def refetch(self) -> None:
        """Another process refetched the function: count it."""
        self._heard.counts[self._name] += 1
        self._heard.changed.set()


async def _answer(words: list[str], heard: _Heard) -> str:
    from reactpy_django import _refetch, _session_sync

    command, *arguments = words
    if command == "session":
        old_key, new_key = arguments
        _session_sync.publish(old_key, new_key)
        return "sent"
    if command == "refetch":
        module, _, name = arguments[0].rpartition(".")
        _refetch.notify_refetch([getattr(import_module(module), name)])
        return "sent"
    if command == "listen":
        listener = _Listener(asyncio.get_running_loop(), arguments[0], heard)
        heard.listeners.append(listener)
        _refetch.subscribe(arguments[0], listener)
        joined = await asyncio.to_thread(_refetch.relay_joined, _HEARD_TIMEOUT)
        return "listening" if joined else "not in the refetch group"
    if command == "heard":
        return f"heard {await heard.wait_for(arguments[0], int(arguments[1]))}"
    return f"unknown command {command!r} (session, refetch, listen or heard)"


async def _serve() -> None:
    from reactpy_django import _relay

    if _relay.relay() is None:
        sys.exit("tests.other_process: no channel layer reaches other processes (Redis only).")
    print("ready", flush=True)
    heard = _Heard()
    while line := await asyncio.to_thread(sys.stdin.readline):
        print(await _answer(line.split(), heard), flush=True)


def main() -> None:
    """Set Django up, then answer stdin's commands until it closes."""
    import django

    django.setup()
    asyncio.run(_serve())


if __name__ == "__main__":
    main()
