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


class StaffSession(Model):
    """One signed-in staff session: the cookie holds only a random id, stored here as its SHA-256.

    Signing out, an idle timeout, a password change or an admin's deactivation sets revoked_at, so a copy of
    the cookie taken before that opens nothing.
    """

    __tablename__ = "staff_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    session_version: Mapped[int] = mapped_column(sa.Integer)  # the user's version when the session began
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=now_default)
    last_seen_at: Mapped[datetime] = mapped_column(sa.DateTime, default=now_default)
    revoked_at: Mapped[datetime | None] = mapped_column(sa.DateTime)
    revoked_reason: Mapped[str | None] = mapped_column(sa.String(32))
