"""My work: the landing page per role, and notices on assignment, removal, a reporter message and a send-back."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from caseflow import workflow
from caseflow.cases import operations as case_ops
from caseflow.channels.outboxseal import body_of, recipient
from caseflow.enums import CaseState, Channel
from caseflow.extensions import db
from caseflow.investigation import operations as inv_ops
from caseflow.models import ConflictDeclaration, OutboxMail, Reminder
from caseflow.reporting import operations as rep_ops
from tests.factories import make_case


def _declared(case, user):
    db.session.add(ConflictDeclaration(case_id=case.id, user_id=user.id, has_conflict=False))


def test_staff_land_on_my_work_after_sign_in(users, client):
    from tests.conftest import login
    response = login(client, users["investigator"])
    assert response.status_code == 302 and response.headers["Location"].endswith("/my-work")


def test_assignment_gives_a_notice_in_app_and_by_mail_and_lists_the_case(users, login_as, clock):
    users["investigator"].email = "ivan@unit.example"
    case = make_case(title="Cash at gate 4", commit=False)
    workflow.transition_case(case, CaseState.TRIAGE, users["supervisor"])
    case_ops.assign_lead_investigator(case, users["investigator"], users["supervisor"])
    _declared(case, users["investigator"])
    inv_ops.add_task(case, users["supervisor"], "Fetch the CCTV", users["investigator"].id,
                     date(2026, 3, 1))
    db.session.commit()
    notice = db.session.scalar(sa.select(Reminder).where(Reminder.user_id == users["investigator"].id))
    assert notice is not None and case.number in notice.message and "lead investigator" in notice.message
    # the outbox is sealed at rest: its rows are opened and read, not searched by address
    mail = next((m for m in db.session.scalars(sa.select(OutboxMail)) if recipient(m) == "ivan@unit.example"), None)
    assert mail is not None and case.number in mail.subject and "gate 4" not in body_of(mail)
    page = login_as(users["investigator"]).get("/my-work").get_data(as_text=True)
    assert notice.message in page and "Cash at gate 4" in page
    assert "Acknowledgement" in page  # the next deadline column: the first running clock
    assert "Fetch the CCTV" in page and "Overdue" in page


def test_removal_and_send_back_are_noticed(users):
    case = make_case(commit=False)
    workflow.transition_case(case, CaseState.TRIAGE, users["supervisor"])
    case_ops.assign_lead_investigator(case, users["investigator"], users["supervisor"])
    case_ops.add_team_member(case, users["investigator2"], users["supervisor"])
    case_ops.remove_team_member(case, users["investigator2"], users["supervisor"])
    db.session.commit()
    messages = list(db.session.scalars(sa.select(Reminder.message).where(
        Reminder.user_id == users["investigator2"].id).order_by(Reminder.id)))
    assert len(messages) == 2 and "took you off" in messages[1]
    from caseflow.events import case_transitioned
    from caseflow.mywork.notices import on_transitioned
    assert case_transitioned.receivers  # connected by the app factory
    on_transitioned(case, CaseState.REPORTING, CaseState.INVESTIGATION, actor=users["supervisor"])
    assert db.session.scalar(sa.select(Reminder).where(Reminder.user_id == users["investigator"].id,
                                                       Reminder.message.contains("sent the case back")))


def test_a_reporter_message_is_noticed_and_counted_unread_until_read(users, login_as):
    case = make_case(channel=Channel.WHISTLEBLOWER, content="The officer at gate 4 takes cash.",
                     issue_receipt=True, is_anonymous=True, commit=False)
    workflow.transition_case(case, CaseState.TRIAGE, users["supervisor"])
    case_ops.assign_lead_investigator(case, users["investigator"], users["supervisor"])
    _declared(case, users["investigator"])
    rep_ops.post_reporter_message(rep_ops.submission_of(case), "He was there again on Monday.")
    db.session.commit()
    assert db.session.scalar(sa.select(Reminder).where(Reminder.user_id == users["investigator"].id,
                                                       Reminder.message.contains("reporter sent")))
    client = login_as(users["investigator"])
    assert "1 new" in client.get("/my-work").get_data(as_text=True)
    client.get(f"/cases/{case.number}/reporter")
    assert "1 new" not in client.get("/my-work").get_data(as_text=True)


def test_no_notice_to_a_user_barred_from_the_case(users):
    case = make_case(commit=False)
    workflow.transition_case(case, CaseState.TRIAGE, users["supervisor"])
    db.session.add(ConflictDeclaration(case_id=case.id, user_id=users["investigator"].id, has_conflict=True,
                                       statement="My brother."))
    db.session.flush()
    from caseflow.mywork.notices import on_assigned, on_reporter_message
    on_assigned(case, users["investigator"], actor=users["supervisor"], as_lead=True)
    on_reporter_message(case)
    assert db.session.scalar(sa.select(Reminder).where(Reminder.user_id == users["investigator"].id)) is None
    # with nobody assigned, supervisors who may see the case hear of the reporter's message
    assert db.session.scalar(sa.select(Reminder).where(Reminder.user_id == users["supervisor"].id))


def test_supervisor_sees_queue_decisions_and_clocks(users, login_as, clock):
    waiting = make_case(title="Nobody leads this", commit=False)
    old = make_case(title="Old and late", received_at=clock.now() - timedelta(days=13), commit=False)
    db.session.commit()
    page = login_as(users["supervisor"]).get("/my-work").get_data(as_text=True)
    assert "Waiting for a lead investigator" in page and "Nobody leads this" in page
    clocks = page.split('id="h-clocks"')[1].split('id="h-cases"')[0]
    assert old.number in clocks and waiting.number not in clocks
    assert waiting.number in page.split('id="h-unassigned"')[1].split('id="h-decisions"')[0]
