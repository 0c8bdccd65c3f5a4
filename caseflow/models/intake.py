"""Confidential intake: per-case keys, the reporter's sealed submission, the message thread, files, reveals."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseflow.models.base import Model, enum_column, now_default


class MessageDirection(enum.StrEnum):
    """Who wrote a message of the reporter thread."""

    REPORTER = "reporter"
    STAFF = "staff"


class RevealStatus(enum.StrEnum):
    """Where a request to reveal a reporter's identity stands."""

    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"


class CaseKey(Model):
    """A case's data key, wrapped by the key-encryption key that lives outside the database."""

    __tablename__ = "case_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), unique=True)
    wrapped_key: Mapped[bytes] = mapped_column(sa.LargeBinary(64))
    kek_id: Mapped[str] = mapped_column(sa.String(16))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=now_default)


class ReportSubmission(Model):
    """What a reporter sent through a public form: the text and identity, both encrypted; the receipt hash."""

    __tablename__ = "report_submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), unique=True)
    receipt_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    content_blob: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    identity_blob: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    identity_added_at: Mapped[datetime | None] = mapped_column(sa.DateTime)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=now_default)
    last_reporter_login_at: Mapped[datetime | None] = mapped_column(sa.DateTime)

    case = relationship("Case")


class ReporterMessage(Model):
    """One message of the thread between the reporter and the investigators (body encrypted)."""

    __tablename__ = "reporter_messages"
    __table_args__ = (sa.Index("ix_reporter_messages_case_created", "case_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"))
    direction: Mapped[MessageDirection] = mapped_column(enum_column(MessageDirection, "message_direction"))
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    body_blob: Mapped[bytes] = mapped_column(sa.LargeBinary)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=now_default)

    author = relationship("User", lazy="joined")
    attachments = relationship("Attachment", back_populates="message", order_by="Attachment.id")


# stored byte for byte: files staff bring in (evidence, statements, documents, files on tasks and notes), and
# the reports and letters CaseFlow itself issued
STAFF_SOURCES = frozenset({"evidence", "interview_statement", "staff", "document", "task", "note", "report", "letter"})


class Attachment(Model):
    """A file received or sent on a case: encrypted on disk under a random name; hashes kept."""

    __tablename__ = "attachments"
    __table_args__ = (sa.Index("ix_attachments_case_created", "case_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"))
    message_id: Mapped[int | None] = mapped_column(sa.ForeignKey("reporter_messages.id", ondelete="SET NULL"))
    source: Mapped[str] = mapped_column(sa.String(32))
    filename_blob: Mapped[bytes] = mapped_column(sa.LargeBinary)
    content_type: Mapped[str] = mapped_column(sa.String(100))
    kind: Mapped[str] = mapped_column(sa.String(16))
    size_original: Mapped[int] = mapped_column(sa.Integer)
    size_stored: Mapped[int] = mapped_column(sa.Integer)
    sha256_original: Mapped[str] = mapped_column(sa.String(64), index=True)
    sha256_stored: Mapped[str] = mapped_column(sa.String(64))
    metadata_removed: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    storage_name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    # the file exactly as received, sealed, when the stored copy was cleaned (opened only after a reveal)
    original_storage_name: Mapped[str | None] = mapped_column(sa.String(80), unique=True)
    # stored before files were kept byte for byte: changed on the way in, and the original is gone
    original_lost: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    active_content: Mapped[str | None] = mapped_column(sa.String(300))  # e.g. "PDF JavaScript, macros"
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=now_default)

    message = relationship("ReporterMessage", back_populates="attachments")

    @property
    def active_content_text(self) -> str:
        """Return the active content found in the file, in words (empty if none)."""
        parts = []
        for code in (self.active_content or "").split(","):
            if not code:
                continue
            label = str(ACTIVE_CONTENT_LABELS.get(code.rstrip("*"), code.rstrip("*")))
            if not code.endswith("*"):
                label = str(_l("%(what)s (removed from the cleaned copy)", what=label))
            parts.append(label)
        return "; ".join(parts)

    @property
    def not_cleaned(self) -> bool:
        """Return whether this file from outside kept its metadata because it could not be cleaned."""
        return self.source not in STAFF_SOURCES and not self.metadata_removed and self.kind != "text"

    @property
    def cleaned(self) -> bool:
        """Return whether the stored copy differs from the file as received."""
        return self.sha256_stored != self.sha256_original


ACTIVE_CONTENT_LABELS = {
    "pdf_javascript": _l("JavaScript"),
    "pdf_open_action": _l("an action run on opening"),
    "pdf_launch": _l("a command that launches a program"),
    "pdf_auto_action": _l("automatic actions"),
    "pdf_embedded_files": _l("embedded files"),
    "macros": _l("macros"),
    "external_template": _l("a template fetched from elsewhere"),
    "external_object": _l("an object fetched from elsewhere"),
    "unreadable": _l("parts that could not be inspected"),
}


class IdentityReveal(Model):
    """A supervisor's request to reveal a sealed reporter identity, and a second supervisor's decision."""

    __tablename__ = "identity_reveals"
    __table_args__ = (sa.Index("ix_identity_reveals_case_status", "case_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"))
    status: Mapped[RevealStatus] = mapped_column(enum_column(RevealStatus, "reveal_status"),
                                                 default=RevealStatus.PENDING)
    reason: Mapped[str] = mapped_column(sa.Text)
    requested_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(sa.DateTime, default=now_default)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(sa.DateTime)
    decision_note: Mapped[str | None] = mapped_column(sa.Text)

    requested_by = relationship("User", foreign_keys=[requested_by_id], lazy="joined")
    decided_by = relationship("User", foreign_keys=[decided_by_id], lazy="joined")


class UsedFormToken(Model):
    """A spent single-use form token (hash of its nonce): a replayed post finds it and creates nothing."""

    __tablename__ = "used_form_tokens"

    nonce_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    used_at: Mapped[datetime] = mapped_column(sa.DateTime, default=now_default, index=True)
    # The case a report form's token created: a replay (Back then Send, reload, double click) finds it.
    case_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"))
    # A keyed digest of what the form said: Back then Send reloads the form with a fresh token and must still
    # find the case the same words created (deleted with the row, a few hours later).
    content_mac: Mapped[str | None] = mapped_column(sa.String(64), index=True)
