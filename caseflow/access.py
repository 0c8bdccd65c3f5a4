"""Who may do what to which case: every access rule of CaseFlow lives here."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NoReturn

import sqlalchemy as sa
from flask import abort
from flask_babel import gettext as _

from caseflow.crypto import user_ref
from caseflow.enums import CaseState, MatchStatus, PartyRole, Role
from caseflow.extensions import db
from caseflow.models import (
    Case,
    CaseAccessGrant,
    CaseParty,
    CaseTeamMember,
    ConflictDeclaration,
    Person,
    ReportingUnit,
    SubjectMatch,
    User,
)
from caseflow.models.units import unit_members, unit_supervisors
from caseflow.transitions import Actor, Transition

# Roles that never read case content (DESIGN.md): managers see aggregates, auditors the log, admins settings.
CASE_ROLES = (Role.INTAKE_OFFICER, Role.INVESTIGATOR, Role.SUPERVISOR)
INTAKE_STATES = (CaseState.RECEIVED, CaseState.TRIAGE)


def _signed_in(user: Any) -> bool:
    return user is not None and bool(getattr(user, "is_authenticated", False)) and bool(user.is_active)


def assigned_users(case: Case) -> list[User]:
    """Return the lead investigator and team members of a case."""
    users = [m.user for m in case.team]
    if case.lead_investigator is not None and case.lead_investigator not in users:
        users.insert(0, case.lead_investigator)
    return users


def is_subject(user: User, case: Case) -> bool:
    """Return whether the user is named as a subject of the case (linked, or matched and not dismissed)."""
    ref = user_ref(user.id)
    stmt = (sa.select(CaseParty.id).join(Person, CaseParty.person_id == Person.id)
            .where(CaseParty.case_id == case.id, CaseParty.role == PartyRole.SUBJECT, Person.user_ref == ref))
    matched = sa.select(SubjectMatch.id).where(SubjectMatch.case_id == case.id, SubjectMatch.user_ref == ref,
                                               SubjectMatch.status != MatchStatus.DISMISSED)
    return (db.session.execute(stmt.limit(1)).first() is not None
            or db.session.execute(matched.limit(1)).first() is not None)


def has_declared_conflict(user: User, case: Case) -> bool:
    """Return whether the user declared a conflict of interest on the case."""
    stmt = sa.select(ConflictDeclaration.id).where(
        ConflictDeclaration.case_id == case.id, ConflictDeclaration.user_id == user.id,
        ConflictDeclaration.has_conflict.is_(True))
    return db.session.execute(stmt.limit(1)).first() is not None


def is_excluded(user: User, case: Case) -> bool:
    """Return whether the user is barred from the case (subject of it, or conflicted)."""
    return user.id in excluded_user_ids(case)


def excluded_user_ids(case: Case) -> set[int]:
    """Return the ids of every user barred from the case.

    Barred are: a user linked to a subject, a user a subject matches (same badge, or a probable name match
    not dismissed by a supervisor), and a user who declared a conflict on it. Subjects and matches hold the
    account's blind reference, so the accounts are found by computing each one's reference.
    """
    if case.id is None:
        return set()
    subjects = sa.select(Person.user_ref).join(CaseParty, CaseParty.person_id == Person.id).where(
        CaseParty.case_id == case.id, CaseParty.role == PartyRole.SUBJECT, Person.user_ref.is_not(None))
    matched = sa.select(SubjectMatch.user_ref).where(SubjectMatch.case_id == case.id,
                                                     SubjectMatch.status != MatchStatus.DISMISSED)
    refs: set[str] = set(db.session.execute(sa.union(subjects, matched)).scalars())
    conflicted = set(db.session.scalars(sa.select(ConflictDeclaration.user_id).where(
        ConflictDeclaration.case_id == case.id, ConflictDeclaration.has_conflict.is_(True))))
    if refs:
        conflicted |= {uid for uid in db.session.scalars(sa.select(User.id)) if user_ref(uid) in refs}
    return conflicted


def is_granted(user: User, case: Case) -> bool:
    """Return whether the user is named on a restricted case's access list."""
    stmt = sa.select(CaseAccessGrant.id).where(CaseAccessGrant.case_id == case.id,
                                               CaseAccessGrant.user_id == user.id)
    return db.session.execute(stmt.limit(1)).first() is not None


def is_on_team(user: User, case: Case) -> bool:
    """Return whether the user is the lead or a team member of the case."""
    return case.lead_investigator_id == user.id or any(m.user_id == user.id for m in case.team)


# Reporting units: a case with a unit is seen only by that unit's members and supervisors (a wall before any
# role rule); a case without a unit follows the role rules alone, as before units existed.
def is_in_unit(user: Any, unit_id: int | None) -> bool:
    """Return whether the user is a member or a supervisor of the unit."""
    if unit_id is None or user is None or getattr(user, "id", None) is None:
        return False
    member = sa.select(unit_members.c.user_id).where(unit_members.c.unit_id == unit_id,
                                                     unit_members.c.user_id == user.id)
    supervisor = sa.select(unit_supervisors.c.user_id).where(unit_supervisors.c.unit_id == unit_id,
                                                             unit_supervisors.c.user_id == user.id)
    return db.session.execute(sa.union(member, supervisor).limit(1)).first() is not None


def passes_unit_wall(user: Any, case: Case) -> bool:
    """Return whether the unit of the case (if it has one) lets this user in."""
    return case.unit_id is None or is_in_unit(user, case.unit_id)


def unit_wall_clause(user: Any) -> sa.ColumnElement[bool]:
    """Return the SQL form of passes_unit_wall() on Case."""
    mine = sa.union(sa.select(unit_members.c.unit_id).where(unit_members.c.user_id == user.id),
                    sa.select(unit_supervisors.c.unit_id).where(unit_supervisors.c.user_id == user.id))
    return units_wall_clause(mine)


def units_wall_clause(unit_ids: Any) -> sa.ColumnElement[bool]:
    """Return the unit wall on Case for these units (ids or a select of them): theirs, and cases with no unit."""
    return sa.or_(Case.unit_id.is_(None), Case.unit_id.in_(unit_ids))


def unit_ids_of(user: Any) -> set[int]:
    """Return the reporting units the user is a member or a supervisor of."""
    if user is None or getattr(user, "id", None) is None:
        return set()
    mine = sa.union(sa.select(unit_members.c.unit_id).where(unit_members.c.user_id == user.id),
                    sa.select(unit_supervisors.c.unit_id).where(unit_supervisors.c.user_id == user.id))
    return set(db.session.scalars(sa.select(mine.subquery().c.unit_id)))


def visible_colleague_ids(viewer: Any) -> set[int] | None:
    """Return the staff a list may show the viewer (with their workload): a viewer in reporting units sees the
    staff of those units; None means everyone (a viewer in no unit, or an installation without units)."""
    mine = unit_ids_of(viewer)
    if not mine:
        return None
    staff = sa.union(sa.select(unit_members.c.user_id).where(unit_members.c.unit_id.in_(mine)),
                     sa.select(unit_supervisors.c.user_id).where(unit_supervisors.c.unit_id.in_(mine)))
    return set(db.session.scalars(sa.select(staff.subquery().c.user_id)))


def can_be_assigned(user: Any, case: Case) -> bool:
    """Return whether a user may be put on the case's team: a case with a unit takes only that unit's staff."""
    return passes_unit_wall(user, case)


def can_administer_units(user: Any) -> bool:
    """Return whether the user may create, edit and deactivate reporting units and name their staff."""
    return can_administer(user)


def can_view_case(user: Any, case: Case) -> bool:
    """Return whether the user may open the case (unit, need-to-know, restriction, conflicts)."""
    if not _signed_in(user) or user.role not in CASE_ROLES:
        return False
    if not passes_unit_wall(user, case):
        return False
    if case.restricted and not is_granted(user, case):
        return False
    if is_excluded(user, case):
        return False
    if user.role == Role.SUPERVISOR:
        return True
    if user.role == Role.INVESTIGATOR:
        return is_on_team(user, case)
    return case.state in INTAKE_STATES or case.created_by_id == user.id


def can_edit_case(user: Any, case: Case) -> bool:
    """Return whether the user may change the case's details, people, allegations and notes."""
    if not can_view_case(user, case) or case.state == CaseState.ARCHIVED:
        return False
    if user.role == Role.INTAKE_OFFICER:
        return case.state in INTAKE_STATES
    return True


def can_assign(user: Any, case: Case) -> bool:
    """Return whether the user may assign the lead investigator and team, or restrict the case."""
    return can_edit_case(user, case) and user.role == Role.SUPERVISOR


def can_record_findings(user: Any, case: Case) -> bool:
    """Return whether the user may record findings and sanctions on the case's allegations."""
    return can_edit_case(user, case) and (user.role == Role.SUPERVISOR or is_on_team(user, case)) \
        and case.state in (CaseState.INVESTIGATION, CaseState.REPORTING)


def can_decide_subject_match(user: Any, case: Case) -> bool:
    """Return whether the user may confirm or dismiss a probable match between a subject and a colleague."""
    return can_assign(user, case)


def can_decide_sanction(user: Any, case: Case) -> bool:
    """Return whether the user may record the decided sanction: the disciplinary authority, never an investigator."""
    from flask import current_app

    roles = current_app.config.get("CASEFLOW_DISCIPLINARY_ROLES", (Role.SUPERVISOR.value,))
    return can_edit_case(user, case) and user.role != Role.INVESTIGATOR and user.role.value in roles \
        and case.state in (CaseState.INVESTIGATION, CaseState.REPORTING, CaseState.CLOSED)


def can_create_case(user: Any) -> bool:
    """Return whether the user may record a complaint by hand."""
    return _signed_in(user) and user.role in (Role.INTAKE_OFFICER, Role.SUPERVISOR)


def can_list_cases(user: Any) -> bool:
    """Return whether the user has a case list at all."""
    return _signed_in(user) and user.role in CASE_ROLES


def can_view_dashboard(user: Any) -> bool:
    """Return whether the user may see aggregate dashboards."""
    return _signed_in(user) and user.role in (Role.MANAGER, Role.SUPERVISOR)


def sees_exact_figures(user: Any) -> bool:
    """Return whether dashboard figures are shown exactly (supervisors) rather than small-cell suppressed."""
    return _signed_in(user) and user.role == Role.SUPERVISOR


def dashboard_wall(user: Any) -> tuple[int, ...] | None:
    """Return the units whose cases a viewer's exact dashboard figures may count (None: every case).

    Exact figures narrowed by office, category and month single out cases, so a supervisor's dashboard counts
    only what the unit wall lets him see: his units' cases and cases with no unit. Managers' protected figures
    cover every unit; an installation without units has no wall.
    """
    if not sees_exact_figures(user):
        return None
    if db.session.scalar(sa.select(ReportingUnit.id).limit(1)) is None:
        return None
    return tuple(sorted(unit_ids_of(user)))


def can_view_early_warning(user: Any) -> bool:
    """Return whether the user may see the early-warning list of subjects and offices (names and cases)."""
    return _signed_in(user) and user.role == Role.SUPERVISOR


def early_warning_cases_clause(user: Any) -> sa.ColumnElement[bool]:
    """Return the condition on Case for what early warning may count for this viewer: the cases they may see.

    Restricted cases the viewer is not granted, and cases naming the viewer as subject, count for nobody who
    cannot open them, so the figures never reveal that such cases exist.
    """
    return visible_cases_clause(user)


def early_warning_person_clause(user: Any, person_user_ref: Any) -> sa.ColumnElement[bool]:
    """Return the condition that keeps the viewer out of the early-warning list of subjects."""
    if not _signed_in(user):
        return sa.false()
    return sa.or_(person_user_ref.is_(None), person_user_ref != user_ref(user.id))


def can_export_cases(user: Any) -> bool:
    """Return whether the user may export a case list (managers may not: no case content for them)."""
    return can_list_cases(user) and user.role in (Role.INVESTIGATOR, Role.SUPERVISOR)


def can_generate_report(user: Any, case: Case, redacted: bool = False) -> bool:
    """Return whether the user may issue a case's investigation report (full: supervisor or lead; redacted: team)."""
    if not can_view_case(user, case) or user.role not in (Role.INVESTIGATOR, Role.SUPERVISOR):
        return False
    if user.role == Role.SUPERVISOR or case.lead_investigator_id == user.id:
        return True
    return redacted and is_on_team(user, case)


def can_write_report(user: Any, case: Case) -> bool:
    """Return whether the user may write a version of the investigation report: the lead, during the investigation."""
    return can_edit_case(user, case) and case.lead_investigator_id == user.id \
        and case.state in (CaseState.INVESTIGATION, CaseState.REPORTING)


def can_review_report(user: Any, case: Case, author_id: int | None) -> bool:
    """Return whether the user may approve or send back a report version: a supervisor who did not write it."""
    return can_view_case(user, case) and user.role == Role.SUPERVISOR and user.id != author_id \
        and case.state == CaseState.REPORTING


def can_read_report_drafts(user: Any, case: Case) -> bool:
    """Return whether the user may read the report's versions (the team and supervisors)."""
    return can_view_workspace(user, case)


def can_verify_report(user: Any) -> bool:
    """Return whether the user may check a PDF against the register of issued reports."""
    return _signed_in(user)


def can_view_audit_log(user: Any) -> bool:
    """Return whether the user may read the audit log."""
    return _signed_in(user) and user.role == Role.AUDITOR


def can_administer(user: Any) -> bool:
    """Return whether the user may manage users, reference lists and settings."""
    return _signed_in(user) and user.role == Role.ADMIN


def can_build_questionnaires(user: Any) -> bool:
    """Return whether the user may build, translate, publish and retire the reporters' questionnaires (admins)."""
    return can_administer(user)


def can_read_case_answers(user: Any, case: Any) -> bool:
    """Return whether the user may read the questionnaire answers of a case (as its complaint text)."""
    return can_read_reporter_content(user, case)


def requires_second_factor(user: Any) -> bool:
    """Return whether the configuration makes a second factor mandatory for this user's role."""
    from flask import current_app

    # every staff role: the auditor reads the whole log and the manager every figure, so a password is not enough
    return bool(current_app.config.get("CASEFLOW_REQUIRE_2FA")) and getattr(user, "role", None) in tuple(Role)


def can_manage_restriction(user: Any, case: Case) -> bool:
    """Return whether the user may restrict the case and name who may see it (its supervisors)."""
    return can_view_case(user, case) and user.role == Role.SUPERVISOR and case.state != CaseState.ARCHIVED


def can_move_case_unit(user: Any, case: Case) -> bool:
    """Return whether the user may move the case to another reporting unit (a supervisor who sees it)."""
    return can_manage_restriction(user, case)


def may_take(user: Any, case: Case, transition: Transition) -> bool:
    """Return whether the actor may take this transition on this case (role and visibility, not guards)."""
    if user is None:
        return Actor.RETENTION_JOB in transition.who
    if not _signed_in(user):
        return False
    if user.role == Role.ADMIN and Actor.ADMIN in transition.who:
        return True
    if not can_view_case(user, case):
        return False
    if Actor.LEAD_INVESTIGATOR in transition.who and case.lead_investigator_id == user.id:
        return True
    return any(a.value == user.role.value for a in transition.who)


def describe_actors(who: Iterable[Actor]) -> str:
    """Return a readable list of who may take a transition."""
    names = {
        Actor.INTAKE_OFFICER: _("an intake officer"),
        Actor.SUPERVISOR: _("a supervisor"),
        Actor.ADMIN: _("an administrator"),
        Actor.LEAD_INVESTIGATOR: _("the lead investigator"),
        Actor.RETENTION_JOB: _("the retention job"),
    }
    return _(" or ").join(names[a] for a in sorted(who, key=lambda a: a.value))


def visible_cases_clause(user: Any) -> sa.ColumnElement[bool]:
    """Return a SQL condition selecting exactly the cases can_view_case() allows, for lists and exports."""
    if not _signed_in(user) or user.role not in CASE_ROLES:
        return sa.false()
    ref = user_ref(user.id)
    subject = sa.exists().where(
        CaseParty.case_id == Case.id, CaseParty.role == PartyRole.SUBJECT,
        CaseParty.person_id == Person.id, Person.user_ref == ref)
    matched = sa.exists().where(SubjectMatch.case_id == Case.id, SubjectMatch.user_ref == ref,
                                SubjectMatch.status != MatchStatus.DISMISSED)
    conflict = sa.exists().where(
        ConflictDeclaration.case_id == Case.id, ConflictDeclaration.user_id == user.id,
        ConflictDeclaration.has_conflict.is_(True))
    granted = sa.exists().where(CaseAccessGrant.case_id == Case.id, CaseAccessGrant.user_id == user.id)
    clauses = [~subject, ~matched, ~conflict, sa.or_(Case.restricted.is_(False), granted), unit_wall_clause(user)]
    if user.role == Role.INVESTIGATOR:
        team = sa.exists().where(CaseTeamMember.case_id == Case.id, CaseTeamMember.user_id == user.id)
        clauses.append(sa.or_(Case.lead_investigator_id == user.id, team))
    elif user.role == Role.INTAKE_OFFICER:
        clauses.append(sa.or_(Case.state.in_(INTAKE_STATES), Case.created_by_id == user.id))
    return sa.and_(*clauses)


# Investigation workspace (issue 5): investigators on the team and supervisors write; intake officers do not.
WORKSPACE_STATES = (CaseState.TRIAGE, CaseState.INVESTIGATION, CaseState.ON_HOLD, CaseState.REPORTING)


def can_own_task(user: Any, case: Case) -> bool:
    """Return whether a user may own a task or interview here: an active, unconflicted supervisor or team member."""
    if user is None or not user.active or user.role not in (Role.INVESTIGATOR, Role.SUPERVISOR):
        return False
    if is_excluded(user, case) or not passes_unit_wall(user, case):
        return False
    return user.role == Role.SUPERVISOR or is_on_team(user, case)


def can_view_workspace(user: Any, case: Case) -> bool:
    """Return whether the user may open the case's investigation workspace."""
    return can_view_case(user, case) and user.role in (Role.INVESTIGATOR, Role.SUPERVISOR)


def _works_on(user: Any, case: Case) -> bool:
    return can_view_workspace(user, case) and (user.role == Role.SUPERVISOR or is_on_team(user, case))


def can_work_case(user: Any, case: Case) -> bool:
    """Return whether the user may write the plan, tasks, interviews and evidence of the case."""
    return _works_on(user, case) and case.state in WORKSPACE_STATES


def can_read_work_file(user: Any, case: Case, on_task: bool) -> bool:
    """Return whether the user may download a file of a task (workspace staff) or of a note (whoever sees the case)."""
    return can_view_workspace(user, case) if on_task else can_view_case(user, case)


def can_export_register(user: Any, case: Case) -> bool:
    """Return whether the user may print or export the case's evidence register (whoever opens the workspace)."""
    return can_view_workspace(user, case)


def can_triage(user: Any, case: Case) -> bool:
    """Return whether the user may record the triage assessment (the decisions are workflow transitions)."""
    return _works_on(user, case) and case.state in INTAKE_STATES


def can_record_referral(user: Any, case: Case) -> bool:
    """Return whether the user may record a referral or a receiving body's response."""
    return _works_on(user, case) and case.state != CaseState.ARCHIVED


def can_set_legal_hold(user: Any, case: Case) -> bool:
    """Return whether the user may set or lift a legal hold (which stops retention purging)."""
    return can_view_case(user, case) and user.role == Role.SUPERVISOR and case.state != CaseState.ARCHIVED


def needs_conflict_declaration(user: Any, case: Case) -> bool:
    """Return whether an assignee must still declare (no) conflict of interest before opening the case."""
    if not _signed_in(user) or case.id is None or not is_on_team(user, case):
        return False
    stmt = sa.select(ConflictDeclaration.id).where(ConflictDeclaration.case_id == case.id,
                                                   ConflictDeclaration.user_id == user.id)
    return db.session.execute(stmt.limit(1)).first() is None


def can_view_reminders(user: Any) -> bool:
    """Return whether the user has a "my reminders" list (staff who work cases)."""
    return _signed_in(user) and user.role in (Role.INVESTIGATOR, Role.SUPERVISOR)


# Confidential reporting (issue 3): the reporter's text, thread and files; the sealed identity and its reveal.
def can_read_reporter_content(user: Any, case: Case) -> bool:
    """Return whether the user may read the reporter's complaint text, messages and files (each read audited)."""
    return can_view_case(user, case)


def can_message_reporter(user: Any, case: Case) -> bool:
    """Return whether the user may write to the reporter (investigators on the case and supervisors)."""
    return can_edit_case(user, case) and user.role in (Role.INVESTIGATOR, Role.SUPERVISOR)


def can_request_reveal(user: Any, case: Case) -> bool:
    """Return whether the user may ask to reveal the reporter's sealed identity (a supervisor)."""
    return can_view_case(user, case) and user.role == Role.SUPERVISOR


def can_decide_reveal(user: Any, case: Case, requested_by_id: int) -> bool:
    """Return whether the user may approve a reveal request: a supervisor other than the requester."""
    return can_request_reveal(user, case) and user.id != requested_by_id


def can_view_identity(user: Any, case: Case, reveal_approved: bool) -> bool:
    """Return whether the user may see the revealed identity: after approval, supervisors and the lead only."""
    return reveal_approved and can_view_case(user, case) and (
        user.role == Role.SUPERVISOR or case.lead_investigator_id == user.id)


def can_open_sealed_original(user: Any, case: Case, reveal_approved: bool) -> bool:
    """Return whether the user may open a reporter file as received (it may identify them): as the identity."""
    return can_view_identity(user, case, reveal_approved)


def require(allowed: bool, message: str | None = None) -> None:
    """Abort with 403 unless allowed (with the reason shown to the user, if given)."""
    if not allowed:
        deny(message)


def deny(message: str | None = None) -> NoReturn:
    """Abort the request with 403; the message, if any, is shown on the error page and kept in the audit log."""
    if message:
        from flask import g

        g.cf_denial_reason = message
        abort(403, description=message)
    abort(403)


# JSON API tokens (issue 4): an integration acts with its scopes; it sees only the cases it created unless
# it holds cases:read:all (then every case that is not restricted).
API_SCOPES = ("cases:create", "cases:read", "cases:read:all", "notes:write")


def token_has_scope(token: Any, scope: str) -> bool:
    """Return whether an active API token holds a scope (cases:read:all implies cases:read)."""
    if token is None or not token.is_active:
        return False
    scopes = token.scope_set
    return scope in scopes or (scope == "cases:read" and "cases:read:all" in scopes)


def token_visible_cases_clause(token: Any) -> sa.ColumnElement[bool]:
    """Return a SQL condition selecting the cases an API token may read."""
    from caseflow.models import IntakeRecord

    if not token_has_scope(token, "cases:read"):
        return sa.false()
    if "cases:read:all" in token.scope_set:
        return sa.and_(Case.restricted.is_(False), token_unit_clause(token))
    return sa.and_(token_unit_clause(token),
                   sa.exists().where(IntakeRecord.case_id == Case.id, IntakeRecord.api_token_id == token.id))


def token_unit_clause(token: Any) -> sa.ColumnElement[bool]:
    """Return the unit wall of an API token: a token walled to units sees only their cases (and unit-less ones)."""
    from caseflow.models.units import api_token_units

    walled = sa.exists().where(api_token_units.c.token_id == token.id)
    mine = sa.select(api_token_units.c.unit_id).where(api_token_units.c.token_id == token.id)
    return sa.or_(~walled, Case.unit_id.is_(None), Case.unit_id.in_(mine))


def token_may_file_in(token: Any, unit: Any) -> bool:
    """Return whether an API token may file a case in this unit (None: no unit)."""
    walls = {u.id for u in token.units}
    return not walls or (unit is not None and unit.id in walls)


def token_can_view_case(token: Any, case: Case) -> bool:
    """Return whether an API token may read this case."""
    stmt = sa.select(Case.id).where(Case.id == case.id, token_visible_cases_clause(token))
    return db.session.execute(stmt).first() is not None


def token_can_add_note(token: Any, case: Case) -> bool:
    """Return whether an API token may add a note to this case (it must see it; not archived)."""
    return token_has_scope(token, "notes:write") and token_can_view_case(token, case) \
        and case.state != CaseState.ARCHIVED


# Intake channels (issue 4): staff intake, CSV import, API token admin, case links.
def can_view_mail_log(user: Any) -> bool:
    """Return whether the user may see the mail kept as not a complaint or failed (who takes complaints in)."""
    return can_create_case(user)


def can_import_csv(user: Any) -> bool:
    """Return whether the user may import complaints from a CSV file (admins and supervisors)."""
    return _signed_in(user) and user.role in (Role.ADMIN, Role.SUPERVISOR)


def can_manage_api_tokens(user: Any) -> bool:
    """Return whether the user may create and revoke API tokens."""
    return can_administer(user)


def can_link_cases(user: Any, case: Case, other: Case) -> bool:
    """Return whether the user may link two cases (edit one, see the other)."""
    return can_edit_case(user, case) and can_view_case(user, other)


# People across cases and my work: a person is seen only through the cases the viewer may see.
def can_search_people(user: Any) -> bool:
    """Return whether the user may search the person index (staff who work cases; results are need-to-know)."""
    return can_list_cases(user)


def undeclared_clause(user: Any) -> sa.ColumnElement[bool]:
    """Return a SQL condition selecting the cases the user is assigned to but has not yet declared on (gated)."""
    team = sa.exists().where(CaseTeamMember.case_id == Case.id, CaseTeamMember.user_id == user.id)
    declared = sa.exists().where(ConflictDeclaration.case_id == Case.id, ConflictDeclaration.user_id == user.id)
    return sa.and_(sa.or_(Case.lead_investigator_id == user.id, team), sa.not_(declared))


def person_cases_clause(user: Any, person_id: int) -> sa.ColumnElement[bool]:
    """Return a SQL condition selecting the visible cases that name this person (or a duplicate merged into it);
    a case the user must still declare on stays closed here as everywhere else until they answer."""
    merged = sa.select(Person.id).where(sa.or_(Person.id == person_id, Person.merged_into_id == person_id))
    named = sa.exists().where(CaseParty.case_id == Case.id, CaseParty.person_id.in_(merged))
    return sa.and_(named, person_index_clause(user))


def person_index_clause(user: Any) -> sa.ColumnElement[bool]:
    """Return the cases the person index may show the user: visible, and not waiting for their declaration."""
    return sa.and_(visible_cases_clause(user), sa.not_(undeclared_clause(user)))


def can_view_person(user: Any, person: Person) -> bool:
    """Return whether the user may open a person's page: they see at least one case naming the person."""
    if not can_search_people(user):
        return False
    stmt = sa.select(Case.id).where(person_cases_clause(user, person.id)).limit(1)
    return db.session.execute(stmt).first() is not None


def _person_case_ids(person: Person) -> list[int]:
    merged = sa.select(Person.id).where(sa.or_(Person.id == person.id, Person.merged_into_id == person.id))
    return list(db.session.scalars(sa.select(CaseParty.case_id).where(CaseParty.person_id.in_(merged)).distinct()))


def can_edit_person(user: Any, person: Person) -> bool:
    """Return whether the user may correct a person's name, badge or position: they may edit every case naming them."""
    if not can_search_people(user) or user.role not in (Role.INVESTIGATOR, Role.SUPERVISOR):
        return False
    ids = _person_case_ids(person)
    cases = db.session.scalars(sa.select(Case).where(Case.id.in_(ids)))
    return bool(ids) and all(can_edit_case(user, c) and not needs_conflict_declaration(user, c) for c in cases)


def can_merge_people(user: Any, first: Person, second: Person) -> bool:
    """Return whether the user may merge two duplicate people: a supervisor who may edit every case of both."""
    return _signed_in(user) and user.role == Role.SUPERVISOR and can_edit_person(user, first) \
        and can_edit_person(user, second)


def can_record_identifiers(user: Any, case: Case) -> bool:
    """Return whether the user may record or remove plates, companies, declarations and phones on a case."""
    return can_edit_case(user, case) and user.role in (Role.INVESTIGATOR, Role.SUPERVISOR, Role.INTAKE_OFFICER)


def can_view_my_work(user: Any) -> bool:
    """Return whether the user has a "my work" landing page (staff who work cases)."""
    return can_list_cases(user)


def may_be_notified(user: Any, case: Case) -> bool:
    """Return whether a notice about a case may go to this user: active, and not barred from the case."""
    return user is not None and bool(user.active) and not is_excluded(user, case) and passes_unit_wall(user, case)


def may_be_told_of_removal(user: Any, case: Case) -> bool:
    """Return whether a user taken off a case may be told so: active and not barred from it, whatever its unit now.

    A case moved to another unit leaves its old staff outside the unit's wall; they knew the case, and its number
    tells them nothing new. A user excluded from it (a subject, a conflict) is never told: that would tip him off.
    """
    return user is not None and bool(user.active) and not is_excluded(user, case)


# The case list for daily use: saved views are private; bulk actions are the supervisors', case by case.
def can_save_views(user: Any) -> bool:
    """Return whether the user may save named views of the case list (anyone with a case list)."""
    return can_list_cases(user)


def owns_saved_view(user: Any, view: Any) -> bool:
    """Return whether a saved view is the user's own (views are never shared)."""
    return can_save_views(user) and view is not None and view.user_id == user.id


def can_use_bulk_actions(user: Any) -> bool:
    """Return whether the user is offered bulk actions on the case list (supervisors); each case is checked again."""
    return _signed_in(user) and user.role == Role.SUPERVISOR


def may_bulk(user: Any, case: Case, action: str) -> bool:
    """Return whether the user may apply a bulk action to this case: the rule of the same action one by one."""
    if not can_use_bulk_actions(user):
        return False
    if action == "assign_lead":
        return can_assign(user, case)
    if action in ("priority", "category"):
        return can_edit_case(user, case)
    return action == "export" and can_view_case(user, case)


# Letters: issued by whoever works the case; a letter naming the reporter needs what seeing the identity needs.
def can_issue_letters(user: Any, case: Case) -> bool:
    """Return whether the user may issue letters on the case: a supervisor or the lead and team, not barred."""
    return _works_on(user, case) and case.state != CaseState.ARCHIVED


def can_issue_acknowledgement(user: Any, case: Case, reveal_approved: bool) -> bool:
    """Return whether the user may write to the named complainant: it prints the sealed identity."""
    return can_issue_letters(user, case) and can_view_identity(user, case, reveal_approved)


def can_download_issued(user: Any, case: Case, kind: str, variant: str, letter_kind: str | None,
                        reveal_approved: bool) -> bool:
    """Return whether the user may download a report or letter kept in the case (who could issue it)."""
    if kind == "letter":
        if letter_kind == "acknowledgement":
            return _works_on(user, case) and can_view_identity(user, case, reveal_approved)
        return _works_on(user, case)
    return can_generate_report(user, case, redacted=variant == "redacted")


def can_edit_letter_templates(user: Any) -> bool:
    """Return whether the user may edit the letter templates (administrators)."""
    return can_administer(user)
