"""Active content (PDF JavaScript run on opening, Word macros, a template fetched from elsewhere) is flagged to
staff on the file's row; a reporter's cleaned copy has it removed, staff evidence stays byte for byte."""

from __future__ import annotations

import io
from typing import Any

import sqlalchemy as sa

from caseflow.active_content import find_active_content
from caseflow.attachments import read_attachment
from caseflow.extensions import db
from caseflow.models import Attachment, Case, ConflictDeclaration, EvidenceItem
from tests.attacks.samples import docx_with_author, pdf_with_metadata
from tests.reporting_support import submit
from tests.workspace_helpers import investigation_case

TRAPS = {"invoice.pdf": pdf_with_metadata(javascript=True), "letter.docx": docx_with_author(macros=True, template=True)}
PDF_WORDS = ("Contains active content:", "JavaScript", "an action run on opening")
DOCX_WORDS = ("Contains active content:", "macros", "a template fetched from elsewhere")


def test_staff_evidence_with_active_content_is_flagged_and_kept_byte_for_byte(users, login_as, clock):
    case = investigation_case(users)
    staff = login_as(users["investigator"])
    for name, content in TRAPS.items():
        r = staff.post(f"/cases/{case.number}/investigation/evidence", content_type="multipart/form-data", data={
            "ev-description": name, "ev-source": "Seized", "ev-upload": (io.BytesIO(content), name)})
        assert r.status_code == 302
    register = staff.get(f"/cases/{case.number}/investigation/evidence").text
    for words in (PDF_WORDS, DOCX_WORDS):
        assert all(w in register for w in words), words
    assert "removed from the cleaned copy" not in register
    for item in db.session.scalars(sa.select(EvidenceItem)):
        page = staff.get(f"/cases/{case.number}/investigation/evidence/{item.id}").text
        assert "Contains active content:" in page
        assert staff.get(f"/cases/{case.number}/investigation/files/evidence/{item.id}").data == TRAPS[item.description]


def test_reporter_files_with_active_content_are_flagged_and_neutralised(portal_client: Any, users, login_as):
    response = submit(portal_client, files=[(content, name) for name, content in TRAPS.items()])
    assert response.status_code == 200, response.text[:500]
    stored = list(db.session.scalars(sa.select(Attachment).order_by(Attachment.id)))
    for attachment in stored:
        assert find_active_content(read_attachment(attachment), attachment.kind) == []  # neutralised
    case = db.session.get(Case, stored[0].case_id)
    case.lead_investigator_id = users["investigator"].id
    db.session.add(ConflictDeclaration(case_id=case.id, user_id=users["investigator"].id, has_conflict=False))
    db.session.commit()
    page = login_as(users["investigator"]).get(f"/cases/{case.number}/reporter").text
    for words in (PDF_WORDS, DOCX_WORDS):
        assert all(w in page for w in words), words
    assert page.count("removed from the cleaned copy") >= 4
