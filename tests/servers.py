"""Real servers for tests and benchmarks: PostgreSQL, redis-server and an ASGI server.

Each is started from its Debian package (or the virtualenv's uvicorn/daphne) on 127.0.0.1,
waited for with a readiness check, and stopped by the caller.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Generator, Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """An unused TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll `condition` until true, or fail naming `what`."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            msg = f"{what} did not become ready within {timeout}s"
            raise TimeoutError(msg)
        time.sleep(0.05)  # polling until the deadline


def port_open(port: int) -> bool:
    """Whether something accepts TCP connections on 127.0.0.1:`port`."""
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
        return True
    return False


def _postgres_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        msg = "PostgreSQL is not installed: apt-get install postgresql (scripts/check does it)."
        raise RuntimeError(msg)
    return found[-1]


def _as_postgres(command: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root; CI runs as root.
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextlib.contextmanager
def postgres(port: int, directory: Path) -> Generator[None]:
    """A throwaway PostgreSQL cluster (trust auth, user `postgres`, database `reactpy`)."""
    if port_open(port):
        msg = f"Port {port} is taken; set REACTPY_TEST_PG_PORT to a free one."
        raise RuntimeError(msg)
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres", "postgres")
    data = directory / "data"
    subprocess.run(
        _as_postgres([_postgres_bin("initdb"), "-D", str(data), "-U", "postgres", "-A", "trust"]),
        check=True,
        capture_output=True,
    )
    process = subprocess.Popen(
        _as_postgres(
            [
                _postgres_bin("postgres"),
                "-D",
                str(data),
                "-p",
                str(port),
                "-h",
                "127.0.0.1",
                "-k",
                str(directory),
                "-c",
                "fsync=off",
                "-c",
                "synchronous_commit=off",
                "-c",
                "full_page_writes=off",
                "-c",
                "max_connections=300",
            ]
        ),
        stdout=subprocess.DEVNULL,
        stderr=open(directory / "postgres.log", "wb"),  # noqa: SIM115  # closed with the process
    )
    try:
        wait_until(lambda: port_open(port), 30, "PostgreSQL")
        wait_until(
            lambda: (
                subprocess.run(
                    [_postgres_bin("pg_isready"), "-h", "127.0.0.1", "-p", str(port)],
                    capture_output=True,
                    check=False,
                ).returncode
                == 0
            ),
            30,
            "PostgreSQL",
        )
        subprocess.run(
            [
                _postgres_bin("createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "-U",
                "postgres",
                "reactpy",
            ],
            check=True,
            capture_output=True,
        )
        yield
    finally:
        # runuser ignores SIGINT, so signal the postmaster itself (postmaster.pid's first line).
        with contextlib.suppress(OSError, ValueError, IndexError):
            os.kill(int((data / "postmaster.pid").read_text().split()[0]), signal.SIGINT)
        process.send_signal(signal.SIGINT)  # fast shutdown
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()


@contextlib.contextmanager
def redis(port: int) -> Generator[subprocess.Popen[bytes]]:
    """A throwaway redis-server with no persistence."""
    binary = shutil.which("redis-server")
    if binary is None:
        msg = "redis-server is not installed: apt-get install redis-server (scripts/check does it)."
        raise RuntimeError(msg)
    if port_open(port):
        msg = f"Port {port} is taken; set REACTPY_TEST_REDIS_PORT to a free one."
        raise RuntimeError(msg)
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until(lambda: port_open(port), 20, "redis-server")
        yield process
    finally:
        process.terminate()
        process.wait(10)


def start_asgi(
    port: int,
    env: Mapping[str, str],
    *,
    server: str = "uvicorn",
    application: str = "tests.asgi:application",
    log: Path | None = None,
    server_args: Sequence[str] = (),
) -> subprocess.Popen[bytes]:
    """Start uvicorn or daphne serving `application` on 127.0.0.1:`port`; wait until it listens.

    `server_args` go on the server's command line before the application (say Daphne's
    `--ping-interval 50`)."""
    bin_dir = Path(sys.executable).parent
    if server == "uvicorn":
        command = [
            str(bin_dir / "uvicorn"),
            application,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--ws",
            "websockets-sansio",
            *server_args,
        ]
    else:
        command = [
            str(bin_dir / "daphne"),
            "-b",
            "127.0.0.1",
            "-p",
            str(port),
            *server_args,
            application,
        ]
    full_env = {
        **os.environ,
        **env,
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "demo")]),
    }
    output = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115  # kept for the process
    process = subprocess.Popen(command, cwd=ROOT, env=full_env, stdout=output, stderr=output)
    try:
        wait_until(lambda: port_open(port) or process.poll() is not None, 60, f"{server}")
    except TimeoutError:
        process.kill()
        raise
    if process.poll() is not None:
        msg = f"{server} exited with {process.returncode}; see {log}"
        raise RuntimeError(msg)
    return process


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a server started here."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
