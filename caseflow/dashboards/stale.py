"""Mark dashboard months stale when a flush changes what they count (cases, findings, reporters' follow-up).

The marks are written in the same transaction as the change, so a rolled-back change marks nothing. Bulk
paths that write the case tables with Core statements call mark_stale() themselves.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from caseflow.dashboards.months import month_key
from caseflow.models import Allegation, Case, ReporterMessage, ReportSubmission
from caseflow.models.rollup import DashboardStale

CASE_FIELDS = ("received_at", "office_id", "category_id", "channel", "is_anonymous", "acknowledged_at",
               "triaged_at", "feedback_given_at", "closed_at")
SCOPE_FIELDS = ("office_id", "category_id", "channel")
ALLEGATION_FIELDS = ("finding_at", "finding", "decided_sanction", "case_id")


def _key(when: Any) -> str | None:
    if isinstance(when, str):
        when = datetime.fromisoformat(when)
    return month_key(when) if isinstance(when, datetime) else None


def _values(obj: Any, name: str) -> list[Any]:
    """Return the old and new values of an attribute in this flush."""
    history = sa.inspect(obj).attrs[name].history
    values = [*(history.added or ()), *(history.deleted or ()), *(history.unchanged or ())]
    return values or [getattr(obj, name)]  # not loaded (expired after a commit): load it


def _changed(obj: Any, names: Iterable[str]) -> bool:
    state = sa.inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def mark_stale(conn: sa.Connection, marks: Iterable[tuple[str | None, str]]) -> None:
    """Record (month, part) marks; months given as None are ignored."""
    rows = [{"month": m, "part": p} for m, p in sorted({(m, p) for m, p in marks if m})]
    if rows:
        conn.execute(sa.insert(DashboardStale), rows)


def mark_cases_received(conn: sa.Connection, received: Iterable[datetime]) -> None:
    """Mark the months of newly received cases stale (for bulk imports that bypass the ORM)."""
    mark_stale(conn, ((_key(when), "cases") for when in received))


def _case_months(conn: sa.Connection, case_ids: set[int]) -> list[str | None]:
    if not case_ids:
        return []
    return [_key(v) for v in conn.execute(sa.select(Case.received_at).where(Case.id.in_(case_ids))).scalars()]


def _finding_months(conn: sa.Connection, case_ids: set[int]) -> list[str | None]:
    if not case_ids:
        return []
    stmt = sa.select(Allegation.finding_at).where(Allegation.case_id.in_(case_ids),
                                                  Allegation.finding_at.is_not(None))
    return [_key(v) for v in conn.execute(stmt).scalars()]


def collect_marks(session: Session) -> set[tuple[str | None, str]]:
    """Return the (month, part) marks the pending flush makes stale."""
    marks: set[tuple[str | None, str]] = set()
    followed: set[int] = set()
    rescoped: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        is_new = obj in session.new or obj in session.deleted
        if isinstance(obj, Case):
            if is_new or _changed(obj, CASE_FIELDS):
                marks.update((_key(v), "cases") for v in _values(obj, "received_at"))
            if not is_new and _changed(obj, SCOPE_FIELDS):
                rescoped.add(obj.id)
        elif isinstance(obj, Allegation):
            if is_new or _changed(obj, ALLEGATION_FIELDS):
                marks.update((_key(v), "findings") for v in _values(obj, "finding_at"))
        elif (isinstance(obj, ReporterMessage) and obj in session.new) or \
                (isinstance(obj, ReportSubmission) and (is_new or _changed(obj, ("last_reporter_login_at",)))):
            case = session.identity_map.get(sa.inspect(Case).identity_key_from_primary_key((obj.case_id,))) \
                if obj.case_id else getattr(obj, "case", None)
            if case is not None:
                marks.add((_key(case.received_at), "cases"))
            else:
                followed.add(obj.case_id)
    conn = session.connection()
    marks.update((m, "cases") for m in _case_months(conn, {c for c in followed if c}))
    marks.update((m, "findings") for m in _finding_months(conn, {c for c in rescoped if c}))
    return marks


@sa.event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    """Remember what this flush changes (attribute history is complete before the flush)."""
    if not any(isinstance(o, (Case, Allegation, ReporterMessage, ReportSubmission))
               for o in (*session.new, *session.dirty, *session.deleted)):
        return
    with session.no_autoflush:
        marks = collect_marks(session)
    session.info.setdefault("caseflow_stale", set()).update(marks)


@sa.event.listens_for(Session, "after_flush_postexec")
def _after_flush(session: Session, _context: Any) -> None:
    """Write the remembered marks in the flush's transaction."""
    marks = session.info.pop("caseflow_stale", None)
    if marks:
        mark_stale(session.connection(), marks)
