"""The person index: blind-indexed search terms of people, and identifiers recorded on cases."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseflow.models.base import Model, SealedText, enum_column, now_default


class IdentifierKind(enum.StrEnum):
    """What an identifier recorded on a case is."""

    PLATE = "plate"
    COMPANY = "company"
    DECLARATION = "declaration"
    PHONE = "phone"

    @property
    def label(self) -> str:
        """Return the kind's translated label."""
        return str(IDENTIFIER_LABELS[self])


IDENTIFIER_LABELS = {
    IdentifierKind.PLATE: _l("Vehicle plate"),
    IdentifierKind.COMPANY: _l("Company"),
    IdentifierKind.DECLARATION: _l("Declaration number"),
    IdentifierKind.PHONE: _l("Phone number"),
}


class PersonTerm(Model):
    """One blind-indexed search term of a person (a normalised word of the name or badge, or a prefix of one)."""

    __tablename__ = "person_terms"

    key: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    person_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False, index=True)  # people.INDEX_CLEANUP


class CaseIdentifier(Model):
    """A vehicle plate, company, declaration number or phone recorded on a case (sealed; searched blind)."""

    __tablename__ = "case_identifiers"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id", ondelete="SET NULL"), index=True)
    kind: Mapped[IdentifierKind] = mapped_column(enum_column(IdentifierKind, "identifier_kind"))
    value: Mapped[str] = mapped_column(SealedText("identifier"))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=now_default)

    case = relationship("Case")
    person = relationship("Person")


class IdentifierTerm(Model):
    """One blind-indexed search term of a case identifier."""

    __tablename__ = "identifier_terms"

    key: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    identifier_id: Mapped[int] = mapped_column(sa.ForeignKey("case_identifiers.id", ondelete="CASCADE"),
                                               primary_key=True, index=True)
