"""Audit-chain verification on SQLite: driver rows, one join and one SHA-256 per event, two processes when long.

A long chain in a database file is split at the middle sequence number: a worker process (this file run as a
script with the same interpreter; standard library only, so it starts in tens of milliseconds) checks the first
half through its own read-only connection while the caller checks the second half on its own connection, and
the caller checks the link between the halves. The split pass only proves a chain intact: if it finds anything
wrong, or the worker cannot run, the single-process pass runs, so the first bad event is reported exactly as
before. This module must keep importing only the standard library.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import subprocess  # noqa: S404 - runs this file with the same interpreter and fixed arguments, no shell
import sys
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

# The same values as caseflow.audit (a test keeps them equal); this file also runs without the package.
GENESIS = "0" * 64
SEP = "\x1f"
PARALLEL_MIN_EVENTS = 50_000  # shorter chains take longer to split than to check in one process
_ALL = ("SELECT seq, prev_hash, hash, occurred_at, actor_id, actor_label, case_id, action, detail"
        " FROM audit_events ORDER BY seq")
_UPTO = ("SELECT seq, prev_hash, hash, occurred_at, actor_id, actor_label, case_id, action, detail"
         " FROM audit_events WHERE seq <= ? ORDER BY seq")
_AFTER = ("SELECT seq, prev_hash, hash, occurred_at, actor_id, actor_label, case_id, action, detail"
          " FROM audit_events WHERE seq > ? ORDER BY seq")
_BATCH = 4096

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ChainCheck:
    """What a pass over the chain (or a seq range of it) found."""

    count: int  # events verified, in order, from the range's first sequence number
    last_hash: str | None  # hash of the last verified event (None: none in a range that starts mid-chain)
    first_prev: str | None = None  # stored prev_hash of the range's first event, when its link is left to the caller
    broken_seq: int | None = None
    message: str = ""


def _timestamp(value: Any) -> str:
    """Return the hashed timestamp text exactly as the serial verifier always did (any stored form)."""
    if isinstance(value, str) and len(value) == 26 and value[10] == " ":
        return value[:10] + "T" + value[11:]
    if (isinstance(value, str) and len(value) == 19 and value[10] == " " and value[4] == value[7] == "-"
            and value[13] == value[16] == ":"):
        datetime.fromisoformat(value)  # 'YYYY-MM-DD HH:MM:SS': validated (and refused) as before, not re-formatted
        return value[:10] + "T" + value[11:] + ".000000"
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.isoformat(sep="T", timespec="microseconds")


def check_rows(cursor: sqlite3.Cursor, first_seq: int = 1, prev: str | None = GENESIS) -> ChainCheck:
    """Verify selected rows in seq order from first_seq; prev None leaves the first event's link to the caller."""
    sha256 = hashlib.sha256
    join = SEP.join
    fetchmany = cursor.fetchmany
    expected_seq = first_seq
    expected_prev = prev
    first_prev: str | None = None
    rows = fetchmany(_BATCH)
    if rows and prev is None:
        first_prev = rows[0][1]
    while rows:
        for seq, prev_hash, digest, ts, actor_id, label, case_id, action, detail in rows:
            if seq != expected_seq:
                return ChainCheck(expected_seq - first_seq, expected_prev, first_prev, expected_seq,
                                  f"event #{expected_seq} is missing or out of order (found #{seq})")
            if prev_hash != expected_prev and expected_prev is not None:
                return ChainCheck(expected_seq - first_seq, expected_prev, first_prev, seq,
                                  f"event #{seq} does not link to event #{seq - 1}")
            # the stored 'YYYY-MM-DD HH:MM:SS.ffffff' needs only its space made a 'T'; any other form goes the long way
            if ts.__class__ is str and len(ts) == 26 and ts.find(" ") == 10:
                ts = ts.replace(" ", "T", 1)
            else:
                ts = _timestamp(ts)
            canonical = join((prev_hash, str(seq), ts, "" if actor_id is None else str(actor_id), label,
                              "" if case_id is None else str(case_id), action, detail))
            if sha256(canonical.encode("utf-8")).hexdigest() != digest:
                return ChainCheck(expected_seq - first_seq, expected_prev, first_prev, seq,
                                  f"event #{seq} was altered (hash mismatch)")
            expected_prev = digest
            expected_seq += 1
        rows = fetchmany(_BATCH)
    return ChainCheck(expected_seq - first_seq, expected_prev, first_prev)


def check_range(conn: sqlite3.Connection, after: int | None = None, upto: int | None = None) -> ChainCheck:
    """Verify the whole chain, or only the events with seq > after, or only those with seq <= upto."""
    cursor = conn.cursor()
    try:
        if after is not None:
            cursor.execute(_AFTER, (after,))
            return check_rows(cursor, after + 1, None)
        if upto is not None:
            cursor.execute(_UPTO, (upto,))
        else:
            cursor.execute(_ALL)
        return check_rows(cursor)
    finally:
        cursor.close()


def check_chain(conn: sqlite3.Connection, parallel_from: int | None = None) -> ChainCheck:
    """Verify the whole chain as this connection sees it; split a long chain in a file over two processes."""
    split = _split_point(conn, PARALLEL_MIN_EVENTS if parallel_from is None else parallel_from)
    if split is not None:
        found = _check_split(conn, *split)
        if found is not None:
            return found
    return check_range(conn)


def _split_point(conn: sqlite3.Connection, parallel_from: int) -> tuple[str, int] | None:
    """Return (database file, last seq of the first half) when the chain is worth splitting, else None."""
    if conn.in_transaction:  # this connection's uncommitted writes would be invisible to the worker
        return None
    if not os.path.basename(sys.executable or "").startswith("python"):  # embedded (uWSGI...): no interpreter to run
        return None
    path = next((str(row[2]) for row in conn.execute("PRAGMA database_list") if row[1] == "main"), "")
    if not path:  # in-memory or temporary database
        return None
    last = conn.execute("SELECT max(seq) FROM audit_events").fetchone()[0]
    if not isinstance(last, int) or last < max(parallel_from, 2):
        return None
    return path, last // 2


def _check_split(conn: sqlite3.Connection, path: str, middle: int) -> ChainCheck | None:
    """Check seq <= middle in a worker process and the rest here; the intact chain's check, else None (fault found)."""
    command = [sys.executable, "-I", __file__, path, str(middle)]
    try:
        worker = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # noqa: S603
    except OSError as exc:
        log.warning("audit-verify worker did not start (%s); verifying in one process", exc)
        return None
    try:
        tail = check_range(conn, after=middle)
    except BaseException:
        worker.kill()
        worker.communicate()
        raise
    out, err = worker.communicate()
    try:
        head = ChainCheck(**json.loads(out)) if worker.returncode == 0 else None
    except (ValueError, TypeError):
        head = None
    if head is None:
        log.warning("audit-verify worker failed (exit %s): %s", worker.returncode, err.strip()[-500:])
        return None
    if (head.broken_seq is None and head.count == middle and tail.broken_seq is None and tail.count > 0
            and tail.first_prev == head.last_hash):
        return ChainCheck(middle + tail.count, tail.last_hash)
    return None


def _main(argv: list[str]) -> int:
    """Worker: verify the events with seq <= argv[2] of the database file argv[1]; print the check as JSON."""
    conn = sqlite3.connect(f"file:{quote(argv[1])}?mode=ro", uri=True)
    try:
        found = check_range(conn, upto=int(argv[2]))
    finally:
        conn.close()
    print(json.dumps(asdict(found)))
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv))
