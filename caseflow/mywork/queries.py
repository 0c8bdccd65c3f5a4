"""What a member of staff has to do now: their cases and deadlines, tasks, interviews, messages, queues."""

from __future__ import annotations

import json
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
    last = (sa.select(sa.func.max(AuditEvent.seq))
            .where(AuditEvent.case_id.in_(list(latest)), AuditEvent.actor_id == user.id,
                   AuditEvent.action == "reporter.content_view").group_by(AuditEvent.case_id))
    read = {row.case_id: row for row in db.session.execute(
        sa.select(AuditEvent.case_id, AuditEvent.occurred_at, AuditEvent.detail).where(AuditEvent.seq.in_(last)))}
    out: dict[int, int] = {}
    for case_id in latest:
        stmt = sa.select(sa.func.count(ReporterMessage.id)).where(
            ReporterMessage.case_id == case_id, ReporterMessage.direction == MessageDirection.REPORTER)
        if case_id in read:
            seen = json.loads(read[case_id].detail or "{}").get("seen")
            # a reading recorded before it noted the last message seen falls back to its time
            stmt = stmt.where(ReporterMessage.id > int(seen) if seen is not None
                              else ReporterMessage.created_at > read[case_id].occurred_at)
        count = int(db.session.scalar(stmt) or 0)
        if count:
            out[case_id] = count
    return out


def _mine(user: Any) -> sa.ColumnElement[bool]:
    team = sa.exists().where(CaseTeamMember.case_id == Case.id, CaseTeamMember.user_id == user.id)
    return sa.or_(Case.lead_investigator_id == user.id, team)


def _visible(user: Any, ids: set[int]) -> list[Case]:
    """Return the cases among these ids that the user may see (the ids are found by index first, then checked)."""
    if not ids:
        return []
    return list(db.session.scalars(sa.select(Case).where(Case.id.in_(sorted(ids)), access.visible_cases_clause(user))))


def _personal(user: Any, work: MyWork, now: datetime) -> None:
    led = set(db.session.scalars(sa.select(Case.id).where(Case.lead_investigator_id == user.id,
                                                          Case.state.in_(deadlines.OPEN_STATES))))
    led |= set(db.session.scalars(sa.select(CaseTeamMember.case_id).where(CaseTeamMember.user_id == user.id)))
    mine = {c.id: c for c in _visible(user, led)}
    cases = [c for c in mine.values() if c.state in deadlines.OPEN_STATES]
    cases = sorted(cases, key=lambda c: c.id)[:CASE_LIMIT]
    work.cases = _by_deadline(_lines(cases, now))
    unread = unread_counts(user, [c.id for c in cases])
    for line in work.cases:
        line.unread = unread.get(line.case.id, 0)
    tasks = list(db.session.scalars(sa.select(Task).where(Task.owner_id == user.id, Task.done_at.is_(None))))
    interviews = list(db.session.scalars(sa.select(Interview).where(Interview.interviewer_id == user.id,
                                                                    Interview.held_at >= now)))
    others = {t.case_id for t in tasks} | {i.case_id for i in interviews}
    seen = mine | {c.id: c for c in _visible(user, others - set(mine))}
    tasks = sorted((t for t in tasks if t.case_id in seen), key=lambda t: (t.due_date is None, t.due_date, t.id))
    work.tasks = [TaskLine(t, seen[t.case_id], deadlines.task_status(t.due_date, t.done_at, now))
                  for t in tasks[:LIMIT]]
    work.interviews = [(i, seen[i.case_id]) for i in sorted(interviews, key=lambda i: i.held_at)
                       if i.case_id in seen][:LIMIT]


def _supervision(user: Any, work: MyWork, now: datetime) -> None:
    visible = access.visible_cases_clause(user)
    unassigned = list(db.session.scalars(sa.select(Case).where(
        Case.lead_investigator_id.is_(None), Case.state.in_((CaseState.RECEIVED, CaseState.TRIAGE)), visible)
        .order_by(Case.received_at, Case.id).limit(LIMIT)))
    work.unassigned = _lines(unassigned, now)
    reporting = db.session.scalars(sa.select(Case).where(Case.state == CaseState.REPORTING, visible)
                                   .order_by(Case.reporting_at, Case.id).limit(LIMIT))
    work.decisions = [(c, "report") for c in reporting]
    # From the few pending matches to their cases, not from every case to its matches.
    pending = Case.id.in_(sa.select(SubjectMatch.case_id).where(SubjectMatch.status == MatchStatus.PENDING))
    matched = db.session.scalars(sa.select(Case).where(pending, visible).order_by(Case.id).limit(LIMIT))
    work.decisions += [(c, "match") for c in matched]
    # The open states stated once more at the top: the planner can then read the open cases' partial index
    # (which carries every clock column) instead of testing the clocks of every case ever received.
    due = list(db.session.scalars(sa.select(Case).where(Case.state.in_(deadlines.OPEN_STATES),
                                                        deadlines.notice_candidates_clause(now), visible)
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
    unread = db.session.scalars(sa.select(Reminder).where(
        Reminder.user_id == user.id, Reminder.read_at.is_(None))
        .order_by(Reminder.created_at.desc(), Reminder.id.desc()).limit(50))
    # A notice about a case the user may no longer see (taken off it, matched to a subject) is not shown.
    work.notices = [n for n in unread if n.case_id is None or access.can_view_case(user, n.case)][:10]
    return work
