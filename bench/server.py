"""The server under test: uvicorn or Daphne serving `bench.asgi` on 127.0.0.1; its memory, CPU."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType

from tests import servers

__all__ = [
    "SERVERS",
    "BenchServer",
    "pin_apart",
    "prepare_database",
    "server_args",
    "server_name",
    "unpin",
    "use_server",
]

ROOT = servers.ROOT

_server_cpus: frozenset[int] | None = None

SERVERS = ("uvicorn", "daphne")
"""The ASGI servers the benchmark can run (`--server`)."""

_server = "uvicorn"
_server_args: tuple[str, ...] = ()


def use_server(name: str, args: Sequence[str] = ()) -> None:
    """Serve every `BenchServer` started from now on with `name` (one of `SERVERS`), with
    `args` on its command line (say Daphne's `--ping-interval 50`; `--server-arg`)."""
    global _server, _server_args
    if name not in SERVERS:
        msg = f"Expected a server among {SERVERS}, got {name!r}: pass --server uvicorn or daphne."
        raise ValueError(msg)
    _server = name
    _server_args = tuple(args)


def server_args() -> tuple[str, ...]:
    """The extra command-line arguments `BenchServer` passes its server (`use_server`)."""
    return _server_args


def server_name() -> str:
    """The ASGI server `BenchServer` starts (`use_server`; uvicorn unless changed)."""
    return _server


def pin_apart() -> str:
    """Give the servers started from now on one CPU and this process (the load) the others.

    A Python server runs Python on one core at a time (the GIL), so one CPU is all it can
    use; the load generator on the same CPUs would take turns with it, and its threads'
    hand-overs of the GIL would cross CPUs (an inter-processor interrupt each, costly on a
    VM). Returns how the CPUs were split, or why not.
    """
    global _server_cpus
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2:
        return "not pinned (one CPU)"
    _server_cpus = frozenset(cpus[:1])
    os.sched_setaffinity(0, cpus[1:])
    return f"server on CPU {cpus[0]}, load on CPU {','.join(map(str, cpus[1:]))}"


def unpin(pid: int) -> None:
    """Let every thread of `pid` run on any CPU (a process this one started after pinning)."""
    _pin(pid, frozenset(range(os.cpu_count() or 1)))


def _pin(pid: int, cpus: frozenset[int]) -> None:
    """Pin every thread of `pid` (threads it starts later inherit it from their creator)."""
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            os.sched_setaffinity(int(task.name), cpus)
        except ProcessLookupError:  # a thread that has just ended
            continue


def _env(database: Path, extra: Mapping[str, str]) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "BENCH_DATABASE": str(database),
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "demo")]),
        **extra,
    }


def prepare_database(database: Path, items: int = 10) -> None:
    """Migrate a new SQLite file and store `items` todo items (the query's rows)."""
    env = {**os.environ, **_env(database, {})}
    django_admin = str(Path(sys.executable).parent / "django-admin")
    subprocess.run([django_admin, "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    seed = (
        "import django; django.setup()\n"
        "from demo_app.models import TodoItem\n"
        "TodoItem.objects.all().delete()\n"
        f"TodoItem.objects.bulk_create(TodoItem(text=f'Item {{i}}') for i in range({items}))\n"
    )
    subprocess.run([sys.executable, "-c", seed], cwd=ROOT, env=env, check=True)


class BenchServer:
    """One server process (uvicorn or Daphne, `use_server`; one worker, as the targets assume)
    for the length of a `with`."""

    def __init__(
        self,
        run_dir: Path,
        database: Path,
        name: str,
        extra_env: Mapping[str, str] | None = None,
        application: str = "bench.asgi:application",
    ) -> None:
        self.port = servers.free_port()
        self._application = application
        self.log = run_dir / f"server-{name}-{self.port}.log"
        self._env = _env(database, extra_env or {})
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> BenchServer:
        self._process = servers.start_asgi(
            self.port,
            self._env,
            server=_server,
            application=self._application,
            log=self.log,
            server_args=_server_args,
        )
        if _server_cpus is not None:
            _pin(self._process.pid, _server_cpus)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._process is not None:
            servers.stop(self._process)

    @property
    def pid(self) -> int:
        """The server's (Python) process id."""
        if self._process is None:
            msg = "The server is not running: use it in a `with` block."
            raise RuntimeError(msg)
        return self._process.pid

    def alive(self) -> bool:
        """Whether the server process is still running."""
        return self._process is not None and self._process.poll() is None

    def rss_kib(self) -> int:
        """Resident memory of the server process (VmRSS), KiB."""
        with open(f"/proc/{self.pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        msg = f"No VmRSS in /proc/{self.pid}/status."
        raise RuntimeError(msg)

    def cpu_seconds(self) -> float:
        """User + system CPU time the server process has used."""
        with open(f"/proc/{self.pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        ticks = os.sysconf("SC_CLK_TCK")
        return (int(fields[11]) + int(fields[12])) / ticks

    def wait_idle(self, timeout: float = 15.0, busy: float = 0.02, interval: float = 0.25) -> bool:
        """Wait until the server uses under `busy` of a core over `interval`; False on timeout."""
        deadline = time.monotonic() + timeout
        before = self.cpu_seconds()
        while time.monotonic() < deadline:
            time.sleep(interval)
            after = self.cpu_seconds()
            if after - before <= busy * interval:
                return True
            before = after
        return False

    def settled_rss_kib(self, timeout: float = 15.0, tolerance: int = 64) -> int:
        """RSS once the server is idle and three readings in a row agree within `tolerance`."""
        deadline = time.monotonic() + timeout
        self.wait_idle(timeout)
        readings = [self.rss_kib()]
        while time.monotonic() < deadline:
            time.sleep(0.2)
            readings.append(self.rss_kib())
            last = readings[-3:]
            if len(last) == 3 and max(last) - min(last) <= tolerance:
                break
        return readings[-1]
