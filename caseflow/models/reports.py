"""Reports CaseFlow issued: one row per PDF, looked up by its SHA-256 to verify a file."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseflow.models.base import Model, SealedText, enum_column, now_default


class ReportKind(enum.StrEnum):
    """Which document was issued."""

    INVESTIGATION = "investigation"
    MANAGEMENT = "management"
    LETTER = "letter"


class ReportVariant(enum.StrEnum):
    """Whether the document is complete or redacted."""

    FULL = "full"
    REDACTED = "redacted"


class IssuedReport(Model):
    """A PDF CaseFlow generated: its hash, the audit-chain head at generation, who and when."""

    __tablename__ = "issued_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[str] = mapped_column(sa.String(40), unique=True)
    kind: Mapped[ReportKind] = mapped_column(enum_column(ReportKind, "issued_report_kind"))
    variant: Mapped[ReportVariant] = mapped_column(enum_column(ReportVariant, "issued_report_variant"))
    case_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cases.id", ondelete="SET NULL"), index=True)
    case_number: Mapped[str | None] = mapped_column(sa.String(32))
    scope: Mapped[str] = mapped_column(sa.String(300), default="")
    sha256: Mapped[str] = mapped_column(sa.String(64), unique=True)
    chain_head: Mapped[str] = mapped_column(sa.String(64))
    size: Mapped[int] = mapped_column(sa.Integer)
    issued_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    issued_at: Mapped[datetime] = mapped_column(sa.DateTime, default=now_default)
    language: Mapped[str | None] = mapped_column(sa.String(10))  # the document's language (unknown before)
    attachment_id: Mapped[int | None] = mapped_column(sa.Integer)  # the PDF kept in the case, if it was kept

    issued_by = relationship("User", lazy="joined")


class DraftStatus(enum.StrEnum):
    """Where one version of the written investigation report stands."""

    DRAFT = "draft"
    APPROVED = "approved"
    RETURNED = "returned"


class ReportDraft(Model):
    """One saved version of the investigation report the lead writes (append-only; sections sealed)."""

    __tablename__ = "report_drafts"
    __table_args__ = (sa.UniqueConstraint("case_id", "version", name="uq_report_drafts_case_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(sa.Integer)
    sections: Mapped[str] = mapped_column(SealedText("report"))  # JSON of the narrative; names people: sealed
    status: Mapped[DraftStatus] = mapped_column(enum_column(DraftStatus, "report_draft_status"),
                                                default=DraftStatus.DRAFT)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=now_default)
    reviewed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(sa.DateTime)
    review_comment: Mapped[str | None] = mapped_column(SealedText("report"))
    issued_report_id: Mapped[int | None] = mapped_column(sa.ForeignKey("issued_reports.id", ondelete="SET NULL"))

    author = relationship("User", foreign_keys=[author_id], lazy="joined")
    reviewed_by = relationship("User", foreign_keys=[reviewed_by_id], lazy="joined")
    issued_report = relationship("IssuedReport")
