"""Notices to staff on assignment, removal, a reporter's message and a send-back: in app and by e-mail.

A notice names the case by its number only (never a name or a reporter's words), and never goes to a user
barred from the case (subject of it, or conflicted) or inactive.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from caseflow import access, events
from caseflow.enums import CaseState, Role
from caseflow.extensions import db
from caseflow.models import Case, Reminder, User
from caseflow.models.workspace import NoticeKind


def notify(user: User | None, case: Case, message: str, removal: bool = False) -> bool:
    """Leave a user an in-app notice about a case and queue it by e-mail; return whether it was sent."""
    allowed = access.may_be_told_of_removal if removal else access.may_be_notified
    if user is None or not allowed(user, case):
        return False
    # A removal is told without a link to the case, which the user may no longer open (lists hide such links).
    db.session.add(Reminder(user_id=user.id, case_id=None if removal else case.id, kind=NoticeKind.REMINDER,
                            message=message[:500]))
    if user.email:
        from caseflow.channels.outbound import queue_mail

        body = message if removal else message + "\n\n" + _("Open the case in CaseFlow to act on it.")
        queue_mail(user.email, message, body, case=case, kind="removal" if removal else "notice")
    db.session.flush()
    return True


def _actor_name(actor: Any) -> str:
    return actor.full_name if actor is not None else _("CaseFlow")


def on_assigned(case: Case, user: User, actor: Any = None, as_lead: bool = False, **_kw: Any) -> None:
    """Tell a user they were made lead investigator or added to the team."""
    if actor is not None and user.id == actor.id:
        return
    text = (_("Case %(number)s: %(actor)s made you lead investigator.", number=case.number, actor=_actor_name(actor))
            if as_lead else
            _("Case %(number)s: %(actor)s added you to the team.", number=case.number, actor=_actor_name(actor)))
    notify(user, case, text)


def on_unassigned(case: Case, user: User, actor: Any = None, **_kw: Any) -> None:
    """Tell a user they were taken off a case."""
    if actor is not None and user.id == actor.id:
        return
    notify(user, case, _("Case %(number)s: %(actor)s took you off the case.", number=case.number,
                         actor=_actor_name(actor)), removal=True)


def _team(case: Case) -> list[User]:
    return [u for u in access.assigned_users(case)]


def _supervisors(case: Case) -> list[User]:
    users = db.session.scalars(sa.select(User).where(User.role == Role.SUPERVISOR, User.active.is_(True))
                               .order_by(User.id))
    return [u for u in users if access.can_view_case(u, case)]


def on_reporter_message(case: Case, message_id: int | None = None, **_kw: Any) -> None:
    """Tell the case's team (or, with nobody assigned, its supervisors) that the reporter wrote."""
    text = _("Case %(number)s: the reporter sent a new message.", number=case.number)
    for user in _team(case) or _supervisors(case):
        notify(user, case, text)


def on_transitioned(case: Case, source: CaseState, target: CaseState, actor: Any = None, **_kw: Any) -> None:
    """Tell the lead and team that a supervisor sent the report back for more investigation."""
    if source != CaseState.REPORTING or target != CaseState.INVESTIGATION:
        return
    text = _("Case %(number)s: %(actor)s sent the case back for more investigation.", number=case.number,
             actor=_actor_name(actor))
    for user in _team(case):
        if actor is None or user.id != actor.id:
            notify(user, case, text)


def on_moved_unit(case: Case, unit: Any = None, actor: Any = None, **_kw: Any) -> None:
    """Tell the supervisors of the unit a case moved to that it is theirs now."""
    text = _("Case %(number)s: %(actor)s moved it to your unit; assign it a lead investigator.",
             number=case.number, actor=_actor_name(actor))
    for user in _supervisors(case):
        if (actor is None or user.id != actor.id) and access.is_in_unit(user, case.unit_id):
            notify(user, case, text)


def connect() -> None:
    """Subscribe the notices to the case events (idempotent: a receiver is connected once)."""
    events.case_assigned.connect(on_assigned)
    events.case_unassigned.connect(on_unassigned)
    events.reporter_message_posted.connect(on_reporter_message)
    events.case_transitioned.connect(on_transitioned)
    events.case_moved_unit.connect(on_moved_unit)
