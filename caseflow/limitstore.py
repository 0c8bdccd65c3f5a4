"""Limits storages: fixed-window counters in one SQLite file that every gunicorn worker of a host shares, and a
shared Redis that, while unreachable, hands its counting to that host-local file instead of failing requests."""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from typing import Any

from limits.storage import Storage, storage_from_string

log = logging.getLogger("caseflow.limits")


class SqliteStorage(Storage):
    """Fixed-window counters in one SQLite file: atomic across the processes of one host."""

    STORAGE_SCHEME = ["caseflow+sqlite"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: Any) -> None:
        self.path = (uri or "").split("://", 1)[1]
        self._local = threading.local()
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        with self._connection() as conn:
            conn.execute("CREATE TABLE IF NOT EXISTS counters (key TEXT PRIMARY KEY, value INTEGER NOT NULL, "
                         "expires REAL NOT NULL)")

    @property
    def base_exceptions(self) -> type[Exception]:
        """The errors the storage may raise."""
        return sqlite3.Error

    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None or getattr(self._local, "pid", None) != os.getpid():  # never share a socket across fork
            if not os.path.exists(self.path):
                os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600))
            conn = sqlite3.connect(self.path, timeout=10, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            self._local.conn, self._local.pid = conn, os.getpid()
        return conn

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        """Add to a counter, starting a new window if the last one is over; return the new count."""
        conn, now = self._connection(), time.time()
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute("INSERT INTO counters (key, value, expires) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE "
                         "SET value = CASE WHEN expires <= ? THEN excluded.value ELSE value + excluded.value END, "
                         "expires = CASE WHEN expires <= ? THEN excluded.expires ELSE expires END",
                         (key, amount, now + expiry, now, now))
            value = conn.execute("SELECT value FROM counters WHERE key = ?", (key,)).fetchone()[0]
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return int(value)

    def get(self, key: str) -> int:
        """Return a counter's value in its current window (0 when over)."""
        row = self._connection().execute("SELECT value FROM counters WHERE key = ? AND expires > ?",
                                         (key, time.time())).fetchone()
        return int(row[0]) if row else 0

    def get_expiry(self, key: str) -> float:
        """Return when a counter's window ends."""
        row = self._connection().execute("SELECT expires FROM counters WHERE key = ?", (key,)).fetchone()
        return float(row[0]) if row else time.time()

    def check(self) -> bool:
        """Tell whether the file can be read."""
        try:
            self._connection().execute("SELECT 1")
        except sqlite3.Error:
            return False
        return True

    def reset(self) -> int | None:
        """Remove every counter."""
        return self._connection().execute("DELETE FROM counters").rowcount

    def clear(self, key: str) -> None:
        """Remove one counter."""
        self._connection().execute("DELETE FROM counters WHERE key = ?", (key,))


class FailoverStorage(Storage):
    """A shared storage (Redis) that falls back to this host's SQLite file while it cannot be reached.

    Failing closed would lock every reporter out while Redis is down (and let whoever can stop Redis do so);
    failing open would lift the guessing bound. Counting on the host-local file keeps every limit, counted per
    host instead of across hosts, and logs a warning; the shared storage is tried again every few seconds.
    """

    STORAGE_SCHEME = ["caseflow+failover"]
    # A request must not wait on a dead Redis: short timeouts, no retry (the fallback answers at once).
    SHARED_OPTIONS: dict[str, Any] = {"socket_connect_timeout": 1.0, "socket_timeout": 1.0}

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, shared: str = "", local: str = "",
                 retry_seconds: float = 5.0, **options: Any) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions)
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        client: dict[str, Any] = {**self.SHARED_OPTIONS, "retry": Retry(NoBackoff(), 0), **options}
        self.shared: Storage = storage_from_string(shared, **client)  # type: ignore[assignment]
        self.local: Storage = storage_from_string(local)  # type: ignore[assignment]
        self.retry_seconds = float(retry_seconds)
        self._down_since: float | None = None
        self._next_try = 0.0

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        """The errors that reach the caller: only the host-local file's (the shared storage's are handled)."""
        return self.local.base_exceptions

    @property
    def shared_down(self) -> bool:
        """Tell whether this process is counting on the host-local file now."""
        return self._down_since is not None

    def _use(self, method: str, *args: Any) -> Any:
        now = time.monotonic()
        if self._down_since is None or now >= self._next_try:
            try:
                result = getattr(self.shared, method)(*args)
            except self.shared.base_exceptions as exc:
                if self._down_since is None:
                    self._down_since = now
                    log.warning("rate-limit storage unreachable (%s): counting on this host's file until it is "
                                "back; limits are per host meanwhile", type(exc).__name__)
                self._next_try = now + self.retry_seconds
            else:
                if self._down_since is not None:
                    log.warning("rate-limit storage reachable again after %.0f s: counting across hosts",
                                now - self._down_since)
                    self._down_since = None
                return result
        return getattr(self.local, method)(*args)

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        """Add to a counter in the shared storage, or in the host's file while the shared one is down."""
        return int(self._use("incr", key, expiry, amount))

    def get(self, key: str) -> int:
        """Return a counter's value from wherever counting happens now."""
        return int(self._use("get", key))

    def get_expiry(self, key: str) -> float:
        """Return when a counter's window ends."""
        return float(self._use("get_expiry", key))

    def check(self) -> bool:
        """Tell whether limits can be counted (on the shared storage or, failing that, the host's file)."""
        return bool(self.shared.check() or self.local.check())

    def reset(self) -> int | None:
        """Remove every counter, in both storages (what the shared one cannot do now is left to it)."""
        try:
            self.shared.reset()
        except self.shared.base_exceptions:
            log.warning("rate-limit storage unreachable: only this host's counters were reset")
        return self.local.reset()

    def clear(self, key: str) -> None:
        """Remove one counter from both storages."""
        try:
            self.shared.clear(key)
        except self.shared.base_exceptions:
            log.warning("rate-limit storage unreachable: a counter was cleared on this host only")
        self.local.clear(key)
