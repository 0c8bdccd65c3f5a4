"""Materialised dashboard aggregates: per-month cells, duration histograms and findings, with stale marks.

These tables hold no case content or identity, only counts per month and per office, category and channel.
caseflow/dashboards/rollup.py fills them; nothing else writes them except through its functions.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from caseflow.models.base import Model


class DashboardMonth(Model):
    """When one month's part of the aggregates was computed and until when it stays true."""

    __tablename__ = "dashboard_months"

    month: Mapped[str] = mapped_column(sa.String(7), primary_key=True)  # "YYYY-MM" (UTC)
    part: Mapped[str] = mapped_column(sa.String(16), primary_key=True)  # "cases" or "findings"
    refreshed_at: Mapped[datetime] = mapped_column(sa.DateTime)
    valid_until: Mapped[datetime | None] = mapped_column(sa.DateTime)  # a running clock falls due then
    settings: Mapped[str] = mapped_column(sa.String(64))  # the clock settings the figures were computed with


class DashboardCell(Model):
    """Cases received in one month for one office, category, channel and anonymity: counts and clock results.

    Rows with by_office false add up all offices (office_id empty), so a view without an office filter reads
    a few rows per month instead of one per office.
    """

    __tablename__ = "dashboard_cells"
    __table_args__ = (sa.Index("ix_dashboard_cells_month", "month", "by_office", "office_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[str] = mapped_column(sa.String(7))
    by_office: Mapped[bool] = mapped_column(sa.Boolean)
    office_id: Mapped[int | None] = mapped_column(sa.Integer)
    category_id: Mapped[int | None] = mapped_column(sa.Integer)
    channel: Mapped[str] = mapped_column(sa.String(32))
    is_anonymous: Mapped[bool] = mapped_column(sa.Boolean)
    received: Mapped[int] = mapped_column(sa.Integer)
    ack_met: Mapped[int] = mapped_column(sa.Integer)
    ack_late: Mapped[int] = mapped_column(sa.Integer)
    triage_met: Mapped[int] = mapped_column(sa.Integer)
    triage_late: Mapped[int] = mapped_column(sa.Integer)
    feedback_met: Mapped[int] = mapped_column(sa.Integer)
    feedback_late: Mapped[int] = mapped_column(sa.Integer)
    followed_up: Mapped[int] = mapped_column(sa.Integer)
    # Per count, the sum of its cases' record keys (caseflow/dashboards/protect.py): sums add up across months
    # and offices exactly as the live keyed count does, so a manager's figures can be read from here.
    key_received: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    key_ack_met: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    key_ack_late: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    key_triage_met: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    key_triage_late: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    key_feedback_met: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    key_feedback_late: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    key_followed_up: Mapped[int] = mapped_column(sa.BigInteger, default=0)


class DashboardDuration(Model):
    """A histogram of whole days from receipt to triage or to closure, for cases received in one month.

    `dims` says which of office (1), category (2) and channel (4) the row is split by; 0 is all cases.
    """

    __tablename__ = "dashboard_durations"
    __table_args__ = (sa.Index("ix_dashboard_durations_month", "month", "dims", "office_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[str] = mapped_column(sa.String(7))
    dims: Mapped[int] = mapped_column(sa.SmallInteger)
    office_id: Mapped[int | None] = mapped_column(sa.Integer)
    category_id: Mapped[int | None] = mapped_column(sa.Integer)
    channel: Mapped[str | None] = mapped_column(sa.String(32))
    kind: Mapped[str] = mapped_column(sa.String(8))  # "triage" or "close"
    days: Mapped[int] = mapped_column(sa.Integer)  # the histogram bucket's first day
    n: Mapped[int] = mapped_column(sa.Integer)


class DashboardFinding(Model):
    """Allegations whose finding was recorded in one month, per case office, category, channel and anonymity."""

    __tablename__ = "dashboard_findings"
    __table_args__ = (sa.Index("ix_dashboard_findings_month", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[str] = mapped_column(sa.String(7))
    office_id: Mapped[int | None] = mapped_column(sa.Integer)
    category_id: Mapped[int | None] = mapped_column(sa.Integer)
    channel: Mapped[str] = mapped_column(sa.String(32))
    is_anonymous: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    finding: Mapped[str | None] = mapped_column(sa.String(32))
    sanction: Mapped[str | None] = mapped_column(sa.String(32))
    n: Mapped[int] = mapped_column(sa.Integer)
    key_sum: Mapped[int] = mapped_column(sa.BigInteger, default=0)  # the sum of its allegations' record keys


class DashboardStale(Model):
    """A month whose aggregates a committed change made stale (append-only; the refresh removes what it redid)."""

    __tablename__ = "dashboard_stale"
    __table_args__ = (sa.Index("ix_dashboard_stale_month", "month", "part"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[str] = mapped_column(sa.String(7))
    part: Mapped[str] = mapped_column(sa.String(16))
