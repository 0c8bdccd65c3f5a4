"""What a member of staff has to do now: their cases and deadlines, tasks, interviews, messages, queues."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from caseflow import access, deadlines
from caseflow.clock import utcnow
from caseflow.enums import CaseState, MatchStatus, Role
from caseflow.extensions import db
from caseflow.models import (
    AuditEvent,
    Case,
    CaseTeamMember,
    Interview,
    Reminder,
    ReporterMessage,
    SubjectMatch,
    Task,
)
from caseflow.models.intake import MessageDirection

LIMIT = 50
CASE_LIMIT = 200
RUNNING = ("open", "due_soon", "overdue")


@dataclass
class CaseLine:
    """A case with its next running deadline and the reporter's unread messages."""

    case: Case
    next_clock: deadlines.ClockStatus | None
    unread: int = 0


@dataclass
class TaskLine:
    """An open task with its mark (overdue, due today, open)."""

    task: Task
    case: Case
    status: str


@dataclass
class MyWork:
    """Everything on a landing page."""

    cases: list[CaseLine] = field(default_factory=list)
    tasks: list[TaskLine] = field(default_factory=list)
    interviews: list[tuple[Interview, Case]] = field(default_factory=list)
    notices: list[Reminder] = field(default_factory=list)
    unassigned: list[CaseLine] = field(default_factory=list)
    decisions: list[tuple[Case, str]] = field(default_factory=list)
    clocks: list[CaseLine] = field(default_factory=list)
    received: list[CaseLine] = field(default_factory=list)


def next_clock(case: Case, now: datetime) -> deadlines.ClockStatus | None:
    """Return the case's running clock that falls due first."""
    running = [c for c in deadlines.case_clocks(case, now) if c.status in RUNNING and c.due_at is not None]
    return min(running, key=lambda c: c.due_at) if running else None  # type: ignore[arg-type,return-value]


def _lines(cases: list[Case], now: datetime) -> list[CaseLine]:
    return [CaseLine(c, next_clock(c, now)) for c in cases]


def _by_deadline(lines: list[CaseLine]) -> list[CaseLine]:
    far = datetime.max
    return sorted(lines, key=lambda line: (line.next_clock.due_at if line.next_clock and line.next_clock.due_at
                                           else far, line.case.id))


def unread_counts(user: Any, case_ids: list[int]) -> dict[int, int]:
    """Return, per case, the reporter's messages newer than the user's last reading of the reporter tab."""
    if not case_ids:
        return {}
    latest: dict[int, datetime] = dict(db.session.execute(  # type: ignore[arg-type]
        sa.select(ReporterMessage.case_id, sa.func.max(ReporterMessage.created_at))
        .where(ReporterMessage.case_id.in_(case_ids), ReporterMessage.direction == MessageDirection.REPORTER)
        .group_by(ReporterMessage.case_id)).all())
    if not latest:
        return {}
    read: dict[int, datetime] = dict(db.session.execute(  # type: ignore[arg-type]
        sa.select(AuditEvent.case_id, sa.func.max(AuditEvent.occurred_at))
        .where(AuditEvent.case_id.in_(list(latest)), AuditEvent.actor_id == user.id,
               AuditEvent.action == "reporter.content_view").group_by(AuditEvent.case_id)).all())
    out: dict[int, int] = {}
    for case_id in latest:
        since = read.get(case_id)
        stmt = sa.select(sa.func.count(ReporterMessage.id)).where(
            ReporterMessage.case_id == case_id, ReporterMessage.direction == MessageDirection.REPORTER)
        if since is not None:
            stmt = stmt.where(ReporterMessage.created_at > since)
        count = int(db.session.scalar(stmt) or 0)
        if count:
            out[case_id] = count
    return out


def _mine(user: Any) -> sa.ColumnElement[bool]:
    team = sa.exists().where(CaseTeamMember.case_id == Case.id, CaseTeamMember.user_id == user.id)
    return sa.or_(Case.lead_investigator_id == user.id, team)


def _personal(user: Any, work: MyWork, now: datetime) -> None:
    cases = list(db.session.scalars(sa.select(Case).where(
        _mine(user), Case.state.in_(deadlines.OPEN_STATES), access.visible_cases_clause(user))
        .order_by(Case.id).limit(CASE_LIMIT)))
    work.cases = _by_deadline(_lines(cases, now))
    unread = unread_counts(user, [c.id for c in cases])
    for line in work.cases:
        line.unread = unread.get(line.case.id, 0)
    visible = access.visible_cases_clause(user)  # the outer FROM holds no party or person: it correlates on Case
    tasks = db.session.execute(
        sa.select(Task, Case).join(Case, Task.case_id == Case.id)
        .where(Task.owner_id == user.id, Task.done_at.is_(None), visible)
        .order_by(Task.due_date.is_(None), Task.due_date, Task.id).limit(LIMIT)).all()
    work.tasks = [TaskLine(t, c, deadlines.task_status(t.due_date, t.done_at, now)) for t, c in tasks]
    work.interviews = [(i, c) for i, c in db.session.execute(
        sa.select(Interview, Case).join(Case, Interview.case_id == Case.id)
        .where(Interview.interviewer_id == user.id, Interview.held_at >= now, visible)
        .order_by(Interview.held_at).limit(LIMIT)).all()]


def _supervision(user: Any, work: MyWork, now: datetime) -> None:
    visible = access.visible_cases_clause(user)
    unassigned = list(db.session.scalars(sa.select(Case).where(
        Case.lead_investigator_id.is_(None), Case.state.in_((CaseState.RECEIVED, CaseState.TRIAGE)), visible)
        .order_by(Case.received_at, Case.id).limit(LIMIT)))
    work.unassigned = _lines(unassigned, now)
    reporting = db.session.scalars(sa.select(Case).where(Case.state == CaseState.REPORTING, visible)
                                   .order_by(Case.reporting_at, Case.id).limit(LIMIT))
    work.decisions = [(c, "report") for c in reporting]
    pending = sa.exists().where(SubjectMatch.case_id == Case.id, SubjectMatch.status == MatchStatus.PENDING)
    matched = db.session.scalars(sa.select(Case).where(pending, visible).order_by(Case.id).limit(LIMIT))
    work.decisions += [(c, "match") for c in matched]
    due = list(db.session.scalars(sa.select(Case).where(deadlines.notice_candidates_clause(now), visible)
                                  .order_by(Case.id).limit(LIMIT)))
    work.clocks = [line for line in _by_deadline(_lines(due, now))
                   if line.next_clock and line.next_clock.status in ("due_soon", "overdue")]


def my_work(user: Any) -> MyWork:
    """Return the landing page of a member of staff, by role."""
    now = utcnow()
    work = MyWork()
    _personal(user, work, now)
    if user.role == Role.SUPERVISOR:
        _supervision(user, work, now)
    if user.role == Role.INTAKE_OFFICER:
        received = db.session.scalars(sa.select(Case).where(
            Case.state == CaseState.RECEIVED, access.visible_cases_clause(user))
            .order_by(Case.received_at, Case.id).limit(LIMIT))
        work.received = _lines(list(received), now)
    work.notices = list(db.session.scalars(sa.select(Reminder).where(
        Reminder.user_id == user.id, Reminder.read_at.is_(None))
        .order_by(Reminder.created_at.desc(), Reminder.id.desc()).limit(10)))
    return work
