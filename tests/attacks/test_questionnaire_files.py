"""Attacks on a questionnaire's file question: files go through the reporter pipeline at their step (cleaning,
the choice for files that cannot be cleaned) and only the files kept are sent."""

from __future__ import annotations

import sqlalchemy as sa

from caseflow.attachments import read_attachment
from caseflow.extensions import db
from caseflow.models import Attachment, Case
from tests.attacks.samples import AUTHOR, jpeg_with_exif, pdf_with_metadata
from tests.questionnaire_support import customs_to_last_step, install_customs, q, step

LOCKED = pdf_with_metadata(password="only-i-know")  # an encrypted PDF: no cleaner can open it


def test_files_that_cannot_be_cleaned_are_named_at_their_step_and_dropped_by_choice(portal_client):
    install_customs()
    files = q("Files (photos, documents, recordings)")
    last = customs_to_last_step(portal_client)
    named = step(portal_client, last, action="send", files={files: [(LOCKED, "scan.pdf"), (b"Ledger\n", "l.txt")]})
    assert named.status_code == 400 and "could not be cleaned" in named.text and "scan.pdf" in named.text
    assert 'name="uncleanable" value="drop"' in named.text
    assert db.session.scalar(sa.select(sa.func.count(Case.id))) == 0  # nothing sent yet
    sent = step(portal_client, named, action="send", uncleanable="drop",
                files={files: [(LOCKED, "scan.pdf"), (b"Ledger\n", "l.txt")]})
    assert sent.status_code == 200, sent.text[-800:]
    assert [a.kind for a in db.session.scalars(sa.select(Attachment))] == ["text"]


def test_a_photo_given_to_a_file_question_is_stored_cleaned(portal_client):
    install_customs()
    files = q("Files (photos, documents, recordings)")
    last = customs_to_last_step(portal_client)
    sent = step(portal_client, last, action="send", files={files: [(jpeg_with_exif(), "gate.jpg")]})
    assert sent.status_code == 200, sent.text[-800:]
    stored = db.session.scalar(sa.select(Attachment))
    assert stored.metadata_removed and AUTHOR.encode() not in read_attachment(stored)
