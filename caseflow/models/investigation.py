"""Allegations and their findings."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseflow.enums import Finding, Sanction
from caseflow.models.base import Model, enum_column, now_default


class Allegation(Model):
    """One allegation: a subject and the conduct alleged, later given a finding."""

    __tablename__ = "allegations"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    subject_party_id: Mapped[int | None] = mapped_column(sa.ForeignKey("case_parties.id"))
    category_id: Mapped[int | None] = mapped_column(sa.ForeignKey("categories.id"))
    conduct: Mapped[str] = mapped_column(sa.Text)
    finding: Mapped[Finding | None] = mapped_column(enum_column(Finding, "allegation_finding"), index=True)
    finding_reasoning: Mapped[str | None] = mapped_column(sa.Text)
    finding_at: Mapped[datetime | None] = mapped_column(sa.DateTime, index=True)
    finding_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    recommended_sanction: Mapped[Sanction | None] = mapped_column(enum_column(Sanction, "recommended_sanction"))
    decided_sanction: Mapped[Sanction | None] = mapped_column(enum_column(Sanction, "decided_sanction"))
    sanction_date: Mapped[date | None] = mapped_column(sa.Date)
    sanction_reference: Mapped[str | None] = mapped_column(sa.String(120))
    sanction_decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    sanction_decided_at: Mapped[datetime | None] = mapped_column(sa.DateTime)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=now_default)

    case = relationship("Case", back_populates="allegations")
    subject = relationship("CaseParty")
    category = relationship("Category")
    sanction_decided_by = relationship("User", foreign_keys=[sanction_decided_by_id])
