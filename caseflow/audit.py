"""The tamper-evident audit log: append in the caller's transaction, hash chain, verify."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

import sqlalchemy as sa

from caseflow.audit_verify import check_chain
from caseflow.clock import is_reporter_side, reporter_time, utcnow
from caseflow.extensions import db
from caseflow.models.audit import AuditEvent, AuditHead
from caseflow.models.base import table_of
from caseflow.sqlcompat import insert_ignore

if TYPE_CHECKING:
    import sqlite3

    from caseflow.models import Case, User

GENESIS = "0" * 64
SEP = "\x1f"


def encode_detail(detail: dict[str, Any] | None) -> str:
    """Return the canonical JSON text of an event's detail."""
    return json.dumps(detail or {}, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _ts(value: datetime | str) -> str:
    """Return a timestamp in the one text form hashed (microsecond ISO-8601)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.isoformat(sep="T", timespec="microseconds")


def event_hash(prev_hash: str, seq: int, occurred_at: datetime | str, actor_id: int | None,
               actor_label: str, case_id: int | None, action: str, detail: str) -> str:
    """Return SHA-256 over the previous hash and the canonical encoding of one event."""
    canonical = SEP.join((
        prev_hash, str(seq), _ts(occurred_at), "" if actor_id is None else str(actor_id),
        actor_label, "" if case_id is None else str(case_id), action, detail,
    ))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def record(action: str, actor: User | None, case: Case | None = None,
           detail: dict[str, Any] | None = None, case_id: int | None = None,
           actor_label: str | None = None, day_only: bool = False) -> AuditEvent:
    """Append one audit event to the chain, in the caller's transaction (day_only: dated to the day, no time)."""
    if case is not None:
        if case.id is None:
            db.session.flush()
        case_id = case.id
    head_table = table_of(AuditHead)
    bump = (
        sa.update(head_table).where(head_table.c.id == 1)
        .values(seq=head_table.c.seq + 1).returning(head_table.c.seq, head_table.c.last_hash)
    )
    row = db.session.execute(bump).one_or_none()
    if row is None:
        insert_ignore(head_table, id=1, seq=0, last_hash=GENESIS)
        row = db.session.execute(bump).one()
    seq, prev_hash = int(row[0]), row[1] or GENESIS
    label = actor_label or (actor.username if actor is not None else "system")
    label = label.replace(SEP, " ")[:120]
    occurred_at = reporter_time() if is_reporter_side() else utcnow()  # a reporter's acts: to the hour
    if day_only:  # e.g. a reporter's visit: the time of day could be matched against other records
        occurred_at = occurred_at.replace(hour=0, minute=0, second=0, microsecond=0)
    detail_text = encode_detail(detail)
    actor_id = actor.id if actor is not None else None
    digest = event_hash(prev_hash, seq, occurred_at, actor_id, label, case_id, action, detail_text)
    event = AuditEvent(seq=seq, occurred_at=occurred_at, actor_id=actor_id, actor_label=label,
                       case_id=case_id, action=action, detail=detail_text, prev_hash=prev_hash, hash=digest)
    db.session.add(event)
    db.session.execute(sa.update(head_table).where(head_table.c.id == 1).values(last_hash=digest))
    return event


@dataclass
class VerifyResult:
    """The outcome of verifying the chain."""

    ok: bool
    count: int
    broken_seq: int | None = None
    message: str = ""


# PostgreSQL recomputes every hash itself (sha256() in C, 11+) and reports only the first bad event.
_PG_VERIFY = """
WITH chain AS (
  SELECT seq, prev_hash, hash,
         row_number() OVER (ORDER BY seq) AS rn,
         coalesce(lag(hash) OVER (ORDER BY seq), :genesis) AS expected_prev,
         encode(sha256(convert_to(prev_hash || :sep || seq::text || :sep
           || to_char(occurred_at, 'YYYY-MM-DD"T"HH24:MI:SS.US') || :sep || coalesce(actor_id::text, '') || :sep
           || actor_label || :sep || coalesce(case_id::text, '') || :sep || action || :sep || detail,
           'UTF8')), 'hex') AS computed
  FROM audit_events
)
SELECT (SELECT count(*) FROM audit_events),
       bad.rn, bad.seq, bad.prev_hash = bad.expected_prev, bad.computed = bad.hash,
       (SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1)
FROM (SELECT 1) AS one
LEFT JOIN LATERAL (
  SELECT * FROM chain WHERE rn <> seq OR prev_hash <> expected_prev OR computed <> hash ORDER BY seq LIMIT 1
) AS bad ON true
"""


def _verify_postgres() -> tuple[VerifyResult | None, int, str]:
    """Verify the chain inside PostgreSQL; return (failure or None, event count, last hash)."""
    row = db.session.execute(sa.text(_PG_VERIFY), {"genesis": GENESIS, "sep": SEP}).one()
    total, rn, seq, links, same, last = row
    if rn is None:
        return None, int(total), last or GENESIS
    count = int(rn) - 1
    if seq != rn:
        return VerifyResult(False, count, int(rn), f"event #{rn} is missing or out of order (found #{seq})"), 0, ""
    if not links:
        return VerifyResult(False, count, int(seq), f"event #{seq} does not link to event #{seq - 1}"), 0, ""
    return VerifyResult(False, count, int(seq), f"event #{seq} was altered (hash mismatch)"), 0, ""


def verify_chain(*, parallel_from: int | None = None) -> VerifyResult:
    """Check every event's hash and link, that sequence numbers have no gap, and the head matches."""
    if db.session.get_bind().dialect.name == "postgresql":
        failure, count, expected_prev = _verify_postgres()
        if failure is not None:
            return failure
        return _check_head(count, expected_prev)
    # SQLite: the session's own sqlite3 connection (it sees this transaction); chains of parallel_from events
    # (default audit_verify.PARALLEL_MIN_EVENTS) or more in a database file are split over two processes
    found = check_chain(cast("sqlite3.Connection", db.session.connection().connection.driver_connection),
                        parallel_from)
    if found.broken_seq is not None:
        return VerifyResult(False, found.count, found.broken_seq, found.message)
    return _check_head(found.count, found.last_hash or GENESIS)


def _check_head(count: int, expected_prev: str) -> VerifyResult:
    """Compare the verified chain's end with the head row (detects removal of the last events)."""
    head = db.session.get(AuditHead, 1)
    if head is not None and (head.seq != count or (count and head.last_hash != expected_prev)):
        return VerifyResult(False, count, count + 1,
                            f"the chain ends at event #{count} but the head says #{head.seq}: events were removed")
    return VerifyResult(True, count)


def head_hash() -> str:
    """Return the hash of the latest event (the chain head), or the genesis value."""
    head = db.session.get(AuditHead, 1)
    return head.last_hash if head is not None and head.last_hash else GENESIS


def case_timeline(case_id: int) -> list[AuditEvent]:
    """Return a case's audit events, oldest first."""
    return list(db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.case_id == case_id).order_by(AuditEvent.seq)
    ))
