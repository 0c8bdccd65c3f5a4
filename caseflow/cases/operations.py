"""Verb-first operations on a case: details, assignment, people, allegations, findings, notes."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from caseflow import access, audit, denials, events
from caseflow.cases import subjects
from caseflow.clock import utcnow
from caseflow.enums import CaseState, Finding, PartyRole, Priority, RiskLevel, Role, Sanction
from caseflow.errors import AccessDeniedError, ConflictOfInterestError, ValidationError
from caseflow.extensions import db
from caseflow.incident import incident_band
from caseflow.models import (
    Allegation,
    Case,
    CaseAccessGrant,
    CaseParty,
    CaseTeamMember,
    Category,
    Note,
    Office,
    User,
)

EDITABLE_FIELDS = ("title", "summary", "category_id", "priority", "office_id", "admissible",
                   "retaliation_risk", "incident_date", "location_detail")
SEALED_FIELDS = ("incident_date", "location_detail")  # the audit chain is not sealed: it says only "changed"


def _value(v: Any) -> Any:
    return v.value if hasattr(v, "value") else v


def update_case_details(case: Case, actor: User, **fields: Any) -> dict[str, list[Any]]:
    """Change a case's triage and descriptive fields; audit what changed (old and new values)."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown field(s): %(names)s", names=", ".join(sorted(unknown))))
    if "title" in fields and not (fields["title"] or "").strip():
        raise ValidationError(_("A case needs a title."))
    if fields.get("category_id") and db.session.get(Category, fields["category_id"]) is None:
        raise ValidationError(_("Unknown category."))
    if fields.get("office_id") and db.session.get(Office, fields["office_id"]) is None:
        raise ValidationError(_("Unknown office."))
    if fields.get("priority") is not None:
        fields["priority"] = Priority(fields["priority"])
    if fields.get("retaliation_risk"):
        fields["retaliation_risk"] = RiskLevel(fields["retaliation_risk"])
    changes: dict[str, list[Any]] = {}
    for name, new in fields.items():
        old = getattr(case, name)
        if old != new:
            changes[name] = ["…", "…"] if name in SEALED_FIELDS else [_value(old), _value(new)]
            setattr(case, name, new)
    if "incident_date" in changes:
        case.incident_band = incident_band(case.incident_date, case.received_at)
    if changes:
        audit.record("case.update", actor, case, {"changes": changes})
        db.session.flush()
        events.case_details_changed.send(case, changes=changes, actor=actor)
    return changes


def _check_assignable(case: Case, user: User) -> None:
    problem: ValidationError | ConflictOfInterestError | None = None
    if user.role not in (Role.INVESTIGATOR, Role.SUPERVISOR) or not user.active:
        problem = ValidationError(_("%(name)s is not an active investigator.", name=user.full_name))
    elif not access.can_be_assigned(user, case):
        problem = ValidationError(_("%(name)s is not on the staff of the unit %(unit)s, which receives this case.",
                                    name=user.full_name, unit=case.unit.label if case.unit else ""))
    elif access.is_subject(user, case):
        problem = ConflictOfInterestError(_("%(name)s is a subject of this case and can never be assigned to it.",
                                            name=user.full_name))
    elif access.has_declared_conflict(user, case):
        problem = ConflictOfInterestError(_("%(name)s declared a conflict of interest on this case.",
                                            name=user.full_name))
    if problem is not None:
        denials.note_refusal(f"assign {user.username}", problem.message, case)
        raise problem


def _grant_if_restricted(case: Case, user: User, actor: User) -> None:
    if case.restricted and not access.is_granted(user, case):
        db.session.add(CaseAccessGrant(case_id=case.id, user_id=user.id, granted_by_id=actor.id))


def assign_lead_investigator(case: Case, user: User, actor: User) -> None:
    """Make a user the case's lead investigator, refusing anyone with a conflict of interest."""
    _check_assignable(case, user)
    previous = case.lead_investigator
    case.lead_investigator_id = user.id
    case.lead_investigator = user
    _grant_if_restricted(case, user, actor)
    audit.record("case.assign_lead", actor, case,
                 {"lead": user.username, "previous": previous.username if previous else None})
    db.session.flush()
    if previous is not None and previous.id != user.id and not any(m.user_id == previous.id for m in case.team):
        events.case_unassigned.send(case, user=previous, actor=actor)
    if previous is None or previous.id != user.id:
        events.case_assigned.send(case, user=user, actor=actor, as_lead=True)


def add_team_member(case: Case, user: User, actor: User) -> CaseTeamMember:
    """Add an investigator to the case team, refusing anyone with a conflict of interest."""
    _check_assignable(case, user)
    if any(m.user_id == user.id for m in case.team):
        raise ValidationError(_("%(name)s is already on the team.", name=user.full_name))
    member = CaseTeamMember(case=case, user=user, user_id=user.id)
    db.session.add(member)
    _grant_if_restricted(case, user, actor)
    audit.record("case.team_add", actor, case, {"user": user.username})
    db.session.flush()
    events.case_assigned.send(case, user=user, actor=actor, as_lead=False)
    return member


def remove_team_member(case: Case, user: User, actor: User) -> None:
    """Take an investigator off the case team; access ends at once."""
    member = next((m for m in case.team if m.user_id == user.id), None)
    if member is None:
        raise ValidationError(_("%(name)s is not on the team.", name=user.full_name))
    case.team.remove(member)
    db.session.execute(sa.delete(CaseAccessGrant).where(CaseAccessGrant.case_id == case.id,
                                                        CaseAccessGrant.user_id == user.id))
    audit.record("case.team_remove", actor, case, {"user": user.username})
    db.session.flush()
    events.case_unassigned.send(case, user=user, actor=actor)


def add_party(case: Case, actor: User, role: PartyRole, full_name: str, badge_number: str | None = None,
              position: str | None = None, user_id: int | None = None, note: str | None = None) -> CaseParty:
    """Name a subject or witness on a case (reporters are recorded sealed by intake)."""
    role = PartyRole(role)
    full_name = (full_name or "").strip()
    if role == PartyRole.REPORTER:
        raise ValidationError(_("Reporters are recorded through intake, sealed."))
    if not full_name:
        raise ValidationError(_("Give the person's name."))
    if user_id is not None and db.session.get(User, user_id) is None:
        raise ValidationError(_("Unknown staff account."))
    person = subjects.new_person(full_name[:200], badge_number, position, office_id=case.office_id,
                                 user_id=user_id)
    party = CaseParty(case=case, person=person, role=role, note=note or None)
    db.session.add(party)
    db.session.flush()
    # The audit chain is not sealed: it records which party was added, never the name.
    audit.record("case.party_add", actor, case, {"party": party.id, "role": role.value})
    subjects.match_subject(case, party, actor)
    return party


def add_allegation(case: Case, actor: User, subject: CaseParty, conduct: str,
                   category_id: int | None = None) -> Allegation:
    """Record an allegation of conduct against one subject of the case."""
    conduct = (conduct or "").strip()
    if subject.case_id != case.id or subject.role != PartyRole.SUBJECT:
        raise ValidationError(_("An allegation must name a subject of this case."))
    if not conduct:
        raise ValidationError(_("Describe the conduct alleged."))
    if case.state not in (CaseState.RECEIVED, CaseState.TRIAGE, CaseState.INVESTIGATION):
        raise ValidationError(_("Allegations can only be added before reporting."))
    allegation = Allegation(case=case, subject=subject, subject_party_id=subject.id, conduct=conduct,
                            category_id=category_id or case.category_id)
    db.session.add(allegation)
    db.session.flush()
    # The audit chain is not sealed: the subject is named by party, never by name.
    audit.record("allegation.add", actor, case, {"allegation": allegation.id, "party": subject.id})
    return allegation


FINDING_FIELDS = ("finding", "reasoning", "recommended_sanction")


def record_finding(allegation: Allegation, actor: User, finding: Finding | str | None = None,
                   reasoning: str | None = None, **fields: Any) -> dict[str, list[Any]]:
    """Record or edit the finding on an allegation and the investigator's recommended sanction.

    Only the fields given change (a field left out keeps its value); the decided sanction is not here: it
    belongs to the disciplinary authority (decide_sanction).
    """
    unknown = set(fields) - {"recommended_sanction"}
    if unknown:
        raise ValidationError(_("Unknown field(s): %(names)s", names=", ".join(sorted(unknown))))
    new_finding = Finding(finding) if finding else allegation.finding
    if new_finding is None:
        raise ValidationError(_("Choose a finding."))
    new_reasoning = (reasoning if reasoning is not None else allegation.finding_reasoning or "").strip()
    if not new_reasoning:
        raise ValidationError(_("Explain the reasoning behind the finding."))
    recommended = allegation.recommended_sanction
    if "recommended_sanction" in fields:
        recommended = Sanction(fields["recommended_sanction"]) if fields["recommended_sanction"] else None
    if new_finding != Finding.SUSTAINED and (recommended or allegation.decided_sanction):
        raise ValidationError(_("Sanctions apply only to sustained findings."))
    changes: dict[str, list[Any]] = {}
    for name, old, new in (("finding", allegation.finding, new_finding),
                           ("reasoning", allegation.finding_reasoning, new_reasoning),
                           ("recommended_sanction", allegation.recommended_sanction, recommended)):
        if old != new:
            changes[name] = ["…", "…"] if name in SEALED_FIELDS else [_value(old), _value(new)]
    if not changes:
        return changes
    previous_at = allegation.finding_at
    allegation.finding = new_finding
    allegation.finding_reasoning = new_reasoning
    allegation.recommended_sanction = recommended
    allegation.finding_at = utcnow()
    allegation.finding_by_id = actor.id
    audit.record("allegation.finding", actor, allegation.case, {
        "allegation": allegation.id, "finding": new_finding.value,
        "recommended_sanction": _value(recommended), "changes": changes})
    db.session.flush()
    events.finding_recorded.send(allegation.case, allegation=allegation, previous_at=previous_at, actor=actor)
    return changes


def decide_sanction(allegation: Allegation, actor: User, sanction: Sanction | str | None, decided_on: date | None,
                    reference: str | None) -> None:
    """Record the sanction the disciplinary authority decided on a sustained finding, with its date and reference."""
    if not access.can_decide_sanction(actor, allegation.case):
        raise AccessDeniedError(_("Only the disciplinary authority (a supervisor) may record the decided "
                                  "sanction; an investigator recommends one."))
    if allegation.finding != Finding.SUSTAINED:
        raise ValidationError(_("Sanctions apply only to sustained findings."))
    if not sanction:
        raise ValidationError(_("Choose the decided sanction."))
    reference = (reference or "").strip()
    if decided_on is None or not reference:
        raise ValidationError(_("Give the date and the reference of the sanction decision."))
    if decided_on > utcnow().date():
        raise ValidationError(_("The sanction decision cannot be dated in the future."))
    previous = _value(allegation.decided_sanction)
    allegation.decided_sanction = Sanction(sanction)
    allegation.sanction_date = decided_on
    allegation.sanction_reference = reference[:120]
    allegation.sanction_decided_by_id = actor.id
    allegation.sanction_decided_at = utcnow()
    audit.record("allegation.sanction_decided", actor, allegation.case, {
        "allegation": allegation.id, "sanction": allegation.decided_sanction.value, "previous": previous,
        "on": decided_on.isoformat(), "reference": allegation.sanction_reference})
    db.session.flush()
    events.sanction_decided.send(allegation.case, allegation=allegation, actor=actor)


def add_note(case: Case, actor: User, body: str) -> Note:
    """Add an internal staff note to a case (never shown to the reporter)."""
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("A note cannot be empty."))
    note = Note(case=case, author_id=actor.id, body=body)
    db.session.add(note)
    db.session.flush()
    audit.record("note.add", actor, case, {"note": note.id})
    return note


def set_restricted(case: Case, actor: User, restricted: bool) -> None:
    """Restrict a case to named users (the actor and current assignees are named), or lift it."""
    case.restricted = restricted
    if restricted:
        for user in {actor, *access.assigned_users(case)}:
            _grant_if_restricted(case, user, actor)
    audit.record("case.restrict", actor, case, {"restricted": restricted})
    db.session.flush()
