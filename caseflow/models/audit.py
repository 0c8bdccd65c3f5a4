"""The append-only, hash-chained audit log."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from caseflow.models.base import Model


class AuditEvent(Model):
    """One audited action: who did what to which case, chained to the event before it."""

    __tablename__ = "audit_events"
    __table_args__ = (
        sa.Index("ix_audit_events_case_seq", "case_id", "seq"),
        sa.Index("ix_audit_events_actor_seq", "actor_id", "seq"),
        sa.Index("ix_audit_events_action_seq", "action", "seq"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(sa.BigInteger, unique=True)
    occurred_at: Mapped[datetime] = mapped_column(sa.DateTime, index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.Integer)
    actor_label: Mapped[str] = mapped_column(sa.String(120))
    case_id: Mapped[int | None] = mapped_column(sa.Integer)
    action: Mapped[str] = mapped_column(sa.String(64))
    detail: Mapped[str] = mapped_column(sa.Text)
    prev_hash: Mapped[str] = mapped_column(sa.String(64))
    hash: Mapped[str] = mapped_column(sa.String(64))


class AuditHead(Model):
    """The single row holding the chain's last sequence number and hash; updating it serialises writers."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    last_hash: Mapped[str] = mapped_column(sa.String(64), default="")
