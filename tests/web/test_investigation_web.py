"""The investigation workspace through HTTP: every page and rule, allowed and refused, forms kept on error."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from caseflow import workflow
from caseflow.cases import operations as case_ops
from caseflow.enums import CaseState
from caseflow.extensions import db
from caseflow.investigation import operations as ops
from caseflow.investigation.sweep import run_sweep
from caseflow.models import AuditEvent, Case, EvidenceItem, Interview, Referral, Task
from tests.factories import make_case
from tests.workspace_helpers import investigation_case, triage_case


def _url(case, tail=""):
    return f"/cases/{case.number}/investigation{tail}"


def _actions(case):
    return [e.action for e in db.session.scalars(sa.select(AuditEvent).where(AuditEvent.case_id == case.id))]


# --- conflict declaration on first opening --------------------------------------------------------------

def test_assignee_is_sent_to_declaration_until_answered(client, users, login_as):
    case = triage_case(users)
    case_ops.assign_lead_investigator(case, users["investigator"], users["supervisor"])
    db.session.commit()
    login_as(users["investigator"])
    for path in (f"/cases/{case.number}", _url(case), _url(case, "/evidence")):
        r = client.get(path)
        assert r.status_code == 302 and r.location.endswith(_url(case, "/declaration"))
    page = client.get(_url(case, "/declaration")).data.decode()
    assert "conflict of interest" in page
    r = client.post(_url(case, "/declaration"), data={"has_conflict": "no"})
    assert r.status_code == 302 and r.location.endswith(f"/cases/{case.number}#flash")
    assert client.get(f"/cases/{case.number}").status_code == 200


def test_declaring_a_conflict_removes_and_bars(client, users, login_as):
    case = triage_case(users)
    case_ops.add_team_member(case, users["investigator2"], users["supervisor"])
    db.session.commit()
    login_as(users["investigator2"])
    r = client.post(_url(case, "/declaration"), data={"has_conflict": "yes", "statement": ""})
    assert r.status_code == 409 and b"Say briefly what the conflict" in r.data
    assert re.search(rb'<input checked[^>]*value="yes"', r.data)  # the answer is kept
    r = client.post(_url(case, "/declaration"), data={"has_conflict": "yes", "statement": "My sister"})
    assert r.status_code == 302 and r.location.endswith("/cases#flash")
    assert client.get(f"/cases/{case.number}").status_code == 403
    assert client.get(_url(case)).status_code == 403
    client.post("/logout")
    login_as(users["supervisor"])
    page = client.get(f"/cases/{case.number}").data.decode()
    assert "Iris Okafor" not in page.split('id="h-team"')[1].split("</section>")[0]
    r = client.post(f"/cases/{case.number}/assign", data={"assign-user_id": users["investigator2"].id})
    assert r.status_code in (400, 409)


def test_supervisor_not_assigned_is_not_asked_to_declare(client, users, login_as):
    case = triage_case(users)
    login_as(users["supervisor"])
    assert client.get(f"/cases/{case.number}").status_code == 200


# --- triage record --------------------------------------------------------------------------------------

def test_triage_page_offers_the_workflow_transitions(client, users, login_as):
    case = triage_case(users)
    login_as(users["supervisor"])
    page = client.get(_url(case, "/triage")).data.decode()
    for t, _problems in workflow.offered_transitions(case, users["supervisor"]):
        assert str(t.label) in page and f'value="{t.target.value}"' in page
    assert "Assign a lead investigator first." in page  # the open-investigation guard, shown


def test_triage_dismiss_needs_reason_and_keeps_the_form(client, users, login_as):
    case = triage_case(users)
    login_as(users["supervisor"])
    data = {"admissible": "no", "priority": "low", "retaliation_risk": "high", "category_id": "",
            "decision": "dismissed", "reason": ""}
    r = client.post(_url(case, "/triage"), data=data)
    assert r.status_code == 409 and b"Give a reason." in r.data
    assert b'<option selected value="high">' in r.data or b'value="high" selected' in r.data
    db.session.expire_all()
    assert db.session.get(Case, case.id).state == CaseState.TRIAGE
    r = client.post(_url(case, "/triage"), data=dict(data, reason="Commercial dispute, outside our mandate"))
    assert r.status_code == 302
    db.session.expire_all()
    c = db.session.get(Case, case.id)
    assert c.state == CaseState.DISMISSED and c.admissible is False and c.retaliation_risk.value == "high"
    page = client.get(_url(case, "/triage")).data.decode()
    assert "Commercial dispute" in page and 'name="decision"' not in page


def test_triage_refer_records_referral(client, users, login_as):
    case = triage_case(users)
    login_as(users["supervisor"])
    r = client.post(_url(case, "/triage"), data={
        "admissible": "yes", "priority": "high", "retaliation_risk": "", "decision": "referred",
        "reason": "Criminal offence", "receiving_body": "National Police", "body_kind": "police",
        "reference": "NP-2026-1"})
    assert r.status_code == 302
    ref = db.session.scalar(sa.select(Referral).where(Referral.case_id == case.id))
    assert ref.body_name == "National Police" and ref.reference == "NP-2026-1"
    assert "National Police" in client.get(_url(case, "/referrals")).data.decode()


def test_triage_refused_to_intake_and_others(client, users, login_as):
    case = triage_case(users)
    login_as(users["intake"])
    assert client.get(_url(case, "/triage")).status_code == 403
    assert client.post(_url(case, "/triage"), data={"priority": "low", "decision": ""}).status_code == 403
    client.post("/logout")
    login_as(users["investigator"])  # not on the team
    assert client.get(_url(case, "/triage")).status_code == 403


# --- plan, tasks, hold ----------------------------------------------------------------------------------

def test_plan_and_tasks(client, users, login_as, clock):
    case = investigation_case(users)
    login_as(users["investigator"])
    assert client.post(_url(case, "/plan"), data={"plan-body": ""}).status_code == 400
    assert client.post(_url(case, "/plan"), data={"plan-body": "Interview the broker"}).status_code == 302
    client.post(_url(case, "/plan"), data={"plan-body": "Interview the broker, then the driver"})
    page = client.get(_url(case)).data.decode()
    assert "Version 2" in page and "Earlier versions (1)" in page
    due = (clock.at + timedelta(days=1)).date()
    r = client.post(_url(case, "/tasks"), data={"task-title": "Fetch CCTV", "task-owner_id": users["investigator"].id,
                                                "task-due_date": due.isoformat()})
    assert r.status_code == 302
    r = client.post(_url(case, "/tasks"), data={"task-title": "Bad owner", "task-owner_id": users["investigator2"].id,
                                                "task-due_date": ""})
    assert r.status_code == 400  # not a choice: only the team
    clock.advance(days=3)
    page = client.get(_url(case)).data.decode()
    assert "Fetch CCTV" in page and "Overdue" in page
    task = db.session.scalar(sa.select(Task).where(Task.case_id == case.id))
    assert client.post(_url(case, f"/tasks/{task.id}/done")).status_code == 302
    db.session.expire_all()
    assert db.session.get(Task, task.id).done_at == clock.at
    assert "Overdue" not in client.get(_url(case)).data.decode().split('id="h-tasks"')[1]


@pytest.mark.parametrize("who", ["investigator2", "intake", "manager", "auditor", "admin"])
def test_workspace_refused_to_others(client, users, login_as, who):
    case = investigation_case(users)
    login_as(users[who])
    assert client.get(_url(case)).status_code == 403
    assert client.post(_url(case, "/plan"), data={"plan-body": "x"}).status_code == 403
    assert client.post(_url(case, "/evidence"), data={"ev-description": "x", "ev-source": "y"}).status_code == 403
    assert client.get(_url(case, "/interviews")).status_code == 403


def test_legal_hold_is_for_supervisors(client, users, login_as):
    case = investigation_case(users)
    login_as(users["investigator"])
    assert client.post(_url(case, "/legal-hold"), data={"hold-reason": "x"}).status_code == 403
    client.post("/logout")
    login_as(users["supervisor"])
    assert client.post(_url(case, "/legal-hold"), data={"hold-reason": ""}).status_code == 400
    assert client.post(_url(case, "/legal-hold"), data={"hold-reason": "Court order"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Case, case.id).legal_hold
    assert "Lift the legal hold" in client.get(_url(case)).data.decode()
    assert "case.legal_hold" in _actions(case)


def test_closed_case_workspace_is_read_only(client, users, login_as):
    case = investigation_case(users)
    ops.save_plan(case, users["investigator"], "The plan")
    workflow.transition_case(case, CaseState.ON_HOLD, users["supervisor"], reason="Court")
    db.session.commit()
    login_as(users["investigator"])
    assert client.post(_url(case, "/plan"), data={"plan-body": "New"}).status_code == 302  # on hold: still work
    case2 = make_case()
    workflow.transition_case(case2, CaseState.TRIAGE, users["intake"])
    workflow.transition_case(case2, CaseState.DISMISSED, users["supervisor"], reason="No")
    db.session.commit()
    client.post("/logout")
    login_as(users["supervisor"])
    assert client.get(_url(case2)).status_code == 200
    assert client.post(_url(case2, "/plan"), data={"plan-body": "x"}).status_code == 403


# --- interviews, evidence, custody (with the real encrypted file store) ------------------------------------

def test_interview_with_statement_file(client, users, login_as, clock):
    case = investigation_case(users)
    login_as(users["investigator"])
    form = {"iv-interviewee": "Paul Broker", "iv-role": "witness", "iv-held_at": "2026-03-01T10:30",
            "iv-location": "Room 4", "iv-interviewer_id": users["investigator"].id, "iv-summary": "Saw cash."}
    r = client.post(_url(case, "/interviews"), data=dict(form, **{"iv-held_at": "2026-04-01T10:00"}))
    assert r.status_code == 409 and b"Paul Broker" in r.data  # in the future: refused, form kept
    data = dict(form, **{"iv-statement": (io.BytesIO(b"I, Paul Broker, saw the cash.\n"), "statement.txt")})
    r = client.post(_url(case, "/interviews"), data=data, content_type="multipart/form-data")
    assert r.status_code == 302
    interview = db.session.scalar(sa.select(Interview).where(Interview.case_id == case.id))
    page = client.get(_url(case, "/interviews")).data.decode()
    assert "Paul Broker" in page and "Room 4" in page and interview.statement_sha256 in page
    raw = db.session.execute(sa.text("SELECT interviewee, summary FROM interviews WHERE id = :id"),
                             {"id": interview.id}).one()
    assert all(v.startswith("s1:") for v in raw) and "Paul" not in raw[0] and "cash" not in raw[1]  # sealed at rest
    assert (interview.interviewee, interview.summary) == ("Paul Broker", "Saw cash.")
    r = client.get(_url(case, f"/files/statement/{interview.id}"))
    assert r.status_code == 200 and b"saw the cash" in r.data
    disposition = r.headers["Content-Disposition"]
    assert disposition.startswith("attachment") and "statement.txt" in disposition


def test_evidence_register_custody_and_hash_check(client, users, login_as, clock, app):
    case = investigation_case(users)
    login_as(users["investigator"])
    content = b"Ledger page 14: 500 paid\n"
    r = client.post(_url(case, "/evidence"), data={"ev-description": "", "ev-source": "Broker"})
    assert r.status_code == 400 and b'value="Broker"' in r.data
    r = client.post(_url(case, "/evidence"), content_type="multipart/form-data", data={
        "ev-description": "Ledger scan", "ev-source": "Broker's office", "ev-storage_location": "",
        "ev-upload": (io.BytesIO(content), "ledger.txt")})
    assert r.status_code == 302
    item = db.session.scalar(sa.select(EvidenceItem).where(EvidenceItem.case_id == case.id))
    assert item.number == f"{case.number}-E01" and item.sha256 == hashlib.sha256(content).hexdigest()
    url = _url(case, f"/evidence/{item.id}")
    assert item.sha256 in client.get(url).data.decode()
    clock.advance(hours=2)
    r = client.post(url + "/custody", data={"ho-to_holder": "Forensic lab", "ho-occurred_at": "2026-03-02T10:30",
                                            "ho-reason": "Analysis", "ho-storage_location": "Lab safe"})
    assert r.status_code == 302
    r = client.post(url + "/custody", data={"ho-to_holder": "Archive", "ho-occurred_at": "2026-03-01T08:30",
                                            "ho-reason": "Back-dated"})
    assert r.status_code == 409 and b"Archive" in r.data
    page = client.get(url).data.decode()
    assert "Ivan Petrov → Forensic lab" in page and "Broker&#39;s office → Ivan Petrov" in page
    r = client.post(url + "/check")
    assert r.status_code == 302 and "matches" in client.get(url).data.decode()
    from caseflow.models import Attachment

    stored = db.session.get(Attachment, item.attachment_id).storage_name
    path = Path(app.config["CASEFLOW_UPLOAD_DIR"]) / stored[:2] / stored
    path.write_bytes(b"tampered")
    client.post(url + "/check")
    page = client.get(url).data.decode()
    assert "Hash mismatch" in page
    assert "Hash mismatch" in client.get(_url(case, "/evidence")).data.decode()
    assert "evidence.hash_mismatch" in _actions(case)


def test_referrals_and_responses(client, users, login_as):
    case = investigation_case(users)
    login_as(users["supervisor"])
    r = client.post(_url(case, "/referrals"), data={"ref-body_kind": "prosecutor", "ref-body_name": "",
                                                    "ref-referred_on": "2026-03-01"})
    assert r.status_code == 400
    r = client.post(_url(case, "/referrals"), data={"ref-body_kind": "prosecutor", "ref-body_name": "City Prosecutor",
                                                    "ref-referred_on": "2026-03-01", "ref-reference": "CP-9"})
    assert r.status_code == 302
    ref = db.session.scalar(sa.select(Referral).where(Referral.case_id == case.id))
    r = client.post(_url(case, f"/referrals/{ref.id}/response"),
                    data={f"resp{ref.id}-response": "Opened proceedings", f"resp{ref.id}-response_on": "2026-02-01"})
    assert r.status_code == 409 and b"Opened proceedings" in r.data
    r = client.post(_url(case, f"/referrals/{ref.id}/response"),
                    data={f"resp{ref.id}-response": "Opened proceedings", f"resp{ref.id}-response_on": "2026-03-10"})
    assert r.status_code == 302
    db.session.expire_all()
    assert db.session.get(Referral, ref.id).response_on == date(2026, 3, 10)


def test_my_reminders_after_sweep(client, users, login_as, clock):
    case = investigation_case(users)
    clock.advance(days=89)
    run_sweep()
    db.session.commit()
    login_as(users["investigator"])
    page = client.get("/cases/my-reminders").data.decode()
    assert case.number in page and "Investigation target" in page
    assert "My reminders" in page and "(2)" in page  # the sweep's reminder and the assignment notice
    assert client.post("/cases/my-reminders").status_code == 302
    assert "(2)" not in client.get("/cases/my-reminders").data.decode()
    client.post("/logout")
    login_as(users["manager"])
    assert client.get("/cases/my-reminders").status_code == 403


def test_assign_list_shows_workload_and_leaves_out_the_conflicted(client, users, login_as):
    busy = investigation_case(users)
    case = triage_case(users)
    case_ops.add_team_member(case, users["investigator2"], users["supervisor"])
    ops.declare_conflict(case, users["investigator2"], True, "Former colleague of the subject")
    db.session.commit()
    login_as(users["supervisor"])
    page = client.get(f"/cases/{case.number}").data.decode()
    select = page.split('name="assign-user_id"')[1].split("</select>")[0]
    assert "Ivan Petrov — 1 open case<" in select and "Iris Okafor" not in select
    assert busy.number != case.number
