"""Reporter sessions of the portal: an opaque cookie names a row; Leave or expiry deletes it."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from caseflow.models.base import Model


class ReporterSession(Model):
    """A reporter signed in with a receipt: only the hash of the cookie's random id, no address, no device."""

    __tablename__ = "reporter_sessions"

    id_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    submission_id: Mapped[int] = mapped_column(sa.ForeignKey("report_submissions.id", ondelete="CASCADE"),
                                               index=True)
    created_on: Mapped[date] = mapped_column(sa.Date)  # the day only
    # The two limits, kept only while the session lives (the row is deleted at Leave or expiry).
    idle_until: Mapped[datetime] = mapped_column(sa.DateTime)
    expires_at: Mapped[datetime] = mapped_column(sa.DateTime, index=True)
