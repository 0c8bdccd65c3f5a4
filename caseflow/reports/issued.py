"""Reports and letters issued for a case: the list with hashes, and downloading a kept one again."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from caseflow import access, audit
from caseflow.errors import AccessDeniedError, ValidationError
from caseflow.extensions import db
from caseflow.models import Case, User
from caseflow.models.letters import Letter, LetterKind
from caseflow.models.reports import IssuedReport


class NotInCaseError(ValidationError):
    """The document asked for is not one of this case's (answered as not found)."""


def reveal_approved(case: Case) -> bool:
    """Return whether a reveal of the reporter's identity is approved on the case."""
    from caseflow.models.intake import RevealStatus
    from caseflow.reporting.operations import current_reveal

    reveal = current_reveal(case)
    return reveal is not None and reveal.status == RevealStatus.APPROVED


@dataclass
class IssuedDocument:
    """One row of a case's issued documents: the record, and the letter if it is one."""

    issued: IssuedReport
    letter: Letter | None
    may_download: bool


def issued_documents(case: Case, viewer: User) -> list[IssuedDocument]:
    """Return every report and letter issued for the case, newest first, with whether the viewer may download it."""
    rows = db.session.scalars(sa.select(IssuedReport).where(IssuedReport.case_id == case.id)
                              .order_by(IssuedReport.issued_at.desc(), IssuedReport.id.desc())).all()
    letters = {x.issued_report_id: x for x in db.session.scalars(sa.select(Letter).where(Letter.case_id == case.id))}
    approved = reveal_approved(case) if any(x.kind == LetterKind.ACKNOWLEDGEMENT for x in letters.values()) else False
    out = []
    for row in rows:
        letter = letters.get(row.id)
        allowed = row.attachment_id is not None and access.can_download_issued(
            viewer, case, row.kind.value, row.variant.value, letter.kind.value if letter else None, approved)
        out.append(IssuedDocument(row, letter, allowed))
    return out


def download_issued(case: Case, actor: User, issued_id: int) -> tuple[bytes, str]:
    """Return a kept report or letter of the case and its file name; access-checked and audited."""
    from caseflow.attachments import read_attachment
    from caseflow.models.intake import Attachment

    row = db.session.get(IssuedReport, issued_id)
    if row is None or row.case_id != case.id:
        raise NotInCaseError(_("No such document on this case."))
    letter = db.session.scalar(sa.select(Letter).where(Letter.issued_report_id == row.id))
    if not access.can_download_issued(actor, case, row.kind.value, row.variant.value,
                                      letter.kind.value if letter else None, reveal_approved(case)):
        raise AccessDeniedError(_("You may not download this document."))
    attachment = db.session.get(Attachment, row.attachment_id) if row.attachment_id else None
    if attachment is None or attachment.case_id != case.id:
        raise ValidationError(_("This document was not kept: it was issued before documents were kept in the "
                                "case, or the case's content was destroyed."))
    data = read_attachment(attachment)
    audit.record("report.download", actor, case, {"report_id": row.report_id, "kind": row.kind.value})
    kind = letter.kind.value if letter else f"{row.kind.value}-{row.variant.value}"
    return data, f"{case.number}-{kind}-{row.report_id}.pdf"
