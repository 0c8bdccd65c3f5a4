"""Retention: archive finished cases past retention, destroy content, keep statistics and the audit chain."""

from __future__ import annotations

import sqlalchemy as sa

from caseflow import audit, workflow
from caseflow.enums import CaseState, Finding
from caseflow.extensions import db
from caseflow.investigation import evidence as ev
from caseflow.investigation import operations as ops
from caseflow.investigation.purge import run_purge
from caseflow.models import AuditEvent, Case, CaseParty, CustodyEvent, Interview, Note, PlanVersion
from tests import workspace_helpers
from tests.factories import approve_written_report, make_case
from tests.workspace_helpers import investigation_case

fake_store = workspace_helpers.fake_store


def _closed_case(users, clock):
    from caseflow.cases import operations as case_ops

    case = investigation_case(users, title="Broker paid the inspector")
    ivan, sup = users["investigator"], users["supervisor"]
    ops.save_plan(case, ivan, "Interview the broker")
    ops.add_task(case, ivan, "Call the broker", ivan.id, None)
    ops.record_interview(case, ivan, "Paul Broker", "witness", clock.at, "Room 4", ivan.id, "He paid 500")
    ev.register_evidence(case, ivan, "Receipt for 500", "Paul Broker", "Safe 3", ("r.png", b"img"))
    case_ops.add_note(case, ivan, "The broker is nervous")
    case_ops.record_finding(case.allegations[0], ivan, Finding.SUSTAINED, "Receipt and testimony")
    workflow.transition_case(case, CaseState.REPORTING, ivan)
    approve_written_report(case, ivan, sup)
    workflow.transition_case(case, CaseState.CLOSED, sup, outcome="Suspended")
    db.session.commit()
    return case


def _dismissed(users):
    case = make_case(title="Rude officer", subject="Rita Rude")
    workflow.transition_case(case, CaseState.TRIAGE, users["intake"])
    workflow.transition_case(case, CaseState.DISMISSED, users["supervisor"], reason="Service matter")
    db.session.commit()
    return case


def test_purge_dry_run_then_real_then_nothing(users, clock, fake_store, app):
    closed = _closed_case(users, clock)
    dismissed = _dismissed(users)
    held = _dismissed(users)
    ops.set_legal_hold(held, users["supervisor"], True, "Court order 12/2026")
    db.session.commit()
    assert run_purge().archived == []  # too early
    clock.advance(days=app.config["CASEFLOW_RETENTION_DAYS"]["dismissed"] + 1)
    dry = run_purge(dry_run=True)
    db.session.rollback()
    assert dry.archived == [dismissed.number] and dry.held == [held.number]
    assert db.session.get(Case, dismissed.id).state == CaseState.DISMISSED
    real = run_purge()
    db.session.commit()
    assert real.archived == [dismissed.number]
    d = db.session.get(Case, dismissed.id)
    assert d.state == CaseState.ARCHIVED and d.title == "—" and d.decision_reason is None
    assert db.session.get(Case, held.id).state == CaseState.DISMISSED
    assert run_purge().archived == [] and run_purge(dry_run=True).archived == []
    clock.advance(days=5 * 365)
    run_purge()
    db.session.commit()
    c = db.session.get(Case, closed.id)
    assert c.state == CaseState.ARCHIVED
    # statistics kept
    assert c.category_id and c.priority and c.channel and c.received_at and c.closed_at
    assert c.allegations[0].finding == Finding.SUSTAINED and c.allegations[0].conduct == ""
    # content and identities gone
    assert c.title == "—" and c.summary == "" and c.outcome is None
    assert not db.session.scalars(sa.select(Note).where(Note.case_id == c.id)).all()
    assert not db.session.scalars(sa.select(PlanVersion).where(PlanVersion.case_id == c.id)).all()
    names = [p.person.full_name for p in db.session.scalars(sa.select(CaseParty).where(CaseParty.case_id == c.id))]
    assert names and set(names) == {"—"}
    interview = db.session.scalar(sa.select(Interview).where(Interview.case_id == c.id))
    assert interview.summary == "" and interview.interviewee == "—"
    custody = db.session.scalars(sa.select(CustodyEvent)).all()
    assert custody and all(e.from_holder == "—" for e in custody)
    # the audit chain is intact and records the purge
    assert audit.verify_chain().ok
    purges = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "case.purge")).all()
    assert {e.case_id for e in purges} == {dismissed.id, closed.id}
    assert run_purge().archived == []


def test_lifting_hold_lets_purge_proceed(users, clock, app):
    case = _dismissed(users)
    ops.set_legal_hold(case, users["supervisor"], True, "Pending litigation")
    db.session.commit()
    clock.advance(days=app.config["CASEFLOW_RETENTION_DAYS"]["dismissed"] + 1)
    assert run_purge().held == [case.number]
    ops.set_legal_hold(case, users["supervisor"], False, "Litigation over")
    assert run_purge().archived == [case.number]


def test_purge_command_dry_run_changes_nothing(runner, users, clock, app):
    case = _dismissed(users)
    clock.advance(days=app.config["CASEFLOW_RETENTION_DAYS"]["dismissed"] + 1)
    before = db.session.scalar(sa.select(sa.func.count(AuditEvent.id)))
    out = runner.invoke(args=["caseflow", "purge", "--dry-run"])
    assert out.exit_code == 0 and f"{case.number} would be archived" in out.output
    db.session.expire_all()
    assert db.session.get(Case, case.id).state == CaseState.DISMISSED
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) == before
    out = runner.invoke(args=["caseflow", "purge"])
    assert "purge: archived 1 case(s)" in out.output
    out = runner.invoke(args=["caseflow", "purge"])
    assert "purge: archived 0 case(s)" in out.output
    db.session.expire_all()
    assert db.session.get(Case, case.id).state == CaseState.ARCHIVED
    assert audit.verify_chain().ok


def test_purge_shreds_the_confidential_store(users, clock, app):
    from pathlib import Path

    from caseflow.models import Attachment, CaseKey, ReportSubmission

    case = make_case(title="Whistleblower report", content="The inspector at gate 3 takes cash.",
                     identity={"name": "Anna Reporter", "contact": "anna@example.org"},
                     attachments=[("photo-notes.txt", b"gate 3, 14:05\n")])
    names = [a.storage_name for a in db.session.scalars(sa.select(Attachment).where(Attachment.case_id == case.id))]
    files = [Path(app.config["CASEFLOW_UPLOAD_DIR"]) / n[:2] / n for n in names]
    assert files and all(f.exists() for f in files)
    workflow.transition_case(case, CaseState.TRIAGE, users["intake"])
    workflow.transition_case(case, CaseState.DISMISSED, users["supervisor"], reason="Not substantiated")
    db.session.commit()
    clock.advance(days=app.config["CASEFLOW_RETENTION_DAYS"]["dismissed"] + 1)
    run_purge()
    db.session.commit()
    for model in (Attachment, CaseKey, ReportSubmission):
        assert not db.session.scalars(sa.select(model).where(model.case_id == case.id)).all()
    assert not any(f.exists() for f in files)
    assert audit.verify_chain().ok
