"""Investigation workspace operations: conflicts, triage, plan, tasks, interviews, evidence, referrals, hold."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from caseflow import access, workflow
from caseflow.cases import operations as case_ops
from caseflow.enums import CaseState, PartyRole, Role
from caseflow.errors import ConflictOfInterestError, ValidationError, WorkflowError
from caseflow.extensions import db
from caseflow.investigation import evidence as ev
from caseflow.investigation import operations as ops
from caseflow.models import AuditEvent, CustodyEvent, PlanVersion, Referral
from tests import workspace_helpers
from tests.factories import category, make_case, make_user
from tests.workspace_helpers import investigation_case, triage_case

fake_store = workspace_helpers.fake_store

S = CaseState


def _actions(case):
    return [e.action for e in db.session.scalars(sa.select(AuditEvent).where(AuditEvent.case_id == case.id))]


# --- conflict of interest -------------------------------------------------------------------------------

def test_assignee_must_declare_before_opening(users):
    case = triage_case(users)
    case_ops.assign_lead_investigator(case, users["investigator"], users["supervisor"])
    assert access.needs_conflict_declaration(users["investigator"], case)
    assert not access.needs_conflict_declaration(users["supervisor"], case)  # not an assignee
    ops.declare_conflict(case, users["investigator"], False)
    assert not access.needs_conflict_declaration(users["investigator"], case)
    assert access.can_view_case(users["investigator"], case)
    with pytest.raises(ValidationError):
        ops.declare_conflict(case, users["investigator"], True, "my cousin")  # one declaration only
    assert "case.conflict_declared" in _actions(case)


def test_declared_conflict_removes_and_bars_for_good(users):
    case = triage_case(users)
    case_ops.assign_lead_investigator(case, users["investigator"], users["supervisor"])
    case_ops.add_team_member(case, users["investigator2"], users["supervisor"])
    with pytest.raises(ValidationError):
        ops.declare_conflict(case, users["investigator2"], True, "")  # must say what it is
    ops.declare_conflict(case, users["investigator2"], True, "The subject is my brother-in-law")
    db.session.commit()
    assert users["investigator2"] not in access.assigned_users(case)
    assert not access.can_view_case(users["investigator2"], case)
    with pytest.raises(ConflictOfInterestError):
        case_ops.add_team_member(case, users["investigator2"], users["supervisor"])
    with pytest.raises(ConflictOfInterestError):
        case_ops.assign_lead_investigator(case, users["investigator2"], users["supervisor"])


def test_lead_declaring_conflict_unassigns_lead(users):
    case = triage_case(users)
    case_ops.assign_lead_investigator(case, users["investigator"], users["supervisor"])
    ops.declare_conflict(case, users["investigator"], True, "I worked with the subject for ten years")
    assert case.lead_investigator_id is None
    assert not access.can_view_case(users["investigator"], case)


def test_subject_can_never_be_assigned_or_see(users):
    staff = make_user(Role.INVESTIGATOR, "olga", full_name="Olga Subject")
    case = triage_case(users, subject=None, subject_user=staff)
    with pytest.raises(ConflictOfInterestError):
        case_ops.assign_lead_investigator(case, staff, users["supervisor"])
    with pytest.raises(ConflictOfInterestError):
        case_ops.add_team_member(case, staff, users["supervisor"])
    assert not access.can_view_case(staff, case)
    boss = make_user(Role.SUPERVISOR, "sven", full_name="Sven Subject")
    other = triage_case(users, subject=None, subject_user=boss)
    assert not access.can_view_case(boss, other) and not access.can_view_workspace(boss, other)


def test_only_assignees_declare(users):
    case = triage_case(users)
    with pytest.raises(ValidationError):
        ops.declare_conflict(case, users["investigator"], False)


# --- triage record -------------------------------------------------------------------------------------

def test_triage_assessment_then_investigate(users):
    case = triage_case(users)
    sup = users["supervisor"]
    ops.record_triage(case, sup, True, category("fraud").id, "high", "medium")
    assert case.admissible is True and case.priority.value == "high" and case.retaliation_risk.value == "medium"
    assert "case.triage_assessed" in _actions(case)
    with pytest.raises(WorkflowError, match="lead investigator"):
        ops.decide_triage(case, sup, S.INVESTIGATION, "")
    case_ops.assign_lead_investigator(case, users["investigator"], sup)
    ops.decide_triage(case, sup, S.INVESTIGATION, "")
    assert case.state == S.INVESTIGATION and case.triaged_at is not None
    with pytest.raises(ValidationError):  # the triage record is closed once decided
        ops.record_triage(case, sup, False, None, "low", None)


def test_triage_refer_enters_referral_register(users):
    case = triage_case(users)
    with pytest.raises(WorkflowError, match="receiving body"):
        ops.decide_triage(case, users["supervisor"], S.REFERRED, "Criminal matter", "")
    ops.decide_triage(case, users["supervisor"], S.REFERRED, "Criminal matter", "Public Prosecutor Office",
                      "prosecutor", "PP-77")
    referral = db.session.scalar(sa.select(Referral).where(Referral.case_id == case.id))
    assert case.state == S.REFERRED and referral.body_name == "Public Prosecutor Office"
    assert referral.body_kind.value == "prosecutor" and referral.reference == "PP-77"


def test_triage_dismiss_needs_reason_and_supervisor(users):
    case = triage_case(users)
    with pytest.raises(WorkflowError, match="reason"):
        ops.decide_triage(case, users["supervisor"], S.DISMISSED, "")
    with pytest.raises(WorkflowError):
        ops.decide_triage(case, users["intake"], S.DISMISSED, "Out of scope")
    ops.decide_triage(case, users["supervisor"], S.DISMISSED, "Out of scope")
    assert case.state == S.DISMISSED and case.decision_reason == "Out of scope"


def test_triage_refused_to_intake_and_unassigned_investigator(users):
    case = triage_case(users)
    with pytest.raises(ValidationError):
        ops.record_triage(case, users["intake"], True, None, "low", None)
    with pytest.raises(ValidationError):
        ops.record_triage(case, users["investigator"], True, None, "low", None)


# --- plan and tasks ------------------------------------------------------------------------------------

def test_plan_is_versioned_and_audited(users):
    case = investigation_case(users)
    ivan = users["investigator"]
    ops.save_plan(case, ivan, "1. Interview the broker.")
    ops.save_plan(case, ivan, "1. Interview the broker.\n2. Obtain the CCTV.")
    with pytest.raises(ValidationError):
        ops.save_plan(case, ivan, "1. Interview the broker.\n2. Obtain the CCTV.")
    with pytest.raises(ValidationError):
        ops.save_plan(case, ivan, "  ")
    versions = db.session.scalars(sa.select(PlanVersion).where(PlanVersion.case_id == case.id)
                                  .order_by(PlanVersion.version)).all()
    assert [v.version for v in versions] == [1, 2]
    assert ops.current_plan(case).body.endswith("CCTV.")
    assert _actions(case).count("plan.save") == 2


def test_tasks_owner_due_done(users, clock):
    case = investigation_case(users)
    ivan = users["investigator"]
    task = ops.add_task(case, ivan, "Obtain CCTV footage", ivan.id, date(2026, 3, 5))
    with pytest.raises(ValidationError, match="not on this case"):
        ops.add_task(case, ivan, "Other", users["investigator2"].id, None)
    with pytest.raises(ValidationError):
        ops.add_task(case, ivan, " ", ivan.id, None)
    ops.set_task_done(task, ivan, True)
    assert task.done_at == clock.at
    with pytest.raises(ValidationError):
        ops.set_task_done(task, ivan, True)
    ops.set_task_done(task, ivan, False)
    assert task.done_at is None
    assert {"task.add", "task.done", "task.reopen"} <= set(_actions(case))


# --- interviews ----------------------------------------------------------------------------------------

def test_interview_with_signed_statement(users, clock, fake_store):
    case = investigation_case(users)
    ivan = users["investigator"]
    held = clock.at - timedelta(hours=3)
    iv = ops.record_interview(case, ivan, "Paul Broker", "witness", held, "Room 4", ivan.id,
                              "Saw the cash change hands.", ("statement.pdf", b"%PDF-1.4 signed"))
    assert iv.role == PartyRole.WITNESS and iv.statement_filename == "statement.pdf"
    assert iv.statement_sha256 == __import__("hashlib").sha256(b"%PDF-1.4 signed").hexdigest()
    with pytest.raises(ValidationError, match="before it takes place"):
        ops.record_interview(case, ivan, "X", "witness", clock.at + timedelta(days=1), "", ivan.id, "")
    with pytest.raises(ValidationError):
        ops.record_interview(case, ivan, "", "witness", held, "", ivan.id, "")
    with pytest.raises(ValidationError, match="conducted"):
        ops.record_interview(case, ivan, "X", "witness", held, "", None, "")


# --- evidence and custody ------------------------------------------------------------------------------

def test_evidence_numbering_hash_and_custody(users, clock, fake_store):
    case = investigation_case(users)
    ivan = users["investigator"]
    first = ev.register_evidence(case, ivan, "Bank statement", "Reporter", "Safe 2")
    second = ev.register_evidence(case, ivan, "CCTV export", "Port security", "", ("cctv.mp4", b"frames"))
    assert first.number == f"{case.number}-E01" and second.number == f"{case.number}-E02"
    assert first.sha256 is None and len(second.sha256) == 64
    assert second.holder == "Ivan Petrov" and second.custody[0].from_holder == "Port security"
    clock.advance(hours=2)
    ev.hand_over(second, ivan, "Forensic lab", clock.at - timedelta(hours=1), "Frame analysis", "Lab locker 9")
    assert second.holder == "Forensic lab" and second.storage_location == "Lab locker 9"
    assert [(e.from_holder, e.to_holder) for e in second.custody] == [
        ("Port security", "Ivan Petrov"), ("Ivan Petrov", "Forensic lab")]
    with pytest.raises(ValidationError, match="predate"):
        ev.hand_over(second, ivan, "Ivan Petrov", clock.at - timedelta(days=3), "Back")
    with pytest.raises(ValidationError, match="already holds"):
        ev.hand_over(second, ivan, "Forensic lab", clock.at, "Again")
    with pytest.raises(ValidationError):
        ev.hand_over(second, ivan, "Someone", clock.at, "")
    with pytest.raises(ValidationError):
        ev.register_evidence(case, ivan, "Phone", "", "Safe 1")


def test_custody_events_are_append_only(users, fake_store):
    case = investigation_case(users)
    item = ev.register_evidence(case, users["investigator"], "Ledger", "Office raid", "Safe 1")
    db.session.commit()
    event = db.session.scalar(sa.select(CustodyEvent).where(CustodyEvent.evidence_id == item.id))
    event.reason = "rewritten"
    with pytest.raises(ValueError, match="append-only"):
        db.session.flush()
    db.session.rollback()


def test_recheck_flags_mismatch_in_audit(users, fake_store):
    case = investigation_case(users)
    ivan = users["investigator"]
    item = ev.register_evidence(case, ivan, "Invoice scan", "Broker", "", ("invoice.png", b"original"))
    assert ev.recheck_evidence(item, ivan) is True and item.last_check_ok is True
    fake_store.blobs[item.attachment_id] = b"tampered"
    assert ev.recheck_evidence(item, ivan) is False and item.last_check_ok is False
    assert "evidence.hash_mismatch" in _actions(case)
    plain = ev.register_evidence(case, ivan, "Paper file", "Broker", "Safe 1")
    with pytest.raises(ValidationError):
        ev.recheck_evidence(plain, ivan)


# --- referrals and legal hold --------------------------------------------------------------------------

def test_referral_and_response(users):
    case = investigation_case(users)
    sup = users["supervisor"]
    ref = ops.add_referral(case, sup, "anti_corruption_commission", "National ACC", date(2026, 3, 1), "ACC/1")
    with pytest.raises(ValidationError):
        ops.add_referral(case, sup, "martians", "X", date(2026, 3, 1))
    with pytest.raises(ValidationError):
        ops.add_referral(case, sup, "police", "", date(2026, 3, 1))
    with pytest.raises(ValidationError, match="predate"):
        ops.record_referral_response(ref, sup, "Accepted", date(2026, 2, 1))
    ops.record_referral_response(ref, sup, "Accepted for criminal investigation", date(2026, 3, 20), "ACC/1/B")
    assert ref.response_on == date(2026, 3, 20) and ref.reference == "ACC/1/B"
    assert {"referral.add", "referral.response"} <= set(_actions(case))


def test_legal_hold_set_and_lift(users):
    case = investigation_case(users)
    sup = users["supervisor"]
    with pytest.raises(ValidationError):
        ops.set_legal_hold(case, sup, True, "")
    ops.set_legal_hold(case, sup, True, "Litigation notice received")
    assert case.legal_hold
    with pytest.raises(ValidationError):
        ops.set_legal_hold(case, sup, True, "again")
    ops.set_legal_hold(case, sup, False, "Litigation settled")
    assert not case.legal_hold and _actions(case).count("case.legal_hold") == 2


def test_access_rules_for_the_workspace(users):
    case = investigation_case(users)
    ivan, iris, sup, intake = (users[k] for k in ("investigator", "investigator2", "supervisor", "intake"))
    assert access.can_work_case(ivan, case) and access.can_work_case(sup, case)
    assert not access.can_work_case(iris, case) and not access.can_view_workspace(iris, case)
    assert not access.can_work_case(intake, case) and not access.can_view_workspace(intake, case)
    for role in ("manager", "auditor", "admin"):
        assert not access.can_view_workspace(users[role], case)
    assert access.can_set_legal_hold(sup, case) and not access.can_set_legal_hold(ivan, case)
    workflow.transition_case(case, S.ON_HOLD, sup, reason="Criminal proceedings")
    assert access.can_work_case(ivan, case)
    fresh = make_case()
    assert not access.can_work_case(sup, fresh) and access.can_triage(sup, fresh)
