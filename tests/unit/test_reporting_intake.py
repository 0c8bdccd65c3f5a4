"""receive_complaint() with confidential content, identity, files and a receipt, from any channel."""

from __future__ import annotations

import json

import sqlalchemy as sa

from caseflow import casekeys, crypto
from caseflow.attachments import attachment_name, read_attachment
from caseflow.enums import Channel
from caseflow.extensions import db
from caseflow.intake.operations import receive_complaint
from caseflow.models import Attachment, AuditEvent, ReportSubmission
from caseflow.reporting import operations as ops
from tests.factories import make_user


def test_content_identity_and_files_are_stored_encrypted_and_the_receipt_only_hashed() -> None:
    received = receive_complaint(channel=Channel.EMAIL, title="Mail from a trader", content="Paid 50 at gate 2",
                                 identity={"name": "Tom Trader", "contact": "tom@example.org"},
                                 attachments=[("invoice.txt", b"Invoice 77\n")], issue_receipt=True)
    db.session.commit()
    case, receipt = received.case, received.receipt
    assert receipt is not None and not hasattr(case, "issued_receipt")  # returned, never set on the case
    assert len(receipt) == 16 and receipt.isdigit()
    submission = db.session.scalar(sa.select(ReportSubmission))
    assert submission.receipt_hash == crypto.receipt_lookup_hash(receipt)
    assert b"Paid 50" not in submission.content_blob and b"Tom" not in submission.identity_blob
    assert casekeys.open_text(case, submission.content_blob) == "Paid 50 at gate 2"
    assert json.loads(casekeys.open_text(case, submission.identity_blob))["name"] == "Tom Trader"
    attachment = db.session.scalar(sa.select(Attachment))
    assert attachment.source == "email" and attachment_name(attachment) == "invoice.txt"
    assert read_attachment(attachment) == b"Invoice 77\n"
    assert ops.find_submission(crypto.format_receipt(receipt)).id == submission.id
    detail = db.session.scalar(sa.select(AuditEvent.detail).where(AuditEvent.action == "report.store"))
    assert "Tom" not in detail and "Paid" not in detail and receipt not in detail


def test_without_confidential_arguments_nothing_extra_is_stored() -> None:
    received = receive_complaint(channel=Channel.PHONE, title="Phone call")
    db.session.commit()
    assert received.receipt is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReportSubmission)) == 0


def test_staff_reply_with_a_file_and_feedback_only_once(clock) -> None:  # type: ignore[no-untyped-def]
    investigator = make_user("investigator", "ivo")
    case = receive_complaint(channel=Channel.WHISTLEBLOWER, title="Report", content="x", issue_receipt=True).case
    first = ops.reply_to_reporter(case, investigator, "Please see the form attached",
                                  [("form.txt", b"Questions 1-3\n")])
    assert case.feedback_given_at == clock.now()
    first_reply_at = clock.now()
    clock.advance(days=3)
    ops.reply_to_reporter(case, investigator, "Any news?")
    assert case.feedback_given_at == first_reply_at
    assert [a.source for a in first.attachments] == ["staff"]
    thread = ops.thread(case)
    assert [text for _m, text in thread] == ["Please see the form attached", "Any news?"]
