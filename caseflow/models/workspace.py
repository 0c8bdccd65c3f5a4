"""The investigation workspace: plan versions, tasks, interviews, evidence and custody, referrals, clock notices."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseflow.enums import LabelledEnum, PartyRole
from caseflow.models.base import Model, SealedText, enum_column, now_default


class ReferralBody(LabelledEnum):
    """The kind of external body a case (or part of it) is referred to."""

    ANTI_CORRUPTION_COMMISSION = "anti_corruption_commission"
    POLICE = "police"
    PROSECUTOR = "prosecutor"
    OTHER_UNIT = "other_unit"

    @property
    def label(self) -> str:
        """Return the body kind's translated label."""
        return str(_REFERRAL_LABELS[self])


_REFERRAL_LABELS = {
    ReferralBody.ANTI_CORRUPTION_COMMISSION: _l("Anti-corruption commission"),
    ReferralBody.POLICE: _l("Police"),
    ReferralBody.PROSECUTOR: _l("Prosecutor"),
    ReferralBody.OTHER_UNIT: _l("Another unit"),
}


class NoticeKind(enum.StrEnum):
    """What the sweep sent about a legal clock."""

    REMINDER = "reminder"
    ESCALATION = "escalation"


class PlanVersion(Model):
    """One saved version of a case's investigation plan (append-only; the newest is the plan)."""

    __tablename__ = "plan_versions"
    __table_args__ = (sa.UniqueConstraint("case_id", "version", name="uq_plan_versions_case_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(sa.Integer)
    body: Mapped[str] = mapped_column(SealedText("plan"))
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=now_default)

    author = relationship("User", lazy="joined")


class Task(Model):
    """A piece of investigative work with an owner and a due date."""

    __tablename__ = "tasks"
    __table_args__ = (sa.Index("ix_tasks_case_due", "case_id", "due_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(sa.String(300))
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    due_date: Mapped[date | None] = mapped_column(sa.Date)
    done_at: Mapped[datetime | None] = mapped_column(sa.DateTime)
    done_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=now_default)

    owner = relationship("User", foreign_keys=[owner_id], lazy="joined")


class Interview(Model):
    """An interview: who, when, where, by whom, in what role, its summary and the signed statement."""

    __tablename__ = "interviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    interviewee: Mapped[str] = mapped_column(SealedText("interview"))  # names a witness or the reporter
    # the person of the case interviewed (None: typed by hand before people could be picked)
    party_id: Mapped[int | None] = mapped_column(sa.ForeignKey("case_parties.id", ondelete="SET NULL"), index=True)
    role: Mapped[PartyRole] = mapped_column(enum_column(PartyRole, "interview_role"))
    held_at: Mapped[datetime] = mapped_column(sa.DateTime)
    location: Mapped[str] = mapped_column(sa.String(200), default="")
    interviewer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    summary: Mapped[str] = mapped_column(SealedText("interview"), default="")
    statement_attachment_id: Mapped[int | None] = mapped_column(sa.Integer)
    statement_filename: Mapped[str | None] = mapped_column(sa.String(255))
    statement_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=now_default)

    interviewer = relationship("User", foreign_keys=[interviewer_id], lazy="joined")


class WorkFile(Model):
    """A file attached to a task or a note, stored byte for byte and encrypted like evidence."""

    __tablename__ = "work_files"
    __table_args__ = (sa.CheckConstraint("(task_id IS NULL) <> (note_id IS NULL)", name="one_owner"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    task_id: Mapped[int | None] = mapped_column(sa.ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    note_id: Mapped[int | None] = mapped_column(sa.ForeignKey("notes.id", ondelete="CASCADE"), index=True)
    attachment_id: Mapped[int | None] = mapped_column(sa.Integer)  # None once the retention job destroyed it
    filename: Mapped[str] = mapped_column(SealedText("file"))  # a file name can name a person
    sha256: Mapped[str] = mapped_column(sa.String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=now_default)

    uploaded_by = relationship("User", lazy="joined")


class EvidenceItem(Model):
    """An item in the evidence register, numbered per case (e.g. IA-2026-00042-E03)."""

    __tablename__ = "evidence_items"
    __table_args__ = (sa.UniqueConstraint("case_id", "seq", name="uq_evidence_items_case_seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(sa.Integer)
    number: Mapped[str] = mapped_column(sa.String(48), unique=True)
    description: Mapped[str] = mapped_column(sa.Text)
    source: Mapped[str] = mapped_column(sa.String(300), default="")
    storage_location: Mapped[str] = mapped_column(sa.String(300), default="")
    attachment_id: Mapped[int | None] = mapped_column(sa.Integer)
    filename: Mapped[str | None] = mapped_column(sa.String(255))
    sha256: Mapped[str | None] = mapped_column(sa.String(64))
    stored_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    last_check_at: Mapped[datetime | None] = mapped_column(sa.DateTime)
    last_check_ok: Mapped[bool | None] = mapped_column(sa.Boolean)
    registered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=now_default)

    custody = relationship("CustodyEvent", back_populates="item", order_by="CustodyEvent.id",
                           cascade="all, delete-orphan")

    @property
    def holder(self) -> str:
        """Return who holds the item now (the last hand-over's recipient)."""
        return self.custody[-1].to_holder if self.custody else ""


class CustodyEvent(Model):
    """One hand-over of an evidence item; rows are only ever appended."""

    __tablename__ = "custody_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    evidence_id: Mapped[int] = mapped_column(sa.ForeignKey("evidence_items.id", ondelete="CASCADE"), index=True)
    from_holder: Mapped[str] = mapped_column(sa.String(200))
    to_holder: Mapped[str] = mapped_column(sa.String(200))
    occurred_at: Mapped[datetime] = mapped_column(sa.DateTime)
    reason: Mapped[str] = mapped_column(sa.Text)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(sa.DateTime, default=now_default)

    item = relationship("EvidenceItem", back_populates="custody")
    recorded_by = relationship("User", lazy="joined")


@event.listens_for(CustodyEvent, "before_update")
def _custody_is_append_only(mapper: Any, connection: Any, target: CustodyEvent) -> None:
    """Refuse to change a recorded hand-over (the retention job clears content with plain SQL)."""
    raise ValueError("custody events are append-only")


class Referral(Model):
    """A referral of the case to an external body, with its reference and the body's response."""

    __tablename__ = "referrals"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    body_kind: Mapped[ReferralBody] = mapped_column(enum_column(ReferralBody, "referral_body"))
    body_name: Mapped[str] = mapped_column(sa.String(200))
    referred_on: Mapped[date] = mapped_column(sa.Date)
    reference: Mapped[str] = mapped_column(sa.String(120), default="")
    response: Mapped[str] = mapped_column(sa.Text, default="")
    response_on: Mapped[date | None] = mapped_column(sa.Date)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=now_default)


class ClockNotice(Model):
    """A reminder or escalation the sweep sent for one clock of one case (at most one of each)."""

    __tablename__ = "clock_notices"
    __table_args__ = (sa.UniqueConstraint("case_id", "clock", "kind", name="uq_clock_notices_case_clock_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"))
    clock: Mapped[str] = mapped_column(sa.String(32))
    kind: Mapped[NoticeKind] = mapped_column(enum_column(NoticeKind, "clock_notice_kind"))
    due_at: Mapped[datetime] = mapped_column(sa.DateTime)
    sent_at: Mapped[datetime] = mapped_column(sa.DateTime, default=now_default)
    recipients: Mapped[int] = mapped_column(sa.Integer, default=0)


class Reminder(Model):
    """An in-app reminder for one user ("my reminders")."""

    __tablename__ = "reminders"
    __table_args__ = (sa.Index("ix_reminders_user_read", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    case_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"))
    notice_id: Mapped[int | None] = mapped_column(sa.ForeignKey("clock_notices.id", ondelete="CASCADE"))
    kind: Mapped[NoticeKind] = mapped_column(enum_column(NoticeKind, "reminder_kind"))
    message: Mapped[str] = mapped_column(sa.String(500))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=now_default)
    read_at: Mapped[datetime | None] = mapped_column(sa.DateTime)

    case = relationship("Case")
