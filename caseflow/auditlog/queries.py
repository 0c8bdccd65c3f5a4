"""Audit-log filters and the query they build."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from caseflow.extensions import db
from caseflow.inputs import MAX_DATE, MIN_DATE, parse_date, parse_int
from caseflow.models import AuditEvent, Case

PER_PAGE = 50
MAX_PAGE = 1_000_000  # a larger page number is read as the first page


def _date(value: str | None) -> date | None:
    return parse_date(value, MIN_DATE, MAX_DATE)


@dataclass
class AuditFilters:
    """What the auditor asked for: who, which case, which action, between which dates, which page."""

    user: str = ""
    case: str = ""
    action: str = ""
    date_from: date | None = None
    date_to: date | None = None
    page: int = 1

    @classmethod
    def from_args(cls, args: MultiDict[str, str]) -> AuditFilters:
        """Parse the query string; unusable values are ignored."""
        page = parse_int(args.get("page"), 1, MAX_PAGE) or 1
        return cls(user=(args.get("user") or "").strip()[:120], case=(args.get("case") or "").strip()[:32],
                   action=(args.get("action") or "").strip()[:64], date_from=_date(args.get("from")),
                   date_to=_date(args.get("to")), page=page)

    def as_args(self, **override: Any) -> dict[str, Any]:
        """Return the filters as query-string arguments (for links to other pages and the export)."""
        args = {"user": self.user, "case": self.case, "action": self.action,
                "from": self.date_from.isoformat() if self.date_from else "",
                "to": self.date_to.isoformat() if self.date_to else "", "page": self.page}
        args.update(override)
        return {k: v for k, v in args.items() if v not in ("", None) and not (k == "page" and v == 1)}

    def as_detail(self) -> dict[str, Any]:
        """Return the filters for the audit event that records an export."""
        return {k: v for k, v in self.as_args(page=1).items()}


def events_query(filters: AuditFilters) -> sa.Select[Any]:
    """Return the events matching the filters, newest first, with their case numbers."""
    stmt = (sa.select(AuditEvent, Case.number).outerjoin(Case, Case.id == AuditEvent.case_id)
            .order_by(AuditEvent.seq.desc()))
    if filters.user:
        stmt = stmt.where(AuditEvent.actor_label == filters.user)
    if filters.case:
        stmt = stmt.where(Case.number == filters.case)
    if filters.action:
        if filters.action.endswith("."):
            stmt = stmt.where(AuditEvent.action.startswith(filters.action, autoescape=True))
        else:
            stmt = stmt.where(AuditEvent.action == filters.action)
    if filters.date_from:
        stmt = stmt.where(AuditEvent.occurred_at >= datetime.combine(filters.date_from, datetime.min.time()))
    if filters.date_to:
        end = datetime.combine(filters.date_to, datetime.min.time()) + timedelta(days=1)
        stmt = stmt.where(AuditEvent.occurred_at < end)
    return stmt


@dataclass
class AuditPage:
    """One page of audit events."""

    rows: list[tuple[AuditEvent, str | None]]
    page: int
    has_next: bool


def events_page(filters: AuditFilters) -> AuditPage:
    """Return one page of matching events (one extra row is read to know whether a next page exists)."""
    stmt = events_query(filters).limit(PER_PAGE + 1).offset((filters.page - 1) * PER_PAGE)
    rows = [(event, number) for event, number in db.session.execute(stmt)]
    return AuditPage(rows=rows[:PER_PAGE], page=filters.page, has_next=len(rows) > PER_PAGE)


def known_actions() -> list[str]:
    """Return every action name present in the log, for the filter list."""
    return list(db.session.scalars(sa.select(AuditEvent.action).distinct().order_by(AuditEvent.action)))
