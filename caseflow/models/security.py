"""Staff second-factor recovery codes (stored hashed, each usable once)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from caseflow.models.base import Model, now_default


class RecoveryCode(Model):
    """One single-use recovery code for a user's second factor, kept only as a keyed SHA-256."""

    __tablename__ = "recovery_codes"
    __table_args__ = (sa.UniqueConstraint("user_id", "code_hash", name="uq_recovery_codes_user_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64))
    used_at: Mapped[datetime | None] = mapped_column(sa.DateTime)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=now_default)
