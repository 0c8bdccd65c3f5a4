"""The case aggregate: cases, their numbering, reference lists, team, grants, conflicts, notes."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseflow.categories import default_category_label
from caseflow.enums import CaseState, Channel, Priority, RiskLevel
from caseflow.models.base import Model, SealedText, enum_column, now_default

NAME_LANGUAGES = ("fr", "es", "pt", "ar")  # `name` is the English one; each other language has its column


def reader_language() -> str:
    """Return the language of the page or document being made (English outside a request)."""
    from flask_babel import get_locale

    locale = get_locale()
    return locale.language if locale is not None else "en"


class NamedInLanguages:
    """Reference data with a name per language, falling back to the English `name`."""

    name: str

    def given_name(self, lang: str) -> str:
        """Return the name the administrator gave in a language ('' when none)."""
        if lang in NAME_LANGUAGES:
            return str(getattr(self, f"name_{lang}") or "")
        return self.name if lang == "en" else ""

    def names(self) -> dict[str, str]:
        """Return the given name in English and each other language."""
        return {lang: self.given_name(lang) for lang in ("en", *NAME_LANGUAGES)}

    def fallback_label(self) -> str:
        """Return what to show in a language with no name of its own."""
        return self.name

    @property
    def label(self) -> str:
        """Return the name in the reader's language, else the fallback (the English name)."""
        return self.given_name(reader_language()) or self.fallback_label()


class Category(NamedInLanguages, Model):
    """An admin-managed complaint category (bribery, extortion, ...)."""

    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    name_fr: Mapped[str | None] = mapped_column(sa.String(120))
    name_es: Mapped[str | None] = mapped_column(sa.String(120))
    name_pt: Mapped[str | None] = mapped_column(sa.String(120))
    name_ar: Mapped[str | None] = mapped_column(sa.String(120))
    active: Mapped[bool] = mapped_column(sa.Boolean, default=True)

    def fallback_label(self) -> str:
        """Return the shipped translation of an unrenamed default category, else the English name."""
        return default_category_label(self.code, self.name)


class Office(NamedInLanguages, Model):
    """An office, port or location of the administration."""

    __tablename__ = "offices"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(160))
    name_fr: Mapped[str | None] = mapped_column(sa.String(160))
    name_es: Mapped[str | None] = mapped_column(sa.String(160))
    name_pt: Mapped[str | None] = mapped_column(sa.String(160))
    name_ar: Mapped[str | None] = mapped_column(sa.String(160))
    active: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    headcount: Mapped[int | None] = mapped_column(sa.Integer)  # staff, for the dashboard's rates per 100 staff


class UnitName(Model):
    """The installation's unit name in one language, as the administrator gave it (else the configured one)."""

    __tablename__ = "unit_names"

    lang: Mapped[str] = mapped_column(sa.String(5), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))


class CaseCounter(Model):
    """The last case sequence number issued per year (atomic upsert keeps numbers unique)."""

    __tablename__ = "case_counters"

    year: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(sa.Integer, default=0)


OPEN_CASES_SQL = "state IN ('received', 'triage', 'investigation', 'on_hold', 'reporting')"


class Case(Model):
    """A complaint and everything done about it."""

    __tablename__ = "cases"
    __table_args__ = (
        sa.UniqueConstraint("year", "seq", name="uq_cases_year_seq"),
        sa.Index("ix_cases_state_received", "state", "received_at"),
        sa.Index("ix_cases_office_received", "office_id", "received_at"),
        sa.Index("ix_cases_category_received", "category_id", "received_at"),
        sa.Index("ix_cases_channel_received", "channel", "received_at"),
        sa.Index("ix_cases_lead_state", "lead_investigator_id", "state"),
        # The dashboard's "open now" figures read only this small covering index (open cases are a few %); the
        # unit (a unit's dashboard) and the id (the protected views' record keys) keep it covering.
        sa.Index("ix_cases_open_dashboard", "state", "received_at", "lead_investigator_id", "office_id",
                 "category_id", "channel", "priority", "acknowledged_at", "triaged_at", "feedback_given_at",
                 "investigation_started_at", "unit_id", "id", postgresql_where=sa.text(OPEN_CASES_SQL),
                 sqlite_where=sa.text(OPEN_CASES_SQL)),
        # The dashboard's live period scans (edges, months whose clocks moved on, exact days) read only this.
        sa.Index("ix_cases_received_dashboard", "received_at", "office_id", "category_id", "channel", "is_anonymous",
                 "unit_id", "state", "priority", "acknowledged_at", "triaged_at", "feedback_given_at",
                 "investigation_started_at", "closed_at", "incident_band", "id"),
        sa.Index("uq_cases_unit_source_reference", "unit_id", "source_reference", unique=True),
        # NULL units are distinct in the index above: unit-less cases keep one reference each by this one.
        sa.Index("uq_cases_source_reference_no_unit", "source_reference", unique=True,
                 postgresql_where=sa.text("unit_id IS NULL"), sqlite_where=sa.text("unit_id IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(32), unique=True)
    year: Mapped[int] = mapped_column(sa.Integer)
    seq: Mapped[int] = mapped_column(sa.Integer)
    channel: Mapped[Channel] = mapped_column(enum_column(Channel, "case_channel"))
    received_at: Mapped[datetime] = mapped_column(sa.DateTime, index=True)
    category_id: Mapped[int | None] = mapped_column(sa.ForeignKey("categories.id"))
    priority: Mapped[Priority] = mapped_column(enum_column(Priority, "case_priority"), default=Priority.MEDIUM)
    office_id: Mapped[int | None] = mapped_column(sa.ForeignKey("offices.id"))
    title: Mapped[str] = mapped_column(sa.String(200))
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    state: Mapped[CaseState] = mapped_column(enum_column(CaseState, "case_state"), default=CaseState.RECEIVED)
    state_changed_at: Mapped[datetime] = mapped_column(sa.DateTime, default=now_default)
    lead_investigator_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    is_anonymous: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    restricted: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    admissible: Mapped[bool | None] = mapped_column(sa.Boolean)
    retaliation_risk: Mapped[RiskLevel | None] = mapped_column(enum_column(RiskLevel, "case_retaliation_risk"))
    # The reporter's "when" and "where" answers can identify them or a colleague: sealed like the complaint.
    incident_date: Mapped[str | None] = mapped_column(SealedText("case"))
    location_detail: Mapped[str | None] = mapped_column(SealedText("case"))
    # How long after the incident it was reported, as a coarse band (caseflow/incident.py), when the sealed
    # "when" answer reads as a date: the statistic, without the date itself.
    incident_band: Mapped[int | None] = mapped_column(sa.SmallInteger)
    acknowledged_at: Mapped[datetime | None] = mapped_column(sa.DateTime)
    triage_started_at: Mapped[datetime | None] = mapped_column(sa.DateTime)
    triaged_at: Mapped[datetime | None] = mapped_column(sa.DateTime)
    investigation_started_at: Mapped[datetime | None] = mapped_column(sa.DateTime)
    reporting_at: Mapped[datetime | None] = mapped_column(sa.DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(sa.DateTime, index=True)
    feedback_given_at: Mapped[datetime | None] = mapped_column(sa.DateTime)
    outcome: Mapped[str | None] = mapped_column(sa.Text)
    report_approved_at: Mapped[datetime | None] = mapped_column(sa.DateTime)
    report_approved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decision_reason: Mapped[str | None] = mapped_column(sa.Text)
    referred_to: Mapped[str | None] = mapped_column(sa.String(200))
    hold_reason: Mapped[str | None] = mapped_column(sa.Text)
    legal_hold: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    archived_at: Mapped[datetime | None] = mapped_column(sa.DateTime)
    # Unique per reporting unit (an integration walled to one unit must not learn of another unit's reference).
    source_reference: Mapped[str | None] = mapped_column(sa.String(120))
    # The reporting unit that receives the case; None: no unit (cases from before units, or none defined).
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("reporting_units.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=now_default)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime, default=now_default, onupdate=now_default)

    category = relationship("Category", lazy="joined")
    office = relationship("Office", lazy="joined")
    unit = relationship("ReportingUnit", lazy="joined")
    lead_investigator = relationship("User", foreign_keys=[lead_investigator_id], lazy="joined")
    created_by = relationship("User", foreign_keys=[created_by_id])
    team = relationship("CaseTeamMember", back_populates="case", cascade="all, delete-orphan")
    parties = relationship("CaseParty", back_populates="case", cascade="all, delete-orphan",
                           order_by="CaseParty.id")
    allegations = relationship("Allegation", back_populates="case", cascade="all, delete-orphan",
                               order_by="Allegation.id")
    notes = relationship("Note", back_populates="case", cascade="all, delete-orphan",
                         order_by="Note.created_at")

    def __repr__(self) -> str:
        return f"<Case {self.number} {self.state.value}>"


class CaseTeamMember(Model):
    """An investigator on a case's team (the lead is on Case.lead_investigator_id)."""

    __tablename__ = "case_team_members"
    __table_args__ = (sa.UniqueConstraint("case_id", "user_id", name="uq_case_team_members_case_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    added_at: Mapped[datetime] = mapped_column(sa.DateTime, default=now_default)

    case = relationship("Case", back_populates="team")
    user = relationship("User", lazy="joined")


class CaseAccessGrant(Model):
    """A named user allowed to see a restricted case."""

    __tablename__ = "case_access_grants"
    __table_args__ = (sa.UniqueConstraint("case_id", "user_id", name="uq_case_access_grants_case_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    granted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    granted_at: Mapped[datetime] = mapped_column(sa.DateTime, default=now_default)


class ConflictDeclaration(Model):
    """A user's declaration of having, or not having, a conflict of interest on a case."""

    __tablename__ = "conflict_declarations"
    __table_args__ = (sa.UniqueConstraint("case_id", "user_id", name="uq_conflict_declarations_case_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    has_conflict: Mapped[bool] = mapped_column(sa.Boolean)
    statement: Mapped[str] = mapped_column(sa.Text, default="")
    declared_at: Mapped[datetime] = mapped_column(sa.DateTime, default=now_default)


class Note(Model):
    """A staff note on a case; internal notes are never shown to the reporter."""

    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(SealedText("note"))  # notes quote reporters and name people: sealed
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=now_default)

    case = relationship("Case", back_populates="notes")
    author = relationship("User", lazy="joined")
