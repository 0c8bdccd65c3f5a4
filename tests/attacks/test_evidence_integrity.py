"""Evidence is never changed: what staff upload is stored, hashed, re-checked, reported and served byte for byte."""

from __future__ import annotations

import hashlib
import io
import re
import subprocess
from typing import Any

import sqlalchemy as sa
from flask_migrate import upgrade

from caseflow import ROOT
from caseflow.app import create_app
from caseflow.enums import CaseState
from caseflow.extensions import db
from caseflow.models import Attachment, ConflictDeclaration, EvidenceItem, IdentityReveal, Interview
from config import TestConfig
from tests import dbsetup
from tests.attacks.samples import AUTHOR, docx_with_author, jpeg_with_exif, pdf_with_metadata
from tests.reporting_support import receipt_of, submit
from tests.workspace_helpers import investigation_case

PASSWORD = "Correct-Horse-Battery-9"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _signed_in(app: Any, user: Any) -> Any:
    client = app.test_client()
    assert client.post("/login", data={"username": user.username, "password": PASSWORD}).status_code == 302
    return client


def _pdf_text(pdf: bytes) -> str:
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    return re.sub(r"\s+", "", text.decode())


def test_evidence_files_are_stored_served_and_reported_byte_for_byte(app, users, clock):
    case = investigation_case(users)
    staff = _signed_in(app, users["investigator"])
    uploads = {"ledger.pdf": pdf_with_metadata(), "gate4.jpg": jpeg_with_exif(), "minutes.docx": docx_with_author()}
    for name, content in uploads.items():
        r = staff.post(f"/cases/{case.number}/investigation/evidence", content_type="multipart/form-data", data={
            "ev-description": f"Seized {name}", "ev-source": "Broker's office",
            "ev-upload": (io.BytesIO(content), name)})
        assert r.status_code == 302, r.data[:400]
    statement = pdf_with_metadata()
    r = staff.post(f"/cases/{case.number}/investigation/interviews", content_type="multipart/form-data", data={
        "iv-interviewee": "Paul Broker", "iv-role": "witness", "iv-held_at": "2026-03-01T10:30",
        "iv-interviewer_id": users["investigator"].id, "iv-summary": "Signed.",
        "iv-statement": (io.BytesIO(statement), "statement.pdf")})
    assert r.status_code == 302
    items = list(db.session.scalars(sa.select(EvidenceItem).where(EvidenceItem.case_id == case.id)
                                    .order_by(EvidenceItem.seq)))
    register = staff.get(f"/cases/{case.number}/investigation/evidence").text
    for item, (name, content) in zip(items, uploads.items(), strict=True):
        digest = _sha(content)
        assert item.sha256 == item.stored_sha256 == digest
        download = staff.get(f"/cases/{case.number}/investigation/files/evidence/{item.id}")
        assert download.status_code == 200 and download.data == content, name
        assert digest[:16] in register
        page = staff.get(f"/cases/{case.number}/investigation/evidence/{item.id}").text
        shown = set(re.findall(r"\b[0-9a-f]{64}\b", page))
        assert shown == {digest}, name
        r = staff.post(f"/cases/{case.number}/investigation/evidence/{item.id}/check", data={})
        assert r.status_code == 302
        assert "matches its recorded SHA-256" in staff.get(r.location).text
    interview = db.session.scalar(sa.select(Interview).where(Interview.case_id == case.id))
    assert staff.get(f"/cases/{case.number}/investigation/files/statement/{interview.id}").data == statement
    shown = set(re.findall(r"\b[0-9a-f]{64}\b", staff.get(f"/cases/{case.number}/investigation/interviews").text))
    assert shown == {_sha(statement)}
    case.state = CaseState.REPORTING
    db.session.add(ConflictDeclaration(case_id=case.id, user_id=users["supervisor"].id, has_conflict=False))
    db.session.commit()
    boss = _signed_in(app, users["supervisor"])
    report = boss.post(f"/cases/{case.number}/report", data={"variant": "full"})
    assert report.status_code == 200 and report.mimetype == "application/pdf"
    text = _pdf_text(report.data)
    for content in (*uploads.values(), statement):
        assert _sha(content) in text


def _reveal(app: Any, users: dict[str, Any], case: Any) -> Any:
    first, second = _signed_in(app, users["supervisor"]), _signed_in(app, users["supervisor2"])
    url = f"/cases/{case.number}/reporter"
    assert first.post(f"{url}/reveal", data={"reveal-reason": "Court order for the original photo"}).status_code == 302
    reveal = db.session.scalar(sa.select(IdentityReveal))
    assert second.post(f"{url}/reveal/{reveal.id}", data={"decide-decision": "approve"}).status_code == 302
    return first


def test_reporter_file_keeps_a_cleaned_copy_and_a_sealed_original(app, portal_client, users):
    photo = jpeg_with_exif()
    response = submit(portal_client, files=[(photo, "IMG_0042.jpg")],
                      **{"identity-name": "Mira Sealed", "identity-contact": "mira@example.org"})
    assert receipt_of(response.text)
    attachment = db.session.scalar(sa.select(Attachment))
    case = attachment.case_id
    from caseflow.models import Case

    case = db.session.get(Case, case)
    case.lead_investigator_id = users["investigator"].id
    db.session.add(ConflictDeclaration(case_id=case.id, user_id=users["investigator"].id, has_conflict=False))
    db.session.commit()
    staff = _signed_in(app, users["investigator"])
    page = staff.get(f"/cases/{case.number}/reporter").text
    cleaned = staff.get(f"/cases/{case.number}/attachments/{attachment.id}").data
    assert cleaned != photo and AUTHOR.encode() not in cleaned
    assert re.search(r"As received \(sealed original\):</span> <code class=\"hash\">" + _sha(photo), page)
    assert re.search(r"Cleaned copy:</span> <code class=\"hash\">" + _sha(cleaned), page)
    original_url = f"/cases/{case.number}/attachments/{attachment.id}/original"
    assert staff.get(original_url).status_code == 403  # sealed like the identity: no reveal yet
    assert original_url not in page
    supervisor = _reveal(app, users, case)
    assert original_url in supervisor.get(f"/cases/{case.number}/reporter").text
    original = supervisor.get(original_url)
    assert original.status_code == 200 and original.data == photo
    assert staff.get(original_url).status_code == 200  # the lead, after the approved reveal, as for the identity
    assert _signed_in(app, users["investigator2"]).get(original_url).status_code == 403
    raw = b"".join(p.read_bytes() for p in (ROOT / app.config["CASEFLOW_UPLOAD_DIR"]).rglob("*") if p.is_file())
    assert AUTHOR.encode() not in raw  # both copies are encrypted on disk


def test_files_altered_before_this_change_are_flagged_by_the_migration(tmp_path):
    name = f"caseflow_files_mig_{dbsetup.worker_id()}"
    url = dbsetup.make_database(name, str(tmp_path))
    app = create_app(TestConfig(str(tmp_path), url))
    directory = str(ROOT / "migrations")
    try:
        with app.app_context():
            upgrade(directory=directory, revision="0002")
            with db.engine.connect() as conn:
                if conn.dialect.name == "sqlite":
                    conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
                    conn.commit()
                else:
                    conn.exec_driver_sql("SET session_replication_role = replica")
                for n, (received, stored) in enumerate((("a" * 64, "b" * 64), ("c" * 64, "c" * 64))):
                    conn.execute(sa.text(
                        "INSERT INTO attachments (id, case_id, source, filename_blob, content_type, kind, "
                        "size_original, size_stored, sha256_original, sha256_stored, metadata_removed, "
                        "storage_name, created_at) VALUES (:id, 1, 'evidence', :blob, 'application/pdf', 'pdf', "
                        "10, 9, :r, :s, :m, :name, CURRENT_TIMESTAMP)"),
                        {"id": n + 1, "blob": b"x", "r": received, "s": stored, "m": received != stored,
                         "name": f"blob{n}"})
                conn.commit()
            upgrade(directory=directory)
            with db.engine.connect() as conn:
                flags = dict(conn.execute(sa.text("SELECT id, original_lost FROM attachments")).all())
            assert flags == {1: True, 2: False}
            db.engine.dispose()
    finally:
        dbsetup.drop_database(name)


def test_an_altered_item_is_flagged_on_its_row(app, users, clock):
    case = investigation_case(users)
    staff = _signed_in(app, users["investigator"])
    staff.post(f"/cases/{case.number}/investigation/evidence", content_type="multipart/form-data", data={
        "ev-description": "Old scan", "ev-source": "Broker", "ev-upload": (io.BytesIO(b"Ledger\n"), "l.txt")})
    item = db.session.scalar(sa.select(EvidenceItem))
    attachment = db.session.get(Attachment, item.attachment_id)
    attachment.original_lost, item.sha256 = True, "d" * 64  # as the migration leaves a file stored before
    db.session.commit()
    register = staff.get(f"/cases/{case.number}/investigation/evidence").text
    assert "Altered before storage" in register
    page = staff.get(f"/cases/{case.number}/investigation/evidence/{item.id}").text
    assert "Altered before storage" in page and "d" * 64 in page and item.stored_sha256 in page
    case.state = CaseState.REPORTING
    db.session.add(ConflictDeclaration(case_id=case.id, user_id=users["supervisor"].id, has_conflict=False))
    db.session.commit()
    report = _signed_in(app, users["supervisor"]).post(f"/cases/{case.number}/report", data={"variant": "full"})
    text = _pdf_text(report.data)
    assert "alteredbeforestorage" in text and item.stored_sha256 in text
