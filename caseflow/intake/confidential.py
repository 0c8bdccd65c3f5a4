"""What a complaint carries in confidence: its text, the reporter's identity and files, sealed with the case key."""

from __future__ import annotations

import json
from collections.abc import Sequence

import sqlalchemy as sa

from caseflow import audit
from caseflow.attachments import Upload, store_attachment
from caseflow.casekeys import seal_text
from caseflow.clock import reporter_time, utcnow
from caseflow.crypto import IDENTITY_BUCKET, new_receipt_code, receipt_lookup_hash
from caseflow.enums import Channel
from caseflow.extensions import db
from caseflow.models import Case, User
from caseflow.models.intake import ReportSubmission

__all__ = ["IDENTITY_FIELDS", "MAX_FIELD", "MAX_TEXT", "REPORTER", "clean_identity", "store_confidential_intake"]

REPORTER = "reporter"
MAX_TEXT = 20000
MAX_FIELD = 500
IDENTITY_FIELDS = ("name", "contact", "relationship")


def clean_identity(identity: dict[str, str] | None) -> dict[str, str] | None:
    """Return the identity fields a reporter gave, trimmed; None if they gave nothing."""
    cleaned = {k: (identity or {}).get(k, "").strip()[:MAX_FIELD] for k in IDENTITY_FIELDS}
    return cleaned if any(cleaned.values()) else None


def store_confidential_intake(case: Case, actor: User | None, *, content: str | None = None,
                              identity: dict[str, str] | None = None,
                              attachments: Sequence[Upload] | None = None,
                              issue_receipt: bool = False) -> str | None:
    """Store a new case's complaint text, sealed identity and files encrypted; return the receipt issued, if asked.

    The receipt's digits are returned to be shown once; only their hash is stored.
    """
    code: str | None = None
    reporter = case.channel in (Channel.WEB, Channel.WHISTLEBLOWER)
    submission = ReportSubmission(case_id=case.id, created_at=reporter_time() if reporter else utcnow())
    if content:
        submission.content_blob = seal_text(case, content[:MAX_TEXT * 2])
    identity = clean_identity(identity)
    if identity:
        submission.identity_blob = seal_text(case, json.dumps(identity, ensure_ascii=False), IDENTITY_BUCKET)
        submission.identity_added_at = submission.created_at
    if issue_receipt:
        code = new_receipt_code()
        digest = receipt_lookup_hash(code)
        while db.session.scalar(sa.select(ReportSubmission.id).where(ReportSubmission.receipt_hash == digest)):
            code = new_receipt_code()
            digest = receipt_lookup_hash(code)
        submission.receipt_hash = digest
    db.session.add(submission)
    db.session.flush()
    source = REPORTER if case.channel in (Channel.WEB, Channel.WHISTLEBLOWER) else case.channel.value
    for filename, data in attachments or []:
        store_attachment(case, filename, data, actor, source)
    audit.record("report.store", actor, case, {
        "content": bool(content), "identity": "sealed" if identity else "none", "receipt": issue_receipt,
        "files": len(attachments or [])}, actor_label=REPORTER if actor is None and source == REPORTER else None)
    return code
