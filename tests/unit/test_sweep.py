"""The clock sweep: reminders before expiry to assignees, escalations when overdue to supervisors, once each."""

from __future__ import annotations

import sqlalchemy as sa

from caseflow.extensions import db
from caseflow.intake.operations import acknowledge_case
from caseflow.investigation.sweep import my_reminders, run_sweep
from caseflow.models import AuditEvent, ClockNotice, Reminder
from tests.factories import make_case
from tests.workspace_helpers import investigation_case


def _notices():
    return {(n.case_id, n.clock, n.kind.value) for n in db.session.scalars(sa.select(ClockNotice))}


def test_reminder_then_escalation_once_each(users, clock, monkeypatch):
    sent = []
    monkeypatch.setattr("caseflow.investigation.sweep._queue_mail",
                        lambda user, subject, body, case: sent.append((user.email, subject)))
    users["supervisor"].email = "sara@example.org"
    case = make_case()
    db.session.commit()
    assert run_sweep().reminders == 0  # nothing due yet
    clock.advance(days=5, hours=12)  # acknowledgement due in 1.5 days
    first = run_sweep()
    db.session.commit()
    assert first.reminders == 1 and first.escalations == 0
    assert _notices() == {(case.id, "acknowledgement", "reminder")}
    # nobody is assigned yet, so the supervisors are reminded (in-app, and by mail when they have an address)
    assert {r.user_id for r in db.session.scalars(sa.select(Reminder))} == {users["supervisor"].id,
                                                                            users["supervisor2"].id}
    assert sent and sent[0][0] == "sara@example.org" and case.number in sent[0][1]
    again = run_sweep()
    assert (again.reminders, again.escalations) == (0, 0)
    clock.advance(days=2)  # now overdue
    second = run_sweep()
    db.session.commit()
    assert second.escalations == 1 and (case.id, "acknowledgement", "escalation") in _notices()
    assert (run_sweep().reminders, run_sweep().escalations) == (0, 0)
    actions = [e.action for e in db.session.scalars(sa.select(AuditEvent).where(AuditEvent.case_id == case.id))]
    assert actions.count("clock.reminder") == 1 and actions.count("clock.escalation") == 1


def test_reminders_go_to_assignees_escalations_to_supervisors(users, clock):
    case = investigation_case(users)
    acknowledge_case(case, users["intake"])
    db.session.commit()
    clock.advance(days=88)  # medium priority: 90-day investigation target
    run_sweep()
    db.session.commit()
    notice = db.session.scalar(sa.select(ClockNotice).where(ClockNotice.clock == "investigation"))
    assert notice.kind.value == "reminder"
    mine = my_reminders(users["investigator"])
    assert any("Investigation target" in r.message for r in mine)
    assert not any(r.notice_id == notice.id for r in my_reminders(users["supervisor"]))
    clock.advance(days=3)
    run_sweep()
    db.session.commit()
    escalation = db.session.scalar(sa.select(ClockNotice).where(ClockNotice.clock == "investigation",
                                                                ClockNotice.kind == "escalation"))
    assert escalation is not None
    assert any(r.notice_id == escalation.id for r in my_reminders(users["supervisor"]))
    assert not any(r.notice_id == escalation.id for r in my_reminders(users["investigator"]))


def test_finished_clocks_are_not_reminded(users, clock):
    case = make_case()
    acknowledge_case(case, users["intake"])
    db.session.commit()
    clock.advance(days=6)
    run_sweep()
    assert all(n[1] != "acknowledgement" for n in _notices())


def test_sweep_command_twice(runner, users, clock):
    make_case()
    db.session.commit()
    clock.advance(days=30)
    out1 = runner.invoke(args=["caseflow", "sweep"])
    assert out1.exit_code == 0, out1.output
    assert "escalation" in out1.output and "sweep: 0 reminder(s), 2 escalation(s)" in out1.output
    out2 = runner.invoke(args=["caseflow", "sweep"])
    assert out2.exit_code == 0 and "sweep: 0 reminder(s), 0 escalation(s)" in out2.output
