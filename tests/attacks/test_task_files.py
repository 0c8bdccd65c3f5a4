"""Files on tasks and notes: kept byte for byte and sealed like evidence, and fetched only by those who may see them.

Each attack is written as the attacker would try it: with a link copied while they still had access, or a
file number guessed and put under a case of their own.
"""

from __future__ import annotations

import hashlib
import io
import re
from typing import Any

from caseflow import ROOT
from caseflow.enums import CaseState
from caseflow.extensions import db
from caseflow.models import AuditEvent, ConflictDeclaration
from tests.attacks.case_setup import investigation_case
from tests.attacks.samples import AUTHOR, pdf_with_metadata
from tests.factories import make_office, make_user

PASSWORD = "Correct-Horse-Battery-9"
LINK = re.compile(r'href="(/cases/[^"/]+/work-files/(\d+))"')


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _signed_in(app: Any, user: Any) -> Any:
    client = app.test_client()
    assert client.post("/login", data={"username": user.username, "password": PASSWORD}).status_code == 302
    return client


def _task_file(client: Any, case: Any, owner: Any, content: bytes, name: str = "cctv-log.pdf") -> str:
    """Add a task with a file through the form; return the file's link as the workspace shows it."""
    r = client.post(f"/cases/{case.number}/investigation/tasks", content_type="multipart/form-data", data={
        "task-title": "Fetch the gate 4 CCTV log", "task-owner_id": owner.id,
        "task-files": (io.BytesIO(content), name)})
    assert r.status_code == 302, r.data[:400]
    links = LINK.findall(client.get(f"/cases/{case.number}/investigation").text)
    assert len(links) == 1
    return links[0][0]


def _note_file(client: Any, case: Any, content: bytes, name: str = "call-notes.pdf") -> str:
    """Add an internal note with a file; return the file's link as the case page shows it."""
    r = client.post(f"/cases/{case.number}/notes", content_type="multipart/form-data", data={
        "note-body": "The broker called back; his notes attached.", "note-files": (io.BytesIO(content), name)})
    assert r.status_code == 302, r.data[:400]
    links = LINK.findall(client.get(f"/cases/{case.number}").text)
    assert len(links) == 1
    return links[0][0]


def _denied(client: Any, url: str, content: bytes) -> None:
    r = client.get(url)
    assert r.status_code in (403, 404), r.status_code
    assert content not in r.data


def test_a_task_file_is_downloaded_identical_and_stored_sealed(app, users, clock):
    case = investigation_case(users)
    lead = _signed_in(app, users["investigator"])
    content = pdf_with_metadata()
    url = _task_file(lead, case, users["investigator"], content)
    download = lead.get(url)
    assert download.status_code == 200 and download.data == content
    assert _sha(download.data) == _sha(content)
    assert _sha(content) in lead.get(f"/cases/{case.number}/investigation").text
    raw = b"".join(p.read_bytes() for p in (ROOT / app.config["CASEFLOW_UPLOAD_DIR"]).rglob("*") if p.is_file())
    assert AUTHOR.encode() not in raw and b"cctv-log" not in raw  # encrypted on disk
    downloads = [e for e in db.session.query(AuditEvent).filter(AuditEvent.action == "file.download")]
    assert len(downloads) == 1 and downloads[0].case_id == case.id


def test_a_note_file_is_downloaded_identical(app, users, clock):
    case = investigation_case(users)
    lead = _signed_in(app, users["investigator"])
    content = b"Broker's own notes, 2026-02-27.\r\nGate 4, 500 EUR.\n"
    url = _note_file(lead, case, content, "notes.txt")
    download = lead.get(url)
    assert download.status_code == 200 and download.data == content
    assert _sha(content) in lead.get(f"/cases/{case.number}").text


def test_a_removed_investigator_cannot_fetch_a_task_file_by_the_link_he_kept(app, users, clock):
    case = investigation_case(users)
    iris = _signed_in(app, users["investigator2"])
    content = pdf_with_metadata()
    url = _task_file(iris, case, users["investigator2"], content)
    assert iris.get(url).data == content  # while on the team
    boss = _signed_in(app, users["supervisor"])
    assert boss.post(f"/cases/{case.number}/team/{users['investigator2'].id}/remove").status_code == 302
    _denied(iris, url, content)


def test_an_investigator_named_as_subject_cannot_fetch_a_note_file(app, users, clock):
    case = investigation_case(users)
    iris = _signed_in(app, users["investigator2"])
    content = b"Shift roster, gate 4, week 9.\n"
    url = _note_file(iris, case, content, "roster.txt")
    assert iris.get(url).data == content
    lead = _signed_in(app, users["investigator"])
    r = lead.post(f"/cases/{case.number}/parties", data={"party-role": "subject", "party-full_name": "Iris Okafor"})
    assert r.status_code == 302
    _denied(iris, url, content)


def test_another_offices_investigator_cannot_fetch_a_file_by_a_crafted_url(app, users, clock):
    north, south = make_office("North Seaport Customs House"), make_office("South Border Post")
    case = investigation_case(users, office_id=north.id)
    otto = make_user("investigator", "otto", full_name="Otto Brandt")
    own = investigation_case(users, office_id=south.id, title="Seal broken on container", subject="Lena Voss")
    own.lead_investigator_id = otto.id
    db.session.add(ConflictDeclaration(case_id=own.id, user_id=otto.id, has_conflict=False))
    db.session.commit()
    lead = _signed_in(app, users["investigator"])
    task_content, note_content = pdf_with_metadata(), b"Informant's phone log.\n"
    task_url = _task_file(lead, case, users["investigator"], task_content)
    note_url = _note_file(lead, case, note_content, "phone.txt")
    assert lead.get(task_url).data == task_content and lead.get(note_url).data == note_content
    attacker = _signed_in(app, otto)
    for url, content in ((task_url, task_content), (note_url, note_content)):
        _denied(attacker, url, content)
        file_id = url.rsplit("/", 1)[1]
        _denied(attacker, f"/cases/{own.number}/work-files/{file_id}", content)  # his own case, their file
        for guess in range(1, 6):
            _denied(attacker, f"/cases/{own.number}/work-files/{guess}", content)


def test_the_reporter_tab_neither_lists_nor_serves_the_investigations_own_files(app, users, clock):
    """An intake officer opens the Reporter tab, then asks its download route for a task file by its number."""
    import sqlalchemy as sa

    from caseflow.models import Attachment

    case = investigation_case(users)
    lead = _signed_in(app, users["investigator"])
    link = _task_file(lead, case, users["investigator"], b"internal memo, workspace only\n", "memo.txt")
    case.state = CaseState.TRIAGE  # sent back to triage: the intake officer reads the Reporter tab again
    db.session.commit()
    stored = db.session.scalars(sa.select(Attachment).where(Attachment.case_id == case.id)).all()
    assert stored
    intake = _signed_in(app, users["intake"])
    tab = intake.get(f"/cases/{case.number}/reporter")
    assert tab.status_code == 200 and "memo.txt" not in tab.text
    for attachment in stored:
        assert intake.get(f"/cases/{case.number}/attachments/{attachment.id}").status_code == 404
        assert intake.get(f"/cases/{case.number}/attachments/{attachment.id}/original").status_code in (403, 404)
    assert _signed_in(app, users["supervisor"]).get(link).status_code == 200  # its own route, under its rule
