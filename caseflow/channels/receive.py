"""Adapter from the channels to receive_complaint() and the confidential store (content, identity, files)."""

from __future__ import annotations

import logging
from typing import Any

from flask_babel import gettext as _

from caseflow import audit
from caseflow.enums import Channel
from caseflow.errors import ValidationError
from caseflow.extensions import db
from caseflow.intake.operations import Received, receive_complaint
from caseflow.models import Case, Note, User

log = logging.getLogger("caseflow.channels")


def identity_of(name: str | None, email: str | None = None, phone: str | None = None) -> dict[str, str] | None:
    """Return an identity dict in R's fields (name, contact) or None when nobody is named."""
    contact = " / ".join(v for v in ((email or "").strip(), (phone or "").strip()) if v)
    if not (name or "").strip() and not contact:
        return None
    return {"name": (name or "").strip(), "contact": contact}


def receive(*, channel: Channel, title: str, content: str = "", identity: dict[str, str] | None = None,
            attachments: list[tuple[str, bytes]] | None = None, issue_receipt: bool = False,
            actor: User | None = None, source: str | None = None, **kw: Any) -> tuple[Received, list[str]]:
    """Create a case with its sealed content and identity; store each file, keeping the case if one is refused.

    Returns the received case (with its receipt, if one was issued) and the reasons any file was refused
    (also written as a note on the case).
    """
    received = receive_complaint(channel=channel, title=title, actor=actor, content=content or None,
                                 identity=identity, issue_receipt=issue_receipt, **kw)
    refused = attach_files(received.case, attachments or [], actor, source or channel.value)
    return received, refused


def attach_files(case: Case, files: list[tuple[str, bytes]], actor: User | None, source: str,
                 message: Any = None) -> list[str]:
    """Store files on a case with R's store_attachment(); refused files are listed in a note, not fatal."""
    from caseflow.attachments import store_attachment

    refused: list[str] = []
    for filename, data in files:
        try:
            store_attachment(case, filename, data, actor, source, message=message)
        except ValidationError as exc:
            refused.append(exc.message)
    if refused:
        body = _("Files not accepted:") + "\n" + "\n".join(f"- {r}" for r in refused)
        db.session.add(Note(case_id=case.id, author_id=None, body=body))
        audit.record("attachment.refused", actor, case, {"count": len(refused)},
                     actor_label=None if actor is not None else source)
        db.session.flush()
    return refused


def seal(case: Case, text: str) -> bytes:
    """Seal a text with the case's key (R's envelope encryption)."""
    from caseflow.casekeys import seal_text

    return seal_text(case, text)


def unseal(case: Case, blob: bytes) -> str:
    """Open a text sealed by seal()."""
    from caseflow.casekeys import open_text

    return open_text(case, blob)


def _reporter_contact(case: Case) -> str:
    """Return the sealed contact the reporter gave (decrypted for matching only; never shown)."""
    import json

    from caseflow.reporting.operations import submission_of

    submission = submission_of(case)
    if submission is None or submission.identity_blob is None:
        return ""
    try:
        return str(json.loads(unseal(case, submission.identity_blob)).get("contact", "")).lower()
    except (ValueError, AttributeError):
        return ""


def add_reporter_reply(case: Case, body: str, files: list[tuple[str, bytes]], source: str,
                       sender: str = "", authenticated: bool = True) -> bool:
    """Add a follow-up to a case: from the reporter's own address it joins the reporter thread; from any
    other address, or when the receiving server said the sender failed authentication, it becomes an
    internal note (nobody can write into a reporter's thread by guessing a number or forging a From).

    Returns whether it went to the reporter thread.
    """
    from caseflow.reporting.operations import post_reporter_message, submission_of

    submission = submission_of(case)
    if submission is not None and sender and authenticated \
            and sender.lower() in _reporter_contact(case).split(" / "):
        message = post_reporter_message(submission, body or "-", [])
        attach_files(case, files, None, source, message=message)
        return True
    if not authenticated:
        note = _("From a sender that failed authentication:") + f" {sender}\n\n{body}"
    else:
        note = _("From an address that is not the reporter's:") + f" {sender}\n\n{body}" if sender else body
    db.session.add(Note(case_id=case.id, author_id=None, body=note[:100_000]))
    audit.record("mail.reply", None, case, {"files": len(files), "reporter_thread": False}, actor_label=source)
    attach_files(case, files, None, source)
    db.session.flush()
    return False
