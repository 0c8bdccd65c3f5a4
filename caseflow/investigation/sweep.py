"""The clock sweep (cron): remind assignees of clocks about to expire, escalate overdue ones, once each."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from caseflow import access, audit, deadlines
from caseflow.clock import utcnow
from caseflow.enums import Role
from caseflow.extensions import db
from caseflow.models import Case, ClockNotice, Reminder, User
from caseflow.models.workspace import NoticeKind
from caseflow.sqlcompat import execute_count


@dataclass
class SweepResult:
    """What one sweep did."""

    reminders: int = 0
    escalations: int = 0
    lines: list[str] = field(default_factory=list)


def _supervisors(case: Case) -> list[User]:
    users = db.session.scalars(sa.select(User).where(User.role == Role.SUPERVISOR, User.active.is_(True))
                               .order_by(User.id))
    return [u for u in users if access.can_view_case(u, case)]


def _recipients(case: Case, kind: NoticeKind) -> list[User]:
    if kind == NoticeKind.ESCALATION:
        return _supervisors(case)
    assignees = [u for u in access.assigned_users(case) if u.active and not access.is_excluded(u, case)]
    return assignees or _supervisors(case)


def _message(case: Case, clock: deadlines.ClockStatus, kind: NoticeKind) -> str:
    due = clock.due_at.strftime("%Y-%m-%d %H:%M UTC") if clock.due_at else ""
    if kind == NoticeKind.ESCALATION:
        return _("Case %(number)s: the clock “%(clock)s” was due on %(due)s and is overdue.",
                 number=case.number, clock=clock.label, due=due)
    return _("Case %(number)s: the clock “%(clock)s” falls due on %(due)s.",
             number=case.number, clock=clock.label, due=due)


def _queue_mail(user: User, subject: str, body: str, case: Case) -> None:
    try:
        from caseflow.channels.outbound import queue_mail
    except ImportError:  # the outbound mail queue is not installed: the in-app reminder stands alone
        return
    if user.email:
        queue_mail(user.email, subject, body, case=case)


def _notify(case: Case, clock: deadlines.ClockStatus, kind: NoticeKind) -> int:
    """Record the notice for one clock and tell its recipients (in-app and by mail); return how many."""
    recipients = _recipients(case, kind)
    notice = ClockNotice(case_id=case.id, clock=clock.name, kind=kind, due_at=clock.due_at,
                         recipients=len(recipients))
    db.session.add(notice)
    db.session.flush()
    message = _message(case, clock, kind)
    for user in recipients:
        db.session.add(Reminder(user_id=user.id, case_id=case.id, notice_id=notice.id, kind=kind, message=message))
        _queue_mail(user, message, message + "\n\n" + _("Open the case in CaseFlow to act on it."), case)
    audit.record(f"clock.{kind.value}", None, case, {"clock": clock.name, "due": clock.due_at,
                                                     "to": [u.username for u in recipients]},
                 actor_label="sweep")
    return len(recipients)


def run_sweep(now: datetime | None = None) -> SweepResult:
    """Send the reminders and escalations owed now; a second run sends nothing new."""
    now = now or utcnow()
    result = SweepResult()
    sent = {(c, k, kind) for c, k, kind in db.session.execute(
        sa.select(ClockNotice.case_id, ClockNotice.clock, ClockNotice.kind))}
    cases = db.session.scalars(sa.select(Case).where(deadlines.notice_candidates_clause(now)).order_by(Case.id))
    for case in cases:
        for clock in deadlines.case_clocks(case, now):
            kind_name = deadlines.notice_kind(clock.status)
            if kind_name is None:
                continue
            kind = NoticeKind(kind_name)
            if (case.id, clock.name, kind) in sent:
                continue
            count = _notify(case, clock, kind)
            sent.add((case.id, clock.name, kind))
            if kind == NoticeKind.ESCALATION:
                result.escalations += 1
            else:
                result.reminders += 1
            result.lines.append(f"{case.number} {clock.name} {kind.value} -> {count} recipient(s)")
    return result


def my_reminders(user: User, limit: int = 100) -> list[Reminder]:
    """Return a user's reminders, unread first, newest first."""
    return list(db.session.scalars(
        sa.select(Reminder).where(Reminder.user_id == user.id)
        .order_by(Reminder.read_at.is_not(None), Reminder.created_at.desc(), Reminder.id.desc()).limit(limit)))


def mark_reminders_read(user: User) -> int:
    """Mark all of a user's reminders read; return how many were unread."""
    changed = execute_count(sa.update(Reminder).where(Reminder.user_id == user.id, Reminder.read_at.is_(None))
                            .values(read_at=utcnow()))
    db.session.flush()
    return changed
