"""Reporting units: the bodies a report may go to (Internal Affairs, Ethics Office, ...), with their staff.

A unit is not a channel: the channel says how a complaint arrived, the unit who receives it.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseflow.models.base import Model, now_default

UNIT_LANGUAGES = ("en", "fr", "es", "pt", "ar")

unit_members = sa.Table(
    "unit_members", Model.metadata,
    sa.Column("unit_id", sa.ForeignKey("reporting_units.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
)
unit_supervisors = sa.Table(
    "unit_supervisors", Model.metadata,
    sa.Column("unit_id", sa.ForeignKey("reporting_units.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
)

api_token_units = sa.Table(  # an integration walled to these units; none listed: every unit
    "api_token_units", Model.metadata,
    sa.Column("token_id", sa.ForeignKey("api_tokens.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("unit_id", sa.ForeignKey("reporting_units.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class ReportingUnit(Model):
    """A unit reports go to: its names per language, which reports it accepts, its clocks and its staff."""

    __tablename__ = "reporting_units"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name_en: Mapped[str] = mapped_column(sa.String(160), default="")
    name_fr: Mapped[str] = mapped_column(sa.String(160), default="")
    name_es: Mapped[str] = mapped_column(sa.String(160), default="")
    name_pt: Mapped[str] = mapped_column(sa.String(160), default="")
    name_ar: Mapped[str] = mapped_column(sa.String(160), default="")
    description_en: Mapped[str] = mapped_column(sa.Text, default="")
    description_fr: Mapped[str] = mapped_column(sa.Text, default="")
    description_es: Mapped[str] = mapped_column(sa.Text, default="")
    description_pt: Mapped[str] = mapped_column(sa.Text, default="")
    description_ar: Mapped[str] = mapped_column(sa.Text, default="")
    allows_named: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    allows_anonymous: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    active: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    # The questionnaire this unit's reporters answer, by key; stored only (no foreign key on purpose).
    questionnaire_key: Mapped[str | None] = mapped_column(sa.String(80))
    # Legal clocks of this unit where they differ from the installation's (None: the installation's apply).
    ack_days: Mapped[int | None] = mapped_column(sa.Integer)
    feedback_months: Mapped[int | None] = mapped_column(sa.Integer)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=now_default)

    members = relationship("User", secondary=unit_members, order_by="User.full_name")
    supervisors = relationship("User", secondary=unit_supervisors, order_by="User.full_name")

    def name_in(self, language: str) -> str:
        """Return the unit's name in a language (English if that one is empty)."""
        return getattr(self, f"name_{language}", "") or self.name_en

    def description_in(self, language: str) -> str:
        """Return the unit's description in a language (English if that one is empty)."""
        return getattr(self, f"description_{language}", "") or self.description_en

    @property
    def label(self) -> str:
        """Return the unit's name in the language of the page being served."""
        from caseflow.models.cases import reader_language

        return self.name_in(reader_language())

    @property
    def translated(self) -> bool:
        """Return whether the unit has a name in every language (needed to be listed on the portal)."""
        return all((getattr(self, f"name_{code}") or "").strip() for code in UNIT_LANGUAGES)

    def __repr__(self) -> str:
        return f"<ReportingUnit {self.key}>"
