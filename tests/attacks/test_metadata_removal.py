"""A reporter's files lose what identifies them (read back from the stored cleaned copy); a file that cannot
be cleaned is named to the reporter before anything is sent, and sent only as they choose."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import sqlalchemy as sa
from pypdf import PdfReader
from pypdf.generic import StreamObject

from caseflow.attachments import read_attachment, read_original
from caseflow.extensions import db
from caseflow.models import Attachment, Case
from tests.attacks.samples import (
    AUTHOR,
    docx_with_author,
    gif_with_comment,
    jpeg_with_exif,
    odt_with_author,
    pdf_with_metadata,
)
from tests.reporting_support import form_token, receipt_of, submit


def _stored_after_upload(portal_client: Any, data: bytes, name: str) -> tuple[Attachment, bytes]:
    response = submit(portal_client, files=[(data, name)])
    assert response.status_code == 200, response.text[:600]
    assert receipt_of(response.text)
    attachment = db.session.scalar(sa.select(Attachment).order_by(Attachment.id.desc()))
    return attachment, read_attachment(attachment)


def _all_pdf_bytes(pdf: bytes) -> bytes:
    reader = PdfReader(io.BytesIO(pdf))
    out = [pdf]
    for num in range(1, 200):
        try:
            obj = reader.get_object(num)
        except Exception:  # noqa: BLE001,S112 - a free object number
            continue
        if isinstance(obj, StreamObject):
            out.append(obj.get_data())
    return b"\n".join(out)


def test_gif_comment_naming_the_author_does_not_survive(portal_client):
    attachment, stored = _stored_after_upload(portal_client, gif_with_comment(), "drawing.gif")
    assert AUTHOR.encode() not in stored
    assert attachment.metadata_removed  # labelled "Removed" only when it is so


def test_pdf_attachments_annotation_authors_and_trailer_id_do_not_survive(portal_client):
    original = pdf_with_metadata()
    assert AUTHOR.encode() in _all_pdf_bytes(original) and b"/ID" in original
    attachment, stored = _stored_after_upload(portal_client, original, "ledger.pdf")
    everything = _all_pdf_bytes(stored)
    assert AUTHOR.encode() not in everything and AUTHOR.encode("utf-16-be") not in everything
    reader = PdfReader(io.BytesIO(stored))
    assert "/EmbeddedFiles" not in str(reader.trailer["/Root"].get("/Names", {}))
    assert "/ID" not in reader.trailer
    assert all("/Annots" not in page for page in reader.pages)
    assert read_original(attachment) == original  # the file as received is kept, sealed


def test_photo_gps_and_office_authors_do_not_survive(portal_client):
    from PIL import Image

    _a, photo = _stored_after_upload(portal_client, jpeg_with_exif(), "IMG_0042.jpg")
    assert AUTHOR.encode() not in photo and not Image.open(io.BytesIO(photo)).getexif()
    for data, name in ((docx_with_author(), "minutes.docx"), (odt_with_author(), "minutes.odt")):
        _a, stored = _stored_after_upload(portal_client, data, name)
        with zipfile.ZipFile(io.BytesIO(stored)) as zf:
            assert all(AUTHOR.encode() not in zf.read(n) for n in zf.namelist()), name
            assert any(b"Payments at gate 4" in zf.read(n) for n in zf.namelist()), name


LOCKED = pdf_with_metadata(password="only-i-know")  # an encrypted PDF: no cleaner can open it


def test_a_file_that_cannot_be_cleaned_is_named_before_the_report_is_sent(portal_client):
    client = portal_client
    response = submit(client, files=[(LOCKED, "scan.pdf"), (b"Ledger\n", "ledger.txt")])
    assert response.status_code == 400
    assert "could not be cleaned" in response.text and "scan.pdf" in response.text
    assert 'name="uncleanable" value="drop"' in response.text and 'name="uncleanable" value="keep"' in response.text
    assert db.session.scalar(sa.select(sa.func.count(Case.id))) == 0  # nothing sent yet
    token = form_token(response.text)
    again = client.post("/whistleblow", content_type="multipart/form-data", data={
        "form_token": token, "what": "Cash was asked at gate 4.", "uncleanable": "drop",
        "files": [(io.BytesIO(LOCKED), "scan.pdf"), (io.BytesIO(b"Ledger\n"), "ledger.txt")]})
    assert again.status_code == 200 and receipt_of(again.text)
    stored = list(db.session.scalars(sa.select(Attachment)))
    assert [a.kind for a in stored] == ["text"]  # sent without the file, as chosen


def test_a_file_sent_as_it_is_by_choice_is_labelled_so_for_staff(portal_client, users, login_as):
    from caseflow.models import ConflictDeclaration

    client = portal_client
    first = submit(client, files=[(LOCKED, "scan.pdf")])
    response = client.post("/whistleblow", content_type="multipart/form-data", data={
        "form_token": form_token(first.text), "what": "Cash was asked at gate 4.", "uncleanable": "keep",
        "files": [(io.BytesIO(LOCKED), "scan.pdf")]})
    assert response.status_code == 200
    attachment = db.session.scalar(sa.select(Attachment))
    assert read_attachment(attachment) == LOCKED and not attachment.metadata_removed
    case = db.session.get(Case, attachment.case_id)
    case.lead_investigator_id = users["investigator"].id
    db.session.add(ConflictDeclaration(case_id=case.id, user_id=users["investigator"].id, has_conflict=False))
    db.session.commit()
    page = login_as(users["investigator"]).get(f"/cases/{case.number}/reporter").text
    assert re.search(r"Not removed: the file could not be cleaned and the reporter chose to send it as it is", page)


def test_a_later_file_that_cannot_be_cleaned_is_named_before_the_message_is_sent(portal_client):
    from tests.reporting_support import follow_up_login, reporter_post

    client = portal_client
    receipt = receipt_of(submit(client).text)
    assert follow_up_login(client, receipt).status_code == 302
    response = reporter_post(client, "/follow-up/message", files=[(LOCKED, "later.pdf")], body="One more file")
    assert response.status_code == 400 and "could not be cleaned" in response.text and "later.pdf" in response.text
    assert 'name="uncleanable" value="drop"' in response.text
    assert db.session.scalar(sa.select(sa.func.count(Attachment.id))) == 0
    again = reporter_post(client, "/follow-up/message", files=[(LOCKED, "later.pdf")], body="One more file",
                          uncleanable="drop")
    assert again.status_code == 302, again.text[:300]
    assert db.session.scalar(sa.select(sa.func.count(Attachment.id))) == 0  # sent without it, as chosen


def test_a_mailed_file_that_cannot_be_cleaned_is_kept_and_flagged_not_dropped(app):
    from caseflow.attachments import store_attachment
    from tests.factories import make_case

    case = make_case()
    attachment = store_attachment(case, "scan.pdf", LOCKED, None, "email")
    assert read_attachment(attachment) == LOCKED and attachment.not_cleaned
    assert not store_attachment(case, "ledger.pdf", pdf_with_metadata(), None, "email").not_cleaned
