"""The access matrix: every route of the app, called by every role, checked against ONE table.

HOW TO ADD AN ENTRY (every engineer adding a route must do this, or test_every_route_has_an_entry fails):

    EXPECTED["<METHOD> <endpoint>"] = {<who>: <status>, ...}   # one line in the EXPECTED dict below

  * the key is the HTTP method and the Flask endpoint name, e.g. "GET cases.show_case" or
    "POST cases.add_note"; a route that accepts GET and POST needs one entry per method.
  * the value gives the expected status code for EVERY one of the eight callers in WHO:
    anonymous (no session), intake_officer, investigator (lead of the world case), supervisor,
    manager, auditor, admin, and conflicted (a supervisor who declared a conflict on the world case).
    Use the short names below: ANON (302 to the login page) for anonymous on staff pages.
  * POSTs are sent with an empty form (CSRF is off in tests): an allowed caller usually gets 400 (form
    re-shown with errors), 302 (redirect with a flash) or 409; a refused caller gets 403.
  * URL arguments are filled from the fixture world (see URL_ARGS): <number> is the world case,
    <int:user_id> the lead investigator, <int:allegation_id> its allegation. A route with a new argument
    name needs a builder in URL_ARGS: a function taking the World and returning the value (create the
    object you need there, e.g. an attachment on world.case).
  * Public (reporter) pages: anonymous gets 200 and staff typically 200 as well.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import pytest
from flask import Flask, current_app, url_for

from caseflow.auth.passwords import hash_password
from caseflow.enums import CaseState, PartyRole, Role
from caseflow.extensions import db
from caseflow.models import Allegation, ConflictDeclaration, User
from tests import dbsetup
from tests.conftest import login
from tests.factories import PASSWORD, category, make_case

WHO = ("anonymous", "intake_officer", "investigator", "supervisor", "manager", "auditor", "admin", "conflicted")
ANON = 302  # anonymous visitors of staff pages are redirected to the sign-in page

# Common rows, to keep entries short and uniform.
SIGNED_IN = {w: 200 for w in WHO} | {"anonymous": ANON}
PUBLIC = {w: 200 for w in WHO}
CASE_READ = {"anonymous": ANON, "intake_officer": 200, "investigator": 200, "supervisor": 200, "manager": 403,
             "auditor": 403, "admin": 403, "conflicted": 403}
SUPERVISOR_ONLY = {"anonymous": ANON, "intake_officer": 403, "investigator": 403, "supervisor": 200,
                   "manager": 403, "auditor": 403, "admin": 403, "conflicted": 403}
AUDITOR_ONLY = {"anonymous": ANON, "intake_officer": 403, "investigator": 403, "supervisor": 403, "manager": 403,
                "auditor": 200, "admin": 403, "conflicted": 403}
ADMIN_ONLY = {"anonymous": ANON, "intake_officer": 403, "investigator": 403, "supervisor": 403, "manager": 403,
              "auditor": 403, "admin": 200, "conflicted": 403}


def row(base: dict[str, int], **changes: int) -> dict[str, int]:
    """Return a copy of a common row with some callers' codes changed."""
    return base | changes


EXPECTED: dict[str, dict[str, int]] = {
    # --- foundation: health, sign-in, account ---
    "GET health.healthz": PUBLIC,
    "GET static": PUBLIC,
    "GET auth.index": {w: 302 for w in WHO},
    "GET auth.login": row(PUBLIC, intake_officer=302, investigator=302, supervisor=302, manager=302, auditor=302,
                          admin=302, conflicted=302),
    "POST auth.login": row(PUBLIC, intake_officer=302, investigator=302, supervisor=302, manager=302, auditor=302,
                           admin=302, conflicted=302),
    "POST auth.logout": row(SIGNED_IN, **{w: 302 for w in WHO[1:]}),
    "GET auth.account": SIGNED_IN,
    # --- security (issue 6): second factor, password ---
    "GET auth.login_code": {w: 302 for w in WHO},  # no password step pending: back to the sign-in page
    "POST auth.login_code": {w: 302 for w in WHO},
    "GET auth.login_enrol": {w: 302 for w in WHO},
    "POST auth.login_enrol": {w: 302 for w in WHO},
    "GET auth.enrol": SIGNED_IN,
    "POST auth.enrol": SIGNED_IN,
    "GET auth.change_password": SIGNED_IN,
    "POST auth.change_password": row(SIGNED_IN, **{w: 400 for w in WHO[1:]}),
    "GET auditlog.list_events": AUDITOR_ONLY,
    "GET auditlog.export_csv": AUDITOR_ONLY,
    "POST auditlog.verify": AUDITOR_ONLY,
    "GET admin.index": row(ADMIN_ONLY, admin=302),
    "GET admin.users": ADMIN_ONLY,
    "POST admin.users": row(ADMIN_ONLY, admin=400),
    "GET admin.user": ADMIN_ONLY,
    "POST admin.change_role": row(ADMIN_ONLY, admin=400),
    "POST admin.toggle_active": row(ADMIN_ONLY, admin=302),
    "POST admin.reset_password": row(ADMIN_ONLY, admin=400),
    "POST admin.force_logout": row(ADMIN_ONLY, admin=302),
    "POST admin.change_identity": row(ADMIN_ONLY, admin=400),  # empty form
    "POST admin.reset_two_step": row(ADMIN_ONLY, admin=302),
    "GET admin.categories": ADMIN_ONLY,
    "POST admin.categories": row(ADMIN_ONLY, admin=400),
    "POST admin.update_category": row(ADMIN_ONLY, admin=302),
    "GET admin.offices": ADMIN_ONLY,
    "POST admin.offices": row(ADMIN_ONLY, admin=400),
    "GET admin.unit": ADMIN_ONLY,
    "POST admin.unit": row(ADMIN_ONLY, admin=302),  # empty form: every name falls back
    "POST admin.update_office": row(ADMIN_ONLY, admin=404),  # the world case has no office: office_id is 0
    "GET units.list_units": ADMIN_ONLY,
    "GET units.new_unit": ADMIN_ONLY,
    "POST units.new_unit": row(ADMIN_ONLY, admin=400),
    "GET units.edit_unit": ADMIN_ONLY,
    "POST units.edit_unit": row(ADMIN_ONLY, admin=400),  # empty form: no English name
    "POST units.toggle_unit": row(ADMIN_ONLY, admin=302),
    # --- the questionnaire builder (the world's questionnaire is the published customs default: frozen) ---
    "GET questionnaires.index": ADMIN_ONLY,
    "POST questionnaires.index": row(ADMIN_ONLY, admin=400),  # empty form: no key
    "GET questionnaires.edit": ADMIN_ONLY,
    "GET questionnaires.preview": ADMIN_ONLY,
    "GET questionnaires.edit_question": ADMIN_ONLY,
    "POST questionnaires.edit_question": row(ADMIN_ONLY, admin=400),  # empty form: no kind
    "POST questionnaires.update_title": row(ADMIN_ONLY, admin=409),  # published: never edited in place
    "POST questionnaires.add_step": row(ADMIN_ONLY, admin=409),
    "POST questionnaires.update_step": row(ADMIN_ONLY, admin=409),
    "POST questionnaires.move_step": row(ADMIN_ONLY, admin=409),
    "POST questionnaires.delete_step": row(ADMIN_ONLY, admin=409),
    "POST questionnaires.add_question": row(ADMIN_ONLY, admin=302),  # empty form: refused with a message
    "POST questionnaires.move_question": row(ADMIN_ONLY, admin=409),
    "POST questionnaires.delete_question": row(ADMIN_ONLY, admin=409),
    "POST questionnaires.publish": row(ADMIN_ONLY, admin=409),
    "POST questionnaires.retire": row(ADMIN_ONLY, admin=302),
    "POST questionnaires.new_version": row(ADMIN_ONLY, admin=302),
    "GET restriction.manage": SUPERVISOR_ONLY,
    "POST restriction.restrict": row(SUPERVISOR_ONLY, supervisor=302),
    "POST restriction.grant": row(SUPERVISOR_ONLY, supervisor=400),
    "POST restriction.move_unit": row(SUPERVISOR_ONLY, supervisor=302),  # no unit chosen: refused with a message
    "POST restriction.revoke": row(SUPERVISOR_ONLY, supervisor=302),  # refused with a message: the lead
    # --- cases (foundation) ---
    "GET cases.list_cases": row(CASE_READ, conflicted=200),
    "POST cases.bulk_action": row(SUPERVISOR_ONLY, supervisor=400, conflicted=400),
    "POST cases.save_view": row(CASE_READ, intake_officer=400, investigator=400, supervisor=400, conflicted=400),
    # a saved view is the world supervisor's own: anyone else is answered as if it did not exist
    "GET cases.open_view": row(CASE_READ, intake_officer=404, investigator=404, supervisor=302, manager=404,
                               auditor=404, admin=404, conflicted=404),
    "GET cases.edit_view": row(CASE_READ, intake_officer=404, investigator=404, manager=404, auditor=404,
                               admin=404, conflicted=404),
    "POST cases.edit_view": row(CASE_READ, intake_officer=404, investigator=404, supervisor=400, manager=404,
                                auditor=404, admin=404, conflicted=404),
    "POST cases.delete_view": row(CASE_READ, intake_officer=404, investigator=404, supervisor=302, manager=404,
                                  auditor=404, admin=404, conflicted=404),
    "GET cases.show_case": CASE_READ,
    "GET cases.edit_case": CASE_READ,
    "POST cases.edit_case": row(CASE_READ, intake_officer=400, investigator=400, supervisor=400),
    "POST cases.transition": row(CASE_READ, intake_officer=400, investigator=400, supervisor=400),
    "POST cases.assign": row(SUPERVISOR_ONLY, supervisor=400),
    "POST cases.remove_member": row(SUPERVISOR_ONLY, supervisor=409),  # the lead is not a team member
    "POST cases.add_party": row(CASE_READ, intake_officer=400, investigator=400, supervisor=400),
    "POST cases.decide_match": row(SUPERVISOR_ONLY, supervisor=400),  # no decision given
    "POST cases.add_allegation": row(CASE_READ, intake_officer=400, investigator=400, supervisor=400),
    "GET cases.record_finding": row(CASE_READ, intake_officer=403, investigator=403, supervisor=403),
    "POST cases.record_finding": row(CASE_READ, intake_officer=403, investigator=403, supervisor=403),
    "POST cases.add_note": row(CASE_READ, intake_officer=400, investigator=400, supervisor=400),
    # --- dashboards, reports and exports (issue 7) ---
    "GET dashboards.index": row(SUPERVISOR_ONLY, manager=200, conflicted=200),
    "GET dashboards.export_dashboard": row(SUPERVISOR_ONLY, manager=200, conflicted=200),
    "GET dashboards.export_cases": row(SUPERVISOR_ONLY, investigator=200, conflicted=200),
    "GET dashboards.early_warning_list": row(SUPERVISOR_ONLY, conflicted=200),
    "GET dashboards.early_warning_subject": row(SUPERVISOR_ONLY, supervisor=404, conflicted=404),  # no key given
    "GET dashboards.early_warning_office": row(SUPERVISOR_ONLY, supervisor=404, conflicted=404),  # no office
    "GET reports.case_report": row(SUPERVISOR_ONLY, investigator=200),
    "POST reports.case_report": row(SUPERVISOR_ONLY, investigator=200),  # empty form: the redacted default
    "GET reports.written_report": row(SUPERVISOR_ONLY, investigator=200),
    "POST reports.written_report": row(SUPERVISOR_ONLY, supervisor=403),  # the lead writes, once investigating
    "POST reports.review_report": row(SUPERVISOR_ONLY, supervisor=403),  # reviewed at the reporting stage
    "POST reports.management_report": row(SUPERVISOR_ONLY, manager=200, conflicted=200),
    "GET reports.verify": SIGNED_IN,
    "POST reports.verify": row(SIGNED_IN, **{w: 400 for w in WHO[1:]}),
    # --- the case's reporter tab (the public forms and follow-up are the portal app's) ---
    "GET cases.reporter_page": CASE_READ,
    "POST cases.reporter_reply": row(CASE_READ, intake_officer=403, investigator=409, supervisor=409),  # empty
    "POST cases.request_reveal": row(SUPERVISOR_ONLY, supervisor=400),
    "POST cases.decide_reveal": row(SUPERVISOR_ONLY, supervisor=400),  # asked by another supervisor
    "GET cases.download_attachment": CASE_READ,
    "GET cases.download_original": row(SUPERVISOR_ONLY, supervisor=403),  # sealed: no approved reveal here
    # --- channels (issue 4): JSON API (token only: staff sessions do not count), intake pages, links ---
    "GET api.openapi": PUBLIC,
    "GET api.list_cases": {w: 401 for w in WHO},
    "POST api.create_case": {w: 401 for w in WHO},
    "GET api.get_case": {w: 401 for w in WHO},
    "POST api.add_note": {w: 401 for w in WHO},
    "GET channels.record_complaint": row(SUPERVISOR_ONLY, intake_officer=200, conflicted=200),
    "POST channels.record_complaint": row(SUPERVISOR_ONLY, intake_officer=400, supervisor=400, conflicted=400),
    "GET channels.show_minutes": row(CASE_READ, intake_officer=404, investigator=404, supervisor=404),  # none
    "GET channels.mail_log": row(SUPERVISOR_ONLY, intake_officer=200, conflicted=200),
    "GET channels.import_page": row(SUPERVISOR_ONLY, admin=200, conflicted=200),
    "POST channels.import_page": row(SUPERVISOR_ONLY, supervisor=400, admin=400, conflicted=400),
    "GET channels.import_template": row(SUPERVISOR_ONLY, admin=200, conflicted=200),
    "GET channels.api_tokens": ADMIN_ONLY,
    "POST channels.api_tokens": row(ADMIN_ONLY, admin=400),
    "POST channels.revoke_api_token": row(ADMIN_ONLY, admin=302),
    "POST channels.add_link": row(CASE_READ, intake_officer=302, investigator=302, supervisor=302),
    "POST channels.remove_link": row(CASE_READ, intake_officer=302, investigator=403, supervisor=302),
    # --- investigation workspace (issue 5): lead investigator and supervisors work; intake officers do not ---
    "GET investigation.declare": row(CASE_READ, intake_officer=302, investigator=302, supervisor=302),  # none owed
    "POST investigation.declare": row(CASE_READ, intake_officer=302, investigator=302, supervisor=302),
    "GET investigation.triage": row(SUPERVISOR_ONLY, investigator=200),
    "POST investigation.triage": row(SUPERVISOR_ONLY, investigator=400, supervisor=400),
    "GET investigation.workspace": row(SUPERVISOR_ONLY, investigator=200),
    "POST investigation.save_plan": row(SUPERVISOR_ONLY, investigator=400, supervisor=400),
    "POST investigation.add_task": row(SUPERVISOR_ONLY, investigator=400, supervisor=400),
    "POST investigation.mark_task": row(SUPERVISOR_ONLY, investigator=302, supervisor=302),
    "POST investigation.legal_hold": row(SUPERVISOR_ONLY, supervisor=400),
    "GET investigation.referrals": row(SUPERVISOR_ONLY, investigator=200),
    "POST investigation.add_referral": row(SUPERVISOR_ONLY, investigator=400, supervisor=400),
    "POST investigation.referral_response": row(SUPERVISOR_ONLY, investigator=400, supervisor=400),
    "GET investigation.interviews": row(SUPERVISOR_ONLY, investigator=200),
    "POST investigation.add_interview": row(SUPERVISOR_ONLY, investigator=400, supervisor=400),
    "GET investigation.evidence": row(SUPERVISOR_ONLY, investigator=200),
    "POST investigation.add_evidence": row(SUPERVISOR_ONLY, investigator=400, supervisor=400),
    "GET investigation.evidence_item": row(SUPERVISOR_ONLY, investigator=200),
    "POST investigation.hand_over": row(SUPERVISOR_ONLY, investigator=400, supervisor=400),
    "POST investigation.recheck": row(SUPERVISOR_ONLY, investigator=409, supervisor=409),  # the item has no file
    "GET investigation.download": row(SUPERVISOR_ONLY, investigator=200),
    "POST investigation.attach_task_files": row(SUPERVISOR_ONLY, investigator=409, supervisor=409),  # no file sent
    "GET investigation.work_file": CASE_READ,  # a note's file: whoever reads the case's notes
    "GET investigation.export_register": row(SUPERVISOR_ONLY, investigator=200),
    "GET investigation.reminders": row(SUPERVISOR_ONLY, investigator=200, conflicted=200),
    "POST investigation.reminders": row(SUPERVISOR_ONLY, investigator=302, supervisor=302, conflicted=302),
    # --- people across cases: a person is seen only through visible cases (404, never a hint, otherwise) ---
    "GET people.search": row(CASE_READ, conflicted=200),
    "GET mywork.index": row(CASE_READ, conflicted=200),
    "GET people.show_person": row(CASE_READ, conflicted=404),
    "POST people.edit_person": row(CASE_READ, intake_officer=403, investigator=400, supervisor=400, conflicted=404),
    "POST people.merge_person": row(SUPERVISOR_ONLY, supervisor=400, conflicted=404),
    "GET people.case_identifiers": CASE_READ,
    "POST people.case_identifiers": row(CASE_READ, intake_officer=400, investigator=400, supervisor=400),
    "POST people.remove_identifier": row(CASE_READ, intake_officer=302, investigator=302, supervisor=302),
    "GET letters.case_letters": row(SUPERVISOR_ONLY, investigator=200),
    "POST letters.case_letters": row(SUPERVISOR_ONLY, investigator=400, supervisor=400),  # empty form
    "GET letters.download_issued": row(SUPERVISOR_ONLY, investigator=200),
    "GET letters.admin_templates": ADMIN_ONLY,
    "GET letters.admin_template": ADMIN_ONLY,
    "POST letters.admin_template": row(ADMIN_ONLY, admin=400),  # empty form: nothing to preview
}


@dataclass
class World:
    """The fixture world every matrix call runs in: one case in triage, one user per caller.

    The lead investigator has already declared no conflict of interest (the normal working state)."""

    users: dict[str, User]
    case: Any
    allegation: Allegation
    extra: dict[str, Any] = field(default_factory=dict)


# URL argument builders: argument name -> function(World) -> value. Add one for a new argument name.
URL_ARGS: dict[str, Callable[[World], Any]] = {
    "number": lambda w: w.case.number,
    "case_number": lambda w: w.case.number,
    "token_id": lambda w: _api_token(w),
    "link_id": lambda w: _case_link(w),
    "attachment_id": lambda w: _attachment(w),
    "reveal_id": lambda w: _reveal(w),
    "user_id": lambda w: w.users["investigator"].id,
    "allegation_id": lambda w: w.allegation.id,
    "filename": lambda w: "caseflow.css",
    "category_id": lambda w: _category(w),
    "fmt": lambda w: "csv",
    "office_id": lambda w: w.case.office_id or 0,
    "task_id": lambda w: _workspace_row(w, "task"),
    "mark": lambda w: "done",
    "referral_id": lambda w: _workspace_row(w, "referral"),
    "evidence_id": lambda w: _workspace_row(w, "evidence"),
    "kind": lambda w: "evidence",
    "row_id": lambda w: _workspace_row(w, "evidence_file"),
    "match_id": lambda w: _subject_match(w),
    "version": lambda w: 1,
    "decision": lambda w: "return",
    "person_id": lambda w: next(p.person_id for p in w.case.parties if p.role == PartyRole.SUBJECT),
    "identifier_id": lambda w: _identifier(w),
    "view_id": lambda w: _saved_view(w),
    "unit_id": lambda w: _unit(w),
    "issued_id": lambda w: _letter(w),
    "letter_kind": lambda w: "referral",
    "lang": lambda w: "fr",
    "questionnaire_id": lambda w: _questionnaire(w).id,
    "step_id": lambda w: _questionnaire(w).steps[0].id,
    "question_id": lambda w: _questionnaire(w).steps[0].questions[0].id,
    "file_id": lambda w: _work_file(w),
}


def _saved_view(world: World) -> int:
    """A view of the case list saved by the world's supervisor."""
    from caseflow.cases.queries import CaseFilters
    from caseflow.cases.savedviews import save_view

    view = save_view(world.users["supervisor"], f"Matrix view {len(world.extra)}", CaseFilters())
    world.extra[f"view{view.id}"] = view
    db.session.commit()
    return view.id


def _unit(world: World) -> int:
    """A reporting unit the world case does not belong to (so every caller's case access is unchanged)."""
    from caseflow.units.operations import UnitFields, create_unit

    unit = create_unit(UnitFields(key="ethics", names={"en": "Ethics Office"}), None)
    db.session.commit()
    return unit.id


def _letter(world: World) -> int:
    """A referral letter issued on the world case by the lead (kept in the case)."""
    from caseflow.letters.operations import issue_letter
    from caseflow.models.letters import LetterKind

    referral_id = _workspace_row(world, "referral")
    issued, _letter = issue_letter(world.case, world.users["investigator"], LetterKind.REFERRAL, "fr",
                                   f"referral:{referral_id}")
    db.session.commit()
    return issued.id


def _questionnaire(world: World) -> Any:
    """The published customs questionnaire (installed once per world)."""
    from caseflow.models.questionnaires import Questionnaire
    from caseflow.questionnaires.default import install_default_questionnaire

    install_default_questionnaire()
    db.session.commit()
    return db.session.query(Questionnaire).filter_by(key="customs", version=1).one()


def _work_file(world: World) -> int:
    """A file on a note of the world case."""
    from caseflow.cases.operations import add_note
    from caseflow.investigation.work_files import attach_files

    lead = world.users["investigator"]
    note = add_note(world.case, lead, "Call log attached")
    row = attach_files(world.case, lead, [("log.txt", b"call log\n")], note=note)[0]
    db.session.commit()
    return row.id


def _identifier(world: World) -> int:
    """A vehicle plate recorded on the world case."""
    from caseflow.people.operations import add_identifier

    identifier = add_identifier(world.case, world.users["supervisor"], "plate", "12-ABC-345")
    db.session.commit()
    return identifier.id


def _subject_match(world: World) -> int:
    """A probable match between the world case's subject and a colleague, awaiting a decision."""
    from caseflow.cases import subjects
    from caseflow.enums import MatchStatus

    colleague = _user(Role.INVESTIGATOR, f"m_namesake{len(world.extra)}")
    world.extra[colleague.username] = colleague
    subject = next(p for p in world.case.parties if p.role == PartyRole.SUBJECT)
    db.session.flush()
    match = subjects.new_match(world.case, subject.person, colleague.id, MatchStatus.PENDING, "name")
    db.session.commit()
    return match.id


def _attachment(world: World) -> int:
    """A text file stored on the world case."""
    from caseflow.attachments import store_attachment

    attachment = store_attachment(world.case, "note.txt", b"matrix file\n", None, "reporter")
    db.session.commit()
    return attachment.id



def _workspace_row(world: World, kind: str) -> int:
    """A task, referral or evidence item (with or without a file) on the world case."""
    from datetime import date

    from caseflow.investigation import evidence, operations

    lead, case = world.users["investigator"], world.case
    if kind == "task":
        row: Any = operations.add_task(case, lead, "Fetch the CCTV", lead.id, None)
    elif kind == "referral":
        row = operations.add_referral(case, lead, "police", "City police", date(2026, 1, 5))
    else:
        upload = ("scan.txt", b"evidence file\n") if kind == "evidence_file" else None
        row = evidence.register_evidence(case, lead, "Ledger", "Broker", "Safe 1", upload)
    db.session.commit()
    return row.id

def _reveal(world: World) -> int:
    """A pending identity-reveal request on the world case, asked by a second supervisor."""
    from caseflow.models import IdentityReveal

    requester = _user(Role.SUPERVISOR, "m_requester")
    db.session.flush()
    reveal = IdentityReveal(case_id=world.case.id, reason="Needed for the hearing", requested_by_id=requester.id)
    db.session.add(reveal)
    db.session.commit()
    return reveal.id


def _category(world: World) -> int:
    """Return the id of a complaint category (created for the admin routes)."""
    category_id = category("fraud").id
    db.session.commit()
    return category_id


def _api_token(world: World) -> int:
    """An API token of an integration."""
    from caseflow.api.tokens import create_token

    token, _secret = create_token("matrix-integration", ["cases:read"], None)
    db.session.commit()
    return token.id


def _case_link(world: World) -> int:
    """A link from a new case (just received) to the world case."""
    from caseflow.channels.operations import link_cases

    other = make_case(title="Matrix duplicate", commit=False)
    link = link_cases(other, world.case, "duplicate_of", world.users["supervisor"])
    db.session.commit()
    return link.id


_HASHES: dict[str, str] = {}


def _user(role: Role, username: str) -> User:
    key = repr(sorted(current_app.config["CASEFLOW_ARGON2"].items()))
    if key not in _HASHES:
        _HASHES[key] = hash_password(PASSWORD)
    user = User(username=username, full_name=username.title(), role=role, password_hash=_HASHES[key])
    db.session.add(user)
    return user


def build_world() -> World:
    """Create the users, the triage case with its lead investigator and allegation, and the conflict."""
    from caseflow import workflow
    from caseflow.cases import operations as ops

    users = {
        "intake_officer": _user(Role.INTAKE_OFFICER, "m_intake"),
        "investigator": _user(Role.INVESTIGATOR, "m_investigator"),
        "supervisor": _user(Role.SUPERVISOR, "m_supervisor"),
        "manager": _user(Role.MANAGER, "m_manager"),
        "auditor": _user(Role.AUDITOR, "m_auditor"),
        "admin": _user(Role.ADMIN, "m_admin"),
        "conflicted": _user(Role.SUPERVISOR, "m_conflicted"),
    }
    db.session.flush()
    case = make_case(title="Matrix case", subject="Rafael Subject", commit=False)
    workflow.transition_case(case, CaseState.TRIAGE, users["supervisor"])
    ops.assign_lead_investigator(case, users["investigator"], users["supervisor"])
    subject = next(p for p in case.parties if p.role == PartyRole.SUBJECT)
    allegation = ops.add_allegation(case, users["supervisor"], subject, "Asked for cash at the border post")
    db.session.add(ConflictDeclaration(case_id=case.id, user_id=users["conflicted"].id, has_conflict=True,
                                       statement="My brother-in-law is the subject."))
    db.session.add(ConflictDeclaration(case_id=case.id, user_id=users["investigator"].id, has_conflict=False))
    db.session.commit()
    return World(users=users, case=case, allegation=allegation)


def _rules(app: Flask) -> dict[str, Any]:
    """Return every (method, endpoint) of the app and its URL rule."""
    found: dict[str, Any] = {}
    for rule in app.url_map.iter_rules():
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            found.setdefault(f"{method} {rule.endpoint}", rule)
    return found


def test_every_route_has_an_entry(app: Flask) -> None:
    """A new route without an entry in EXPECTED fails here, naming it."""
    missing = sorted(set(_rules(app)) - set(EXPECTED))
    assert not missing, ("routes without an entry in EXPECTED of tests/web/test_access_matrix.py "
                         f"(add one line each, see the comment at the top): {missing}")


def test_every_entry_is_a_route_and_names_every_caller(app: Flask) -> None:
    """Stale entries (renamed routes) and incomplete rows fail here."""
    stale = sorted(set(EXPECTED) - set(_rules(app)))
    assert not stale, f"EXPECTED entries for routes that no longer exist: {stale}"
    incomplete = {k: sorted(set(WHO) - set(v)) for k, v in EXPECTED.items() if set(v) != set(WHO)}
    assert not incomplete, f"EXPECTED rows missing callers: {incomplete}"


def _url(app: Flask, rule: Any, world: World) -> str:
    values = {}
    for name in rule.arguments:
        if name not in URL_ARGS:
            pytest.fail(f"route {rule.endpoint} has the argument <{name}>: add a builder for it to URL_ARGS "
                        "in tests/web/test_access_matrix.py")
        values[name] = URL_ARGS[name](world)
    with app.test_request_context():
        return url_for(rule.endpoint, **values)


def _call(app: Flask, rule: Any, method: str, callers: tuple[str, ...]) -> dict[str, int]:
    """Build a fresh world, then call the route as each caller; return their status codes."""
    with app.app_context():
        world = build_world()
        url = _url(app, rule, world)
        names = {who: user.username for who, user in world.users.items()}
    got: dict[str, int] = {}
    for who in callers:
        # A fresh app context per caller: Flask-Login caches the signed-in user on `g`, which lives there.
        with app.app_context():
            client = app.test_client()
            if who != "anonymous":
                response = login(client, SimpleNamespace(username=names[who]))
                assert response.status_code == 302, f"could not sign in as {who}"
            response = client.open(url, method=method, data={} if method != "GET" else None)
            got[who] = response.status_code
            response.get_data()  # consume streamed bodies (CSV exports) so their context ends here
            response.close()
            db.session.remove()
    with app.app_context():
        dbsetup.empty_all_tables(db)
        db.session.remove()
    return got


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_matrix(app: Flask, key: str) -> None:
    """Each caller gets exactly the expected status (one world for a GET, a fresh world per caller otherwise)."""
    method, endpoint = key.split(" ", 1)
    rule = _rules(app).get(key)
    if rule is None:
        pytest.fail(f"{key} is in EXPECTED but the app has no such route")
    if method == "GET":
        got = _call(app, rule, method, WHO)
    else:
        got = {}
        for who in WHO:
            got.update(_call(app, rule, method, (who,)))
    wrong = {w: f"expected {EXPECTED[key][w]}, got {got[w]}" for w in WHO if got[w] != EXPECTED[key][w]}
    assert not wrong, f"{key}: {wrong}"
