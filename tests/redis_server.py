"""A real redis-server on a free loopback port, in a temporary folder, with no persistence, for limit tests."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.served_portal import free_port


class RedisServer:
    """One redis-server process (each xdist worker starts its own): started, stopped and started again."""

    def __init__(self, folder: Path) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.fail("redis-server is not installed: run scripts/install-system-deps.sh (make test does)")
        self.binary, self.folder, self.port = binary, folder, free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """The URL the app is given (CASEFLOW_LIMITER_URL)."""
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        """Start the server on its port and wait until it answers PING."""
        log = open(self.folder / "redis.log", "ab")  # noqa: SIM115 - kept open by the child
        self.proc = subprocess.Popen(  # noqa: S603 - fixed argv
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.folder),
             "--save", "", "--appendonly", "no", "--daemonize", "no", "--databases", "1"],
            stdout=log, stderr=log)
        log.close()
        for _ in range(100):
            if self.command("PING") == "+PONG":
                return
            assert self.proc.poll() is None, (self.folder / "redis.log").read_text()
            time.sleep(0.05)
        raise AssertionError(f"redis-server did not start: {(self.folder / 'redis.log').read_text()}")

    def stop(self) -> None:
        """Stop the server (its counters are gone: nothing is persisted)."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def command(self, *words: str) -> str | None:
        """Send one command (inline protocol); return the first reply line, or None if nobody answers."""
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=2) as conn:
                conn.sendall((" ".join(words) + "\r\n").encode())
                return conn.recv(4096).decode().split("\r\n", 1)[0]
        except OSError:
            return None

    def flush(self) -> None:
        """Forget every counter."""
        assert self.command("FLUSHALL") == "+OK"


def run_redis(folder: Path) -> Iterator[RedisServer]:
    """Start a server in the folder, yield it, stop it."""
    server = RedisServer(folder)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """This xdist worker's own redis-server (so parallel workers never share a counter)."""
    yield from run_redis(tmp_path_factory.mktemp("redis"))


@pytest.fixture
def redis_url(redis_server: RedisServer) -> str:
    """The URL of this worker's redis-server, emptied for the test."""
    redis_server.flush()
    return redis_server.url


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[RedisServer]:
    """A redis-server of the test's own, which it may stop and start again (an outage)."""
    yield from run_redis(tmp_path)
