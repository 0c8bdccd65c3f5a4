"""Intake channels: outbound mail queue, processed mailbox messages, API tokens, intake records, case links."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseflow.enums import Channel
from caseflow.models.base import Model, SealedText, enum_column, now_default


class LinkKind(enum.StrEnum):
    """How two cases relate."""

    DUPLICATE_OF = "duplicate_of"
    RELATED_TO = "related_to"

    @property
    def label(self) -> str:
        """Return the translated label."""
        return str({LinkKind.DUPLICATE_OF: _l("Duplicate of"), LinkKind.RELATED_TO: _l("Related to")}[self])


class MailOutcome(enum.StrEnum):
    """What fetch-mail did with one mailbox message."""

    CREATED = "created"
    THREADED = "threaded"
    FAILED = "failed"
    IGNORED = "ignored"  # not a complaint: auto-reply, bounce, mailing list, bulk (kept with its reason)


class OutboxMail(Model):
    """A message waiting to be sent (or sent) by `flask caseflow send-mail`; survives failed sends."""

    __tablename__ = "outbox_mails"
    __table_args__ = (sa.Index("ix_outbox_mails_pending", "sent_at", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Recipient and body, sealed by caseflow.channels.outboxseal (a case's mail under its case key; read them
    # with outboxseal.recipient() / body_of()).
    to_sealed: Mapped[str] = mapped_column("to_addr", sa.Text)
    subject: Mapped[str] = mapped_column(sa.String(300))
    body_sealed: Mapped[str] = mapped_column("body", sa.Text)
    language: Mapped[str | None] = mapped_column(sa.String(10))
    in_reply_to: Mapped[str | None] = mapped_column(sa.String(300))
    message_id: Mapped[str | None] = mapped_column(sa.String(300), index=True)
    bounced_at: Mapped[datetime | None] = mapped_column(sa.DateTime)
    kind: Mapped[str] = mapped_column(sa.String(40), default="notice")
    case_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cases.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=now_default)
    attempts: Mapped[int] = mapped_column(sa.Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(sa.String(500))
    next_attempt_at: Mapped[datetime] = mapped_column(sa.DateTime, default=now_default)
    sent_at: Mapped[datetime | None] = mapped_column(sa.DateTime)


class ProcessedMail(Model):
    """A mailbox message already handled, by Message-ID, so a second run never acts twice."""

    __tablename__ = "processed_mails"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[str] = mapped_column(sa.String(300), unique=True)
    outcome: Mapped[MailOutcome] = mapped_column(enum_column(MailOutcome, "processed_mail_outcome"))
    case_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cases.id", ondelete="SET NULL"), index=True)
    reason: Mapped[str | None] = mapped_column(sa.String(300))
    sender: Mapped[str | None] = mapped_column(SealedText("mail-sender"))
    subject: Mapped[str | None] = mapped_column(SealedText("mail-sender"))
    auth_results: Mapped[str | None] = mapped_column(sa.String(200))
    processed_at: Mapped[datetime] = mapped_column(sa.DateTime, default=now_default)


class ApiToken(Model):
    """An integration's API token: only its SHA-256 is stored; scoped, revocable."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    prefix: Mapped[str] = mapped_column(sa.String(16))
    scopes: Mapped[str] = mapped_column(sa.String(300), default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=now_default)
    revoked_at: Mapped[datetime | None] = mapped_column(sa.DateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(sa.DateTime)

    @property
    def scope_set(self) -> set[str]:
        """Return the token's scopes."""
        return {s for s in self.scopes.split() if s}

    units = relationship("ReportingUnit", secondary="api_token_units", order_by="ReportingUnit.key")

    @property
    def is_active(self) -> bool:
        """Return whether the token may still be used."""
        return self.revoked_at is None


class IntakeRecord(Model):
    """How a complaint came in: who took it, when, how, from which unit or integration, oral-report minutes."""

    __tablename__ = "intake_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), unique=True)
    method: Mapped[Channel] = mapped_column(enum_column(Channel, "intake_method"))
    taken_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    taken_at: Mapped[datetime] = mapped_column(sa.DateTime, default=now_default)
    referring_unit: Mapped[str | None] = mapped_column(sa.String(200))
    api_token_id: Mapped[int | None] = mapped_column(sa.ForeignKey("api_tokens.id"), index=True)
    minutes_sealed: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    minutes_offered: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    minutes_signed_file: Mapped[str | None] = mapped_column(sa.String(255))
    recording_ref: Mapped[str | None] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=now_default)

    taken_by = relationship("User", lazy="joined")


class CaseLink(Model):
    """A link from one case to another (duplicate of, related to), shown on both."""

    __tablename__ = "case_links"
    __table_args__ = (sa.UniqueConstraint("case_id", "other_case_id", name="uq_case_links_pair"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    other_case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[LinkKind] = mapped_column(enum_column(LinkKind, "case_link_kind"))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=now_default)

    case = relationship("Case", foreign_keys=[case_id])
    other_case = relationship("Case", foreign_keys=[other_case_id])
