"""Letters CaseFlow issues from templates: the administrators' templates and each letter issued on a case."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseflow.models.base import Model, SealedText, enum_column, now_default


class LetterKind(enum.StrEnum):
    """Which letter: to the subject, to an interviewee, to a receiving body, to a named complainant."""

    SUBJECT_NOTICE = "subject_notice"
    INTERVIEW_INVITATION = "interview_invitation"
    REFERRAL = "referral"
    ACKNOWLEDGEMENT = "acknowledgement"

    @property
    def label(self) -> str:
        """Return the letter kind's translated name."""
        return str(KIND_LABELS[self])


KIND_LABELS = {LetterKind.SUBJECT_NOTICE: _l("Notice to the subject of the allegations"),
               LetterKind.INTERVIEW_INVITATION: _l("Invitation to an interview"),
               LetterKind.REFERRAL: _l("Referral letter"),
               LetterKind.ACKNOWLEDGEMENT: _l("Acknowledgement letter")}


class LetterTemplate(Model):
    """An administrator's text for one kind of letter in one language (the shipped default until edited)."""

    __tablename__ = "letter_templates"
    __table_args__ = (sa.UniqueConstraint("kind", "language", name="uq_letter_templates_kind_language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[LetterKind] = mapped_column(enum_column(LetterKind, "letter_template_kind"))
    language: Mapped[str] = mapped_column(sa.String(10))
    subject: Mapped[str] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime, default=now_default)

    updated_by = relationship("User", lazy="joined")


class Letter(Model):
    """A letter issued on a case: its kind, its recipient (sealed) and what it was written for.

    The PDF itself is an attachment of the case (encrypted, byte for byte) and its issue an IssuedReport row,
    so a letter is verified, listed and downloaded like a report.
    """

    __tablename__ = "letters"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    issued_report_id: Mapped[int] = mapped_column(sa.ForeignKey("issued_reports.id", ondelete="CASCADE"),
                                                  unique=True)
    kind: Mapped[LetterKind] = mapped_column(enum_column(LetterKind, "letter_kind"))
    recipient: Mapped[str] = mapped_column(SealedText("letter"))  # a person's name or a body's: sealed
    party_id: Mapped[int | None] = mapped_column(sa.Integer)
    interview_id: Mapped[int | None] = mapped_column(sa.Integer)
    referral_id: Mapped[int | None] = mapped_column(sa.Integer)

    issued_report = relationship("IssuedReport", lazy="joined")
