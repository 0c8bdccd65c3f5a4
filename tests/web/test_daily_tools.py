"""The investigator's daily tools: interviewees from the case's people, task owner default, files on tasks and notes."""

from __future__ import annotations

import io
import re
from datetime import datetime

import sqlalchemy as sa

from caseflow import access
from caseflow.cases import operations as case_ops
from caseflow.enums import CaseState, PartyRole
from caseflow.extensions import db
from caseflow.investigation.purge import destroy_case_content
from caseflow.models import Attachment, CaseParty, Interview, Note, Task, WorkFile
from tests.attacks.samples import pdf_with_metadata
from tests.factories import subject_party
from tests.workspace_helpers import investigation_case


def _url(case, tail=""):
    return f"/cases/{case.number}/investigation{tail}"


def _interview(client, case, users, **fields):
    data = {"iv-held_at": "2026-03-01T10:30", "iv-interviewer_id": users["investigator"].id, "iv-summary": "Heard."}
    data.update({f"iv-{k}": v for k, v in fields.items()})
    return client.post(_url(case, "/interviews"), data=data)


# --- interviewees are the case's people ------------------------------------------------------------------

def test_the_interview_form_offers_the_cases_people_and_records_the_one_picked(client, users, login_as, clock):
    case = investigation_case(users)
    subject = subject_party(case)
    login_as(users["investigator"])
    page = client.get(_url(case, "/interviews")).text
    assert re.search(rf'<option[^>]*value="{subject.id}"[^>]*>Marc Dubois \(Subject\)</option>', page)
    assert "Someone new: add them to the case" in page
    r = _interview(client, case, users, party_id=str(subject.id), role="witness")
    assert r.status_code == 302
    interview = db.session.scalar(sa.select(Interview))
    assert (interview.party_id, interview.interviewee, interview.role) == (subject.id, "Marc Dubois",
                                                                           PartyRole.SUBJECT)
    assert len(db.session.get(type(case), case.id).parties) == 1  # nobody was added
    assert "Person of the case" in client.get(_url(case, "/interviews")).text


def test_someone_new_is_added_to_the_cases_people_and_matched_against_staff(client, users, login_as, clock):
    case = investigation_case(users)
    case_ops.add_team_member(case, users["investigator2"], users["supervisor"])
    db.session.commit()
    login_as(users["investigator"])
    assert _interview(client, case, users, party_id="new", interviewee="Paul Broker", role="witness").status_code \
        == 302
    assert _interview(client, case, users, party_id="new", interviewee="Iris  Okafor", role="subject").status_code \
        == 302
    parties = {p.display_name: p.role for p in db.session.scalars(sa.select(CaseParty)
                                                                    .where(CaseParty.case_id == case.id))}
    assert parties == {"Marc Dubois": PartyRole.SUBJECT, "Paul Broker": PartyRole.WITNESS,
                       "Iris Okafor": PartyRole.SUBJECT}
    assert access.is_excluded(users["investigator2"], case)  # the colleague named as subject is walled off
    assert _interview(client, case, users, interviewee="paul BROKER", role="witness").status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(CaseParty.id)).where(CaseParty.case_id == case.id)) == 3
    ids = {i.party_id for i in db.session.scalars(sa.select(Interview))}
    assert None not in ids and len(ids) == 2  # the same name typed again is the same person


def test_a_crafted_person_of_another_case_or_no_name_is_refused(client, users, login_as, clock):
    case, other = investigation_case(users), investigation_case(users, title="Another gate")
    login_as(users["investigator"])
    r = _interview(client, case, users, party_id=str(subject_party(other).id), role="witness")
    assert r.status_code == 400 and db.session.scalar(sa.select(sa.func.count(Interview.id))) == 0
    r = _interview(client, case, users, party_id="new", interviewee="", role="witness")
    assert r.status_code == 409 and b"give the new person" in r.data


def test_interviews_typed_before_still_show_and_a_reporter_is_not_added(client, users, login_as, clock):
    case = investigation_case(users)
    db.session.add(Interview(case_id=case.id, interviewee="Old Typed Name", role=PartyRole.WITNESS,
                             held_at=datetime(2026, 2, 1, 9), interviewer_id=users["investigator"].id))
    db.session.commit()
    login_as(users["investigator"])
    assert "Old Typed Name" in client.get(_url(case, "/interviews")).text
    assert _interview(client, case, users, interviewee="Ana Reporter", role="reporter").status_code == 302
    assert len(db.session.get(type(case), case.id).parties) == 1


# --- task owner ------------------------------------------------------------------------------------------

def test_a_new_task_is_the_leads_unless_changed(client, users, login_as, clock):
    case = investigation_case(users)
    login_as(users["supervisor"])
    page = client.get(_url(case)).text
    owner = re.search(r'<select[^>]*name="task-owner_id".*?</select>', page, re.S).group(0)
    assert re.search(rf'<option selected value="{users["investigator"].id}">', owner), owner


# --- files on tasks and notes ----------------------------------------------------------------------------

def test_a_file_of_a_refused_type_leaves_no_task_and_no_file(client, users, login_as, clock, app):
    case = investigation_case(users)
    login_as(users["investigator"])
    r = client.post(_url(case, "/tasks"), content_type="multipart/form-data", data={
        "task-title": "Check the tool", "task-files": (io.BytesIO(b"MZ\x90\x00" + b"\x00" * 60), "tool.pdf")})
    assert r.status_code == 409 and b"not an accepted type" in r.data
    assert db.session.scalar(sa.select(sa.func.count(Task.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(WorkFile.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(Attachment.id))) == 0


def test_too_many_files_at_once_are_refused(client, users, login_as, clock, app):
    case = investigation_case(users)
    login_as(users["investigator"])
    limit = app.config["CASEFLOW_MAX_FILES"]
    many = [(io.BytesIO(f"line {n}\n".encode()), f"f{n}.txt") for n in range(limit + 1)]
    r = client.post(f"/cases/{case.number}/notes", content_type="multipart/form-data",
                    data={"note-body": "Many files", "note-files": many})
    assert r.status_code == 409 and b"Too many files" in r.data
    assert db.session.scalar(sa.select(sa.func.count(Note.id))) == 0


def test_active_content_is_kept_byte_for_byte_and_flagged(client, users, login_as, clock):
    case = investigation_case(users)
    login_as(users["investigator"])
    assert client.post(_url(case, "/tasks"), data={"task-title": "Read the ledger"}).status_code == 302
    task = db.session.scalar(sa.select(Task))
    hostile = pdf_with_metadata(javascript=True)
    r = client.post(_url(case, f"/tasks/{task.id}/files"), content_type="multipart/form-data",
                    data={f"tf{task.id}-files": (io.BytesIO(hostile), "ledger.pdf")})
    assert r.status_code == 302
    page = client.get(_url(case)).text
    assert "Contains active content" in page and "JavaScript" in page
    row = db.session.scalar(sa.select(WorkFile))
    assert client.get(f"/cases/{case.number}/work-files/{row.id}").data == hostile
    assert db.session.get(Attachment, row.attachment_id).source == "task"
    empty = client.post(_url(case, f"/tasks/{task.id}/files"), data={})
    assert empty.status_code == 409 and b"Choose a file" in empty.data
    r = client.post(f"/cases/{case.number}/notes", content_type="multipart/form-data",
                    data={"note-body": "Ledger, as sent", "note-files": (io.BytesIO(hostile), "sent.pdf")})
    assert r.status_code == 302
    notes = client.get(f"/cases/{case.number}").text.split('id="h-notes"')[1]
    assert re.search(r"Contains active content: [^<]*JavaScript", notes)


def test_file_names_are_sealed_and_the_retention_job_destroys_the_files(client, users, login_as, clock):
    case = investigation_case(users)
    login_as(users["investigator"])
    r = client.post(f"/cases/{case.number}/notes", content_type="multipart/form-data", data={
        "note-body": "Statement draft", "note-files": (io.BytesIO(b"Karim said yes.\n"), "Karim Benali.txt")})
    assert r.status_code == 302
    raw = db.session.execute(sa.text("SELECT filename FROM work_files")).scalar_one()
    assert "Karim" not in raw
    case = db.session.get(type(case), case.id)
    case.state = CaseState.CLOSED
    destroy_case_content(case)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(WorkFile.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(Attachment.id))) == 0
