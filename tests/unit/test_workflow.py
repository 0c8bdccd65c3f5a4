"""Every transition of the table and every guard, allowed and refused."""

from __future__ import annotations

from datetime import timedelta

import pytest

from caseflow import workflow
from caseflow.cases import operations as ops
from caseflow.enums import CaseState, Finding, PartyRole
from caseflow.errors import WorkflowError
from caseflow.extensions import db
from caseflow.models import ConflictDeclaration
from tests.factories import approve_written_report, category, make_case, subject_party

S = CaseState


def _triage(users, **kw):
    case = make_case(subject="Marc Dubois", **kw)
    workflow.transition_case(case, S.TRIAGE, users["intake"])
    return case


def _investigation(users):
    case = _triage(users, category_id=category().id)
    ops.assign_lead_investigator(case, users["investigator"], users["supervisor"])
    ops.add_allegation(case, users["supervisor"], subject_party(case), "Asked for a bribe")
    workflow.transition_case(case, S.INVESTIGATION, users["supervisor"])
    return case


def test_table_matches_design_exactly():
    pairs = {(t.source.value, t.target.value) for t in workflow.TRANSITIONS}
    assert pairs == {
        ("received", "triage"), ("triage", "investigation"), ("triage", "dismissed"), ("triage", "referred"),
        ("investigation", "on_hold"), ("on_hold", "investigation"), ("investigation", "reporting"),
        ("reporting", "investigation"), ("reporting", "closed"),
        ("closed", "triage"), ("dismissed", "triage"), ("referred", "triage"),
        ("closed", "archived"), ("dismissed", "archived"), ("referred", "archived"),
    }


def test_received_to_triage_by_intake_officer_or_supervisor(users):
    case = make_case()
    workflow.transition_case(case, S.TRIAGE, users["intake"])
    assert case.state == S.TRIAGE and case.triage_started_at is not None
    other = make_case()
    workflow.transition_case(other, S.TRIAGE, users["supervisor"])
    assert other.state == S.TRIAGE


@pytest.mark.parametrize("role", ["investigator", "manager", "auditor", "admin"])
def test_received_to_triage_refused_for_other_roles(users, role):
    case = make_case()
    with pytest.raises(WorkflowError):
        workflow.transition_case(case, S.TRIAGE, users[role])
    assert case.state == S.RECEIVED


def test_unknown_transition_refused_with_clear_message(users):
    case = make_case()
    with pytest.raises(WorkflowError, match="cannot move"):
        workflow.transition_case(case, S.CLOSED, users["supervisor"])


def test_open_investigation_needs_category_lead_and_no_conflict(users):
    case = _triage(users)
    with pytest.raises(WorkflowError) as err:
        workflow.transition_case(case, S.INVESTIGATION, users["supervisor"])
    assert "category" in err.value.message and "lead investigator" in err.value.message
    case.category_id = category().id
    ops.assign_lead_investigator(case, users["investigator"], users["supervisor"])
    db.session.add(ConflictDeclaration(case_id=case.id, user_id=users["investigator"].id, has_conflict=True))
    db.session.flush()
    with pytest.raises(WorkflowError, match="conflict of interest"):
        workflow.transition_case(case, S.INVESTIGATION, users["supervisor"])
    db.session.query(ConflictDeclaration).delete()
    workflow.transition_case(case, S.INVESTIGATION, users["supervisor"])
    assert case.state == S.INVESTIGATION and case.triaged_at is not None


def test_intake_officer_cannot_open_investigation(users):
    case = _triage(users, category_id=category().id)
    ops.assign_lead_investigator(case, users["investigator"], users["supervisor"])
    with pytest.raises(WorkflowError, match="supervisor"):
        workflow.transition_case(case, S.INVESTIGATION, users["intake"])


def test_dismiss_needs_reason(users):
    case = _triage(users)
    with pytest.raises(WorkflowError, match="reason"):
        workflow.transition_case(case, S.DISMISSED, users["supervisor"], reason="  ")
    workflow.transition_case(case, S.DISMISSED, users["supervisor"], reason="Commercial dispute")
    assert case.state == S.DISMISSED and case.decision_reason == "Commercial dispute"


def test_refer_needs_receiving_body_and_reason(users):
    case = _triage(users)
    with pytest.raises(WorkflowError) as err:
        workflow.transition_case(case, S.REFERRED, users["supervisor"])
    assert "reason" in err.value.message and "receiving body" in err.value.message
    workflow.transition_case(case, S.REFERRED, users["supervisor"], reason="Crime",
                             receiving_body="Public Prosecutor")
    assert case.referred_to == "Public Prosecutor"


def test_hold_and_resume(users):
    case = _investigation(users)
    with pytest.raises(WorkflowError, match="reason"):
        workflow.transition_case(case, S.ON_HOLD, users["supervisor"])
    with pytest.raises(WorkflowError):
        workflow.transition_case(case, S.ON_HOLD, users["investigator"], reason="x")
    workflow.transition_case(case, S.ON_HOLD, users["supervisor"], reason="Criminal proceedings pending")
    workflow.transition_case(case, S.INVESTIGATION, users["supervisor"])
    assert case.state == S.INVESTIGATION


def test_reporting_only_by_lead_and_only_with_all_findings(users):
    case = _investigation(users)
    with pytest.raises(WorkflowError, match="lead investigator"):
        workflow.transition_case(case, S.REPORTING, users["investigator2"])
    with pytest.raises(WorkflowError, match="no finding"):
        workflow.transition_case(case, S.REPORTING, users["investigator"])
    ops.record_finding(case.allegations[0], users["investigator"], Finding.SUSTAINED, "Two witnesses")
    workflow.transition_case(case, S.REPORTING, users["investigator"])
    assert case.state == S.REPORTING


def test_reporting_refused_without_any_allegation(users):
    case = _triage(users, category_id=category().id)
    ops.assign_lead_investigator(case, users["investigator"], users["supervisor"])
    workflow.transition_case(case, S.INVESTIGATION, users["supervisor"])
    with pytest.raises(WorkflowError, match="at least one allegation"):
        workflow.transition_case(case, S.REPORTING, users["investigator"])


def _reporting(users):
    case = _investigation(users)
    ops.record_finding(case.allegations[0], users["investigator"], Finding.UNFOUNDED, "No evidence")
    workflow.transition_case(case, S.REPORTING, users["investigator"])
    return case


def test_send_back_needs_reason(users):
    case = _reporting(users)
    with pytest.raises(WorkflowError, match="reason"):
        workflow.transition_case(case, S.INVESTIGATION, users["supervisor"])
    workflow.transition_case(case, S.INVESTIGATION, users["supervisor"], reason="Interview the broker")
    assert case.state == S.INVESTIGATION


def test_close_needs_approval_and_outcome(users):
    case = _reporting(users)
    with pytest.raises(WorkflowError) as err:
        workflow.transition_case(case, S.CLOSED, users["supervisor"])
    assert "approve" in err.value.message and "outcome" in err.value.message
    with pytest.raises(WorkflowError, match="approve"):  # a ticked box is no approval: a version must be approved
        workflow.transition_case(case, S.CLOSED, users["supervisor"], approve_report=True, outcome="x")
    approve_written_report(case, users["investigator"], users["supervisor"])
    with pytest.raises(WorkflowError):
        workflow.transition_case(case, S.CLOSED, users["investigator"], outcome="x")
    workflow.transition_case(case, S.CLOSED, users["supervisor"], outcome="No sanction")
    assert case.state == S.CLOSED and case.report_approved_by_id == users["supervisor"].id
    assert case.closed_at is not None


@pytest.mark.parametrize("ended", ["closed", "dismissed", "referred"])
def test_reopen_needs_reason(users, ended):
    case = _reporting(users) if ended == "closed" else _triage(users)
    if ended == "closed":
        approve_written_report(case, users["investigator"], users["supervisor"])
    kw = {"outcome": "done"} if ended == "closed" else {"reason": "r", "receiving_body": "Police"}
    workflow.transition_case(case, S(ended), users["supervisor"], **kw)
    with pytest.raises(WorkflowError, match="reason"):
        workflow.transition_case(case, S.TRIAGE, users["supervisor"])
    workflow.transition_case(case, S.TRIAGE, users["supervisor"], reason="New evidence")
    assert case.state == S.TRIAGE and case.closed_at is None


def test_archive_only_after_retention_and_without_legal_hold(users, clock):
    case = _triage(users)
    workflow.transition_case(case, S.DISMISSED, users["supervisor"], reason="Out of scope")
    with pytest.raises(WorkflowError, match="retention"):
        workflow.transition_case(case, S.ARCHIVED, None)
    clock.advance(days=3 * 365)
    case.legal_hold = True
    with pytest.raises(WorkflowError, match="legal hold"):
        workflow.transition_case(case, S.ARCHIVED, users["admin"])
    case.legal_hold = False
    with pytest.raises(WorkflowError):
        workflow.transition_case(case, S.ARCHIVED, users["supervisor"])
    workflow.transition_case(case, S.ARCHIVED, None)
    assert case.state == S.ARCHIVED and case.archived_at == clock.at


def test_admin_may_archive(users, clock):
    case = _triage(users)
    workflow.transition_case(case, S.DISMISSED, users["supervisor"], reason="Out of scope")
    clock.advance(days=3 * 365)
    workflow.transition_case(case, S.ARCHIVED, users["admin"])
    assert case.state == S.ARCHIVED


def test_subject_can_never_take_a_transition(users):
    case = make_case(subject_user=users["supervisor"])
    with pytest.raises(WorkflowError):
        workflow.transition_case(case, S.TRIAGE, users["supervisor"])


def test_every_transition_is_audited(users):
    case = _triage(users)
    workflow.transition_case(case, S.DISMISSED, users["supervisor"], reason="Out of scope")
    from caseflow.audit import case_timeline
    events = [e for e in case_timeline(case.id) if e.action == "case.transition"]
    assert [e.actor_label for e in events] == ["intake", "sara"]
    assert '"reason":"Out of scope"' in events[-1].detail


def test_offered_transitions_follow_table_and_role(users):
    case = _triage(users)
    offered = {t.target for t, _ in workflow.offered_transitions(case, users["supervisor"])}
    assert offered == {S.INVESTIGATION, S.DISMISSED, S.REFERRED}
    blocked = dict((t.target, p) for t, p in workflow.offered_transitions(case, users["supervisor"]))
    assert blocked[S.INVESTIGATION] and not blocked[S.DISMISSED]
    assert workflow.offered_transitions(case, users["intake"]) == []
    assert workflow.offered_transitions(case, users["manager"]) == []


def test_mermaid_diagram_lists_every_row():
    text = workflow.mermaid_diagram()
    assert text.startswith("stateDiagram-v2")
    for t in workflow.TRANSITIONS:
        assert f"{t.source.value} --> {t.target.value}" in text


def test_retention_period_counts_from_closure(users, clock, app):
    case = _triage(users)
    workflow.transition_case(case, S.DISMISSED, users["supervisor"], reason="Out of scope")
    days = app.config["CASEFLOW_RETENTION_DAYS"]["dismissed"]
    clock.advance(days=days - 1)
    with pytest.raises(WorkflowError):
        workflow.transition_case(case, S.ARCHIVED, None)
    clock.advance(days=1, seconds=1)
    workflow.transition_case(case, S.ARCHIVED, None)
    assert case.archived_at - case.closed_at > timedelta(days=days)


def test_subject_added_later_loses_assignment(users):
    case = _triage(users, category_id=category().id)
    ops.assign_lead_investigator(case, users["investigator"], users["supervisor"])
    ops.add_party(case, users["supervisor"], PartyRole.SUBJECT, "Ivan Petrov", user_id=users["investigator"].id)
    assert case.lead_investigator_id is None
