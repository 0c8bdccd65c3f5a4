"""Verb-first operations of the investigation workspace: conflicts, triage, plan, tasks, interviews, referrals, hold."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from caseflow import access, audit, names, workflow
from caseflow.cases import operations as case_ops
from caseflow.clock import utcnow
from caseflow.enums import CaseState, PartyRole
from caseflow.errors import ValidationError
from caseflow.extensions import db
from caseflow.investigation import files
from caseflow.models import (
    CaseAccessGrant,
    CaseParty,
    ConflictDeclaration,
    Interview,
    PlanVersion,
    Referral,
    Task,
    User,
)
from caseflow.models.cases import Case
from caseflow.models.workspace import ReferralBody


def declare_conflict(case: Case, user: User, has_conflict: bool, statement: str = "") -> ConflictDeclaration:
    """Record an assignee's declaration; a declared conflict takes them off the case and bars them for good."""
    if not access.is_on_team(user, case):
        raise ValidationError(_("Only the case's assignees declare conflicts of interest on it."))
    statement = (statement or "").strip()
    if has_conflict and not statement:
        raise ValidationError(_("Say briefly what the conflict of interest is."))
    existing = db.session.scalar(sa.select(ConflictDeclaration).where(
        ConflictDeclaration.case_id == case.id, ConflictDeclaration.user_id == user.id))
    if existing is not None:
        raise ValidationError(_("You have already made your declaration on this case."))
    declaration = ConflictDeclaration(case_id=case.id, user_id=user.id, has_conflict=has_conflict,
                                      statement=statement)
    db.session.add(declaration)
    audit.record("case.conflict_declared", user, case, {"has_conflict": has_conflict})
    if has_conflict:
        if case.lead_investigator_id == user.id:
            case.lead_investigator_id = None
            case.lead_investigator = None
            audit.record("case.assign_lead", user, case, {"lead": None, "why": "declared a conflict"})
        for member in [m for m in case.team if m.user_id == user.id]:
            case.team.remove(member)
            audit.record("case.team_remove", user, case, {"user": user.username, "why": "declared a conflict"})
        db.session.execute(sa.delete(CaseAccessGrant).where(CaseAccessGrant.case_id == case.id,
                                                            CaseAccessGrant.user_id == user.id))
    db.session.flush()
    return declaration


def record_triage(case: Case, actor: User, admissible: bool | None, category_id: int | None, priority: str,
                  retaliation_risk: str | None) -> dict[str, list[Any]]:
    """Record the triage assessment (ISO 37002 "assessing") on the case; audit what changed."""
    if not access.can_triage(actor, case):
        raise ValidationError(_("The triage assessment can only be recorded before the triage decision."))
    changes = case_ops.update_case_details(case, actor, admissible=admissible, category_id=category_id,
                                           priority=priority, retaliation_risk=retaliation_risk)
    if changes:
        audit.record("case.triage_assessed", actor, case, {"fields": sorted(changes)})
        db.session.flush()
    return changes


def decide_triage(case: Case, actor: User, target: CaseState, reason: str, receiving_body: str = "",
                  body_kind: str | None = None, reference: str = "") -> None:
    """Take one triage decision (a workflow transition); a referral also enters the referral register."""
    workflow.transition_case(case, target, actor, reason=reason, receiving_body=receiving_body)
    if target == CaseState.REFERRED:
        add_referral(case, actor, body_kind or ReferralBody.OTHER_UNIT.value, receiving_body,
                     utcnow().date(), reference)


def save_plan(case: Case, actor: User, body: str) -> PlanVersion:
    """Save a new version of the investigation plan (earlier versions are kept)."""
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("The plan cannot be empty."))
    latest = current_plan(case)
    if latest is not None and latest.body == body:
        raise ValidationError(_("The plan has not changed."))
    version = PlanVersion(case_id=case.id, version=(latest.version + 1) if latest else 1, body=body,
                          author_id=actor.id)
    db.session.add(version)
    db.session.flush()
    audit.record("plan.save", actor, case, {"version": version.version, "length": len(body)})
    return version


def current_plan(case: Case) -> PlanVersion | None:
    """Return the newest version of the case's plan, or None."""
    return db.session.scalar(sa.select(PlanVersion).where(PlanVersion.case_id == case.id)
                             .order_by(PlanVersion.version.desc()).limit(1))


def _check_owner(case: Case, user_id: int | None) -> User | None:
    if user_id is None:
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.active:
        raise ValidationError(_("Choose an active investigator or supervisor."))
    if access.can_own_task(user, case):
        return user
    if access.is_excluded(user, case):
        raise ValidationError(_("%(name)s has a conflict of interest on this case.", name=user.full_name))
    raise ValidationError(_("%(name)s is not on this case's team.", name=user.full_name))


def add_task(case: Case, actor: User, title: str, owner_id: int | None, due_date: date | None) -> Task:
    """Add a task to the case with an owner (on the team) and a due date."""
    title = (title or "").strip()
    if not title:
        raise ValidationError(_("Describe the task."))
    owner = _check_owner(case, owner_id)
    task = Task(case_id=case.id, title=title[:300], owner_id=owner.id if owner else None, due_date=due_date,
                created_by_id=actor.id)
    db.session.add(task)
    db.session.flush()
    audit.record("task.add", actor, case, {"task": task.id, "owner": owner.username if owner else None,
                                           "due": due_date.isoformat() if due_date else None})
    return task


def set_task_done(task: Task, actor: User, done: bool) -> None:
    """Mark a task done (or open again)."""
    if done == (task.done_at is not None):
        raise ValidationError(_("The task is already marked so."))
    task.done_at = utcnow() if done else None
    task.done_by_id = actor.id if done else None
    audit.record("task.done" if done else "task.reopen", actor, None, {"task": task.id}, case_id=task.case_id)
    db.session.flush()


def interview_party(case: Case, actor: User, party_id: int | None, name: str, role: str,
                    badge_number: str | None = None) -> CaseParty | None:
    """Return the person of the case interviewed: the one picked, one already named so, or a new one added.

    A new witness or subject is added through the case's people (new_person, then matching against staff, so a
    colleague named here is walled off the case as any subject is). A reporter is never added here: reporters
    are recorded sealed by intake, so one not on the case is only named on the interview.
    """
    if party_id is not None:
        party = next((p for p in case.parties if p.id == party_id), None)
        if party is None:
            raise ValidationError(_("Choose one of this case's people."))
        return party
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError(_("Choose the person interviewed, or give the new person's name."))
    party_role = PartyRole(role)
    if party_role == PartyRole.REPORTER:
        return None
    wanted = names.exact_form(name)
    for party in case.parties:  # the same name typed again is the person already named, not a duplicate
        if party.role == party_role and party.person is not None and names.exact_form(party.display_name) == wanted:
            return party
    return case_ops.add_party(case, actor, party_role, name, badge_number or None)


def record_interview(case: Case, actor: User, interviewee: str, role: str, held_at: datetime | None,
                     location: str, interviewer_id: int | None, summary: str,
                     statement: tuple[str, bytes] | None = None, party_id: int | None = None,
                     badge_number: str | None = None) -> Interview:
    """Record an interview with a person of the case (picked or added) and, if given, the signed statement."""
    if held_at is None:
        raise ValidationError(_("Give the date and time of the interview."))
    if held_at > utcnow():
        raise ValidationError(_("An interview cannot be recorded before it takes place."))
    interviewer = _check_owner(case, interviewer_id)
    if interviewer is None:
        raise ValidationError(_("Say who conducted the interview."))
    party = interview_party(case, actor, party_id, interviewee, role, badge_number)
    if party is not None:
        role = party.role.value
        interviewee = party.display_name if party.person is not None else (interviewee or _("The reporter"))
    interviewee = " ".join((interviewee or "").split())
    if not interviewee:
        raise ValidationError(_("Name the person interviewed."))
    interview = Interview(case_id=case.id, interviewee=interviewee[:200], role=PartyRole(role), held_at=held_at,
                          location=(location or "").strip()[:200], interviewer_id=interviewer.id,
                          party_id=party.id if party is not None else None,
                          summary=(summary or "").strip(), recorded_by_id=actor.id)
    if statement is not None:
        name, data = statement
        interview.statement_attachment_id, interview.statement_sha256, _stored = files.store_file(
            case, name, data, actor, "interview_statement")
        interview.statement_filename = files.clean_name(name)
    db.session.add(interview)
    db.session.flush()
    detail = {"interview": interview.id, "role": interview.role.value, "party": interview.party_id,
              "statement_sha256": interview.statement_sha256}
    if statement is not None:
        detail["statement_name_uploaded"] = files.record_name(statement[0])
    audit.record("interview.add", actor, case, detail)
    return interview


def add_referral(case: Case, actor: User, body_kind: str, body_name: str, referred_on: date | None,
                 reference: str = "") -> Referral:
    """Record a referral of the case to an external body."""
    body_name = (body_name or "").strip()
    if not body_name:
        raise ValidationError(_("Name the receiving body."))
    if referred_on is None:
        raise ValidationError(_("Give the date of the referral."))
    try:
        kind = ReferralBody(body_kind)
    except ValueError as exc:
        raise ValidationError(_("Choose the kind of receiving body.")) from exc
    referral = Referral(case_id=case.id, body_kind=kind, body_name=body_name[:200], referred_on=referred_on,
                        reference=(reference or "").strip()[:120], created_by_id=actor.id)
    db.session.add(referral)
    db.session.flush()
    audit.record("referral.add", actor, case, {"referral": referral.id, "body": body_name, "kind": kind.value})
    return referral


def record_referral_response(referral: Referral, actor: User, response: str, response_on: date | None,
                             reference: str | None = None) -> None:
    """Record the receiving body's response (and its reference, if it gave one)."""
    response = (response or "").strip()
    if not response:
        raise ValidationError(_("Summarise the response."))
    if response_on is None:
        raise ValidationError(_("Give the date of the response."))
    if response_on < referral.referred_on:
        raise ValidationError(_("The response cannot predate the referral."))
    referral.response, referral.response_on = response, response_on
    if reference:
        referral.reference = reference.strip()[:120]
    audit.record("referral.response", actor, None, {"referral": referral.id, "on": response_on.isoformat()},
                 case_id=referral.case_id)
    db.session.flush()


def set_legal_hold(case: Case, actor: User, hold: bool, reason: str) -> None:
    """Set or lift a legal hold (it stops the retention job), with a reason; audited."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give a reason."))
    if case.legal_hold == hold:
        raise ValidationError(_("The legal hold is already set.") if hold else _("There is no legal hold to lift."))
    case.legal_hold = hold
    audit.record("case.legal_hold", actor, case, {"hold": hold, "reason": reason})
    db.session.flush()
