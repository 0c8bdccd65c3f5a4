"""Legal clocks of a case: acknowledgement, triage, feedback, investigation target."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from caseflow.clock import utcnow
from caseflow.enums import CaseState, Priority
from caseflow.models import Case

OPEN_STATES = (CaseState.RECEIVED, CaseState.TRIAGE, CaseState.INVESTIGATION, CaseState.ON_HOLD,
               CaseState.REPORTING)
CLOCK_LABELS = {
    "acknowledgement": _l("Acknowledgement"),
    "triage": _l("Triage decision"),
    "feedback": _l("Feedback to the reporter"),
    "investigation": _l("Investigation target"),
}


def add_months(when: datetime, months: int) -> datetime:
    """Return the same moment some months later (or earlier), clamped to the month's last day."""
    month_index = when.month - 1 + months
    year, month = when.year + month_index // 12, month_index % 12 + 1
    day = min(when.day, calendar.monthrange(year, month)[1])
    return when.replace(year=year, month=month, day=day)


@dataclass
class ClockStatus:
    """One legal clock of a case as of now."""

    name: str
    due_at: datetime | None
    done_at: datetime | None
    status: str  # met, late, open, due_soon, overdue, not_started

    @property
    def label(self) -> str:
        """Return the clock's translated name."""
        return str(CLOCK_LABELS[self.name])


def _cfg(key: str) -> Any:
    return current_app.config[key]


def feedback_base(case: Case) -> datetime:
    """Return when the feedback clock starts: acknowledgement, or the end of the acknowledgement period."""
    return case.acknowledged_at or case.received_at + timedelta(days=_cfg("CASEFLOW_ACK_DAYS"))


def due_dates(case: Case) -> dict[str, datetime | None]:
    """Return each clock's due date for a case (None when the clock has not started)."""
    target_days = _cfg("CASEFLOW_INVESTIGATION_DAYS")[case.priority.value]
    return {
        "acknowledgement": case.received_at + timedelta(days=_cfg("CASEFLOW_ACK_DAYS")),
        "triage": case.received_at + timedelta(days=_cfg("CASEFLOW_TRIAGE_DAYS")),
        "feedback": add_months(feedback_base(case), _cfg("CASEFLOW_FEEDBACK_MONTHS")),
        "investigation": (case.investigation_started_at + timedelta(days=target_days)
                          if case.investigation_started_at else None),
    }


def _status(due: datetime | None, done: datetime | None, active: bool, now: datetime) -> str:
    if due is None:
        return "not_started"
    if done is not None:
        return "met" if done <= due else "late"
    if not active:
        return "open" if due >= now else "late"
    if due < now:
        return "overdue"
    if due - now <= timedelta(days=_cfg("CASEFLOW_REMINDER_DAYS")):
        return "due_soon"
    return "open"


def case_clocks(case: Case, now: datetime | None = None) -> list[ClockStatus]:
    """Return the status of every legal clock of a case."""
    now = now or utcnow()
    is_open = case.state in OPEN_STATES
    due = due_dates(case)
    done = {
        "acknowledgement": case.acknowledged_at,
        "triage": case.triaged_at,
        "feedback": case.feedback_given_at,
        "investigation": case.reporting_at,
    }
    active = {
        "acknowledgement": is_open,
        "triage": case.state in (CaseState.RECEIVED, CaseState.TRIAGE),
        "feedback": is_open,
        "investigation": case.state in (CaseState.INVESTIGATION, CaseState.ON_HOLD),
    }
    return [ClockStatus(name, due[name], done[name], _status(due[name], done[name], active[name], now))
            for name in CLOCK_LABELS]


def _windows(start: datetime | None, end: datetime) -> list[sa.ColumnElement[bool]]:
    """Return, per clock, the SQL condition 'due in [start, end) and not done and still running'."""
    ack_days = timedelta(days=_cfg("CASEFLOW_ACK_DAYS"))
    triage_days = timedelta(days=_cfg("CASEFLOW_TRIAGE_DAYS"))
    months = _cfg("CASEFLOW_FEEDBACK_MONTHS")

    def between(column: Any, shift_lo: datetime | None, shift_hi: datetime) -> sa.ColumnElement[bool]:
        cond = column < shift_hi
        return sa.and_(cond, column >= shift_lo) if shift_lo is not None else cond

    def back(when: datetime | None, delta: timedelta) -> datetime | None:
        return None if when is None else when - delta

    def back_months(when: datetime | None, extra: timedelta = timedelta(0)) -> datetime | None:
        return None if when is None else add_months(when, -months) - extra

    clauses = [
        sa.and_(Case.acknowledged_at.is_(None), Case.state.in_(OPEN_STATES),
                between(Case.received_at, back(start, ack_days), back(end, ack_days))),  # type: ignore[arg-type]
        sa.and_(Case.triaged_at.is_(None), Case.state.in_((CaseState.RECEIVED, CaseState.TRIAGE)),
                between(Case.received_at, back(start, triage_days), back(end, triage_days))),  # type: ignore[arg-type]
        sa.and_(Case.feedback_given_at.is_(None), Case.state.in_(OPEN_STATES), sa.or_(
            sa.and_(Case.acknowledged_at.is_not(None),
                    between(Case.acknowledged_at, back_months(start), back_months(end))),  # type: ignore[arg-type]
            sa.and_(Case.acknowledged_at.is_(None),
                    between(Case.received_at, back_months(start, ack_days),
                            back_months(end, ack_days))),  # type: ignore[arg-type]
        )),
    ]
    for priority, days in _cfg("CASEFLOW_INVESTIGATION_DAYS").items():
        delta = timedelta(days=days)
        clauses.append(sa.and_(
            Case.priority == Priority(priority),
            Case.state.in_((CaseState.INVESTIGATION, CaseState.ON_HOLD)),
            between(Case.investigation_started_at, back(start, delta), back(end, delta)),  # type: ignore[arg-type]
        ))
    return clauses


def overdue_clause(now: datetime | None = None) -> sa.ColumnElement[bool]:
    """Return a SQL condition: some clock of the case is past due and not done."""
    return sa.or_(*_windows(None, now or utcnow()))


def due_soon_clause(now: datetime | None = None, days: int = 7) -> sa.ColumnElement[bool]:
    """Return a SQL condition: some clock falls due within the next days and is not done."""
    now = now or utcnow()
    return sa.or_(*_windows(now, now + timedelta(days=days)))
