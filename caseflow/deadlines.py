"""Legal clocks of a case: acknowledgement, triage, feedback, investigation target."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from caseflow.clock import utcnow
from caseflow.enums import CaseState, Priority
from caseflow.extensions import db
from caseflow.models import Case
from caseflow.models.units import ReportingUnit

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


def ack_days(case: Case) -> int:
    """Return the acknowledgement period of a case: its unit's if the unit sets one, else the installation's."""
    unit = case.unit if case.unit_id is not None else None
    return int(unit.ack_days) if unit is not None and unit.ack_days else int(_cfg("CASEFLOW_ACK_DAYS"))


def feedback_months(case: Case) -> int:
    """Return the feedback period of a case in months: its unit's if the unit sets one, else the installation's."""
    unit = case.unit if case.unit_id is not None else None
    return int(unit.feedback_months) if unit is not None and unit.feedback_months \
        else int(_cfg("CASEFLOW_FEEDBACK_MONTHS"))


def feedback_base(case: Case) -> datetime:
    """Return when the feedback clock starts: acknowledgement, or the end of the acknowledgement period."""
    return case.acknowledged_at or case.received_at + timedelta(days=ack_days(case))


def due_dates(case: Case) -> dict[str, datetime | None]:
    """Return each clock's due date for a case (None when the clock has not started)."""
    target_days = _cfg("CASEFLOW_INVESTIGATION_DAYS")[case.priority.value]
    return {
        "acknowledgement": case.received_at + timedelta(days=ack_days(case)),
        "triage": case.received_at + timedelta(days=_cfg("CASEFLOW_TRIAGE_DAYS")),
        "feedback": add_months(feedback_base(case), feedback_months(case)),
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


def clock_groups() -> list[tuple[sa.ColumnElement[bool], int, int]]:
    """Return (condition on Case, acknowledgement days, feedback months) for each set of clocks in force.

    Cases of a unit that sets its own periods follow them; every other case the installation's.
    """
    base_ack, base_months = int(_cfg("CASEFLOW_ACK_DAYS")), int(_cfg("CASEFLOW_FEEDBACK_MONTHS"))
    own = db.session.execute(sa.select(ReportingUnit.id, ReportingUnit.ack_days, ReportingUnit.feedback_months)
                             .where(sa.or_(ReportingUnit.ack_days.is_not(None),
                                           ReportingUnit.feedback_months.is_not(None)))).all()
    if not own:
        return [(sa.true(), base_ack, base_months)]
    ids = [row[0] for row in own]
    groups = [(sa.or_(Case.unit_id.is_(None), Case.unit_id.not_in(ids)), base_ack, base_months)]
    groups += [(Case.unit_id == uid, int(a or base_ack), int(m or base_months)) for uid, a, m in own]
    return groups


def _windows(start: datetime | None, end: datetime) -> list[sa.ColumnElement[bool]]:
    """Return, per clock, the SQL condition 'due in [start, end) and not done and still running'."""
    groups = clock_groups()
    if len(groups) == 1:
        return _group_windows(start, end, groups[0][1], groups[0][2])
    per_group = [_group_windows(start, end, a, m) for _scope, a, m in groups]
    return [sa.or_(*[sa.and_(scope, windows[i]) for (scope, _a, _m), windows in zip(groups, per_group, strict=True)])
            for i in range(len(per_group[0]))]


def _group_windows(start: datetime | None, end: datetime, ack: int, months: int) -> list[sa.ColumnElement[bool]]:
    """Return the per-clock conditions of _windows() for one set of acknowledgement and feedback periods."""
    ack_days = timedelta(days=ack)
    triage_days = timedelta(days=_cfg("CASEFLOW_TRIAGE_DAYS"))

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


# --- Investigation workspace (issue 5): local dates, task marks, notices, retention. ---

def local_zone() -> ZoneInfo:
    """Return the installation's time zone (CASEFLOW_TIMEZONE), in which dates are read."""
    return ZoneInfo(_cfg("BABEL_DEFAULT_TIMEZONE") or "UTC")


def local_date(when: datetime | None = None) -> date:
    """Return the local calendar date of a naive-UTC moment (now by default)."""
    when = when or utcnow()
    return when.replace(tzinfo=UTC).astimezone(local_zone()).date()


def end_of_local_day(day: date) -> datetime:
    """Return the naive-UTC moment at which a local calendar day ends."""
    local_end = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=local_zone())
    return local_end.astimezone(UTC).replace(tzinfo=None)


def task_status(due: date | None, done_at: datetime | None, now: datetime | None = None) -> str:
    """Return a task's mark: done, overdue (its local due day has ended), due_today, or open."""
    if done_at is not None:
        return "done"
    if due is None:
        return "open"
    today = local_date(now)
    if today > due:
        return "overdue"
    return "due_today" if today == due else "open"


def notice_kind(status: str) -> str | None:
    """Return which notice the sweep owes for a clock status: reminder, escalation, or none."""
    return {"due_soon": "reminder", "overdue": "escalation"}.get(status)


def retention_due_at(case: Case) -> datetime | None:
    """Return when a finished case's retention period ends (None for open cases or no period)."""
    days = _cfg("CASEFLOW_RETENTION_DAYS").get(case.state.value)
    since = case.closed_at or case.state_changed_at
    if days is None or since is None:
        return None
    return since + timedelta(days=days)


def notice_candidates_clause(now: datetime | None = None) -> sa.ColumnElement[bool]:
    """Return a SQL condition: some clock is overdue or falls due within the reminder window."""
    now = now or utcnow()
    # One day wider than the reminder window: the SQL pre-selects, case_clocks() decides exactly.
    return sa.or_(overdue_clause(now), due_soon_clause(now, days=_cfg("CASEFLOW_REMINDER_DAYS") + 1))


def local_to_utc(when: datetime | None) -> datetime | None:
    """Return a wall-clock time typed in the installation's time zone as naive UTC."""
    if when is None:
        return None
    return when.replace(tzinfo=local_zone()).astimezone(UTC).replace(tzinfo=None)


def utc_to_local(when: datetime) -> datetime:
    """Return a naive-UTC moment as naive wall-clock time in the installation's time zone."""
    return when.replace(tzinfo=UTC).astimezone(local_zone()).replace(tzinfo=None)


# --- The case list's "next deadline" column, sortable in SQL on both databases. ---

def _plus_days(column: Any, days: int, postgres: bool) -> Any:
    if postgres:
        return column + sa.literal(timedelta(days=days), sa.Interval)
    return sa.func.datetime(column, f"{days:+d} days")


def _plus_months(column: Any, months: int, postgres: bool) -> Any:
    """Return column + months, clamped to the month's last day as add_months() does (PostgreSQL clamps too)."""
    if postgres:
        return column + sa.cast(sa.literal(f"{months} months"), sa.Interval)
    plain = sa.func.datetime(column, f"{months:+d} months")  # SQLite rolls 31 January + 1 month into March
    last_day = sa.func.datetime(sa.func.date(column, "start of month", f"{months + 1:+d} months", "-1 day")
                                + " " + sa.func.time(column))
    return sa.func.min(plain, last_day)


def next_due_expression(postgres: bool) -> sa.ColumnElement[Any]:
    """Return a SQL expression for when a case's first running clock falls due (NULL when none runs).

    The same clocks as case_clocks(): a clock runs while it is not done and its state keeps it active.
    """
    received_states = (CaseState.RECEIVED, CaseState.TRIAGE)
    ack_base = sa.func.coalesce(Case.acknowledged_at, _plus_days(Case.received_at, _cfg("CASEFLOW_ACK_DAYS"), postgres))
    target = sa.case(*[(Case.priority == Priority(p), _plus_days(Case.investigation_started_at, days, postgres))
                       for p, days in _cfg("CASEFLOW_INVESTIGATION_DAYS").items()])
    clocks = [
        sa.case((sa.and_(Case.acknowledged_at.is_(None), Case.state.in_(OPEN_STATES)),
                 _plus_days(Case.received_at, _cfg("CASEFLOW_ACK_DAYS"), postgres))),
        sa.case((sa.and_(Case.triaged_at.is_(None), Case.state.in_(received_states)),
                 _plus_days(Case.received_at, _cfg("CASEFLOW_TRIAGE_DAYS"), postgres))),
        sa.case((sa.and_(Case.feedback_given_at.is_(None), Case.state.in_(OPEN_STATES)),
                 _plus_months(ack_base, _cfg("CASEFLOW_FEEDBACK_MONTHS"), postgres))),
        sa.case((sa.and_(Case.reporting_at.is_(None), Case.investigation_started_at.is_not(None),
                         Case.state.in_((CaseState.INVESTIGATION, CaseState.ON_HOLD))), target)),
    ]
    if postgres:
        return sa.func.least(*clocks)  # LEAST ignores NULLs
    never = "9999-12-31 00:00:00"  # SQLite's min() of several values is NULL if any is NULL
    return sa.func.nullif(sa.func.min(*[sa.func.coalesce(c, never) for c in clocks]), never)


def next_running_clock(case: Case, now: datetime | None = None) -> ClockStatus | None:
    """Return the case's running clock that falls due first (what next_due_expression() sorts by)."""
    if case.state not in OPEN_STATES:  # a finished case's clocks have stopped, even those not yet due
        return None
    running = [c for c in case_clocks(case, now) if c.status in ("open", "due_soon", "overdue") and c.due_at]
    return min(running, key=lambda c: c.due_at or datetime.max) if running else None
