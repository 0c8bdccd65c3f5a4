"""People named in cases (subjects, witnesses) and their link to cases."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseflow.enums import PartyRole
from caseflow.extensions import db
from caseflow.models.base import enum_column, now_default


class Person(db.Model):
    """A person named in one or more cases; staff subjects link to their user account."""

    __tablename__ = "people"
    __table_args__ = (sa.Index("ix_people_full_name_lower", sa.func.lower(sa.text("full_name"))),)  # duplicates

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(sa.String(200), index=True)
    badge_number: Mapped[str | None] = mapped_column(sa.String(40), index=True)
    position: Mapped[str | None] = mapped_column(sa.String(120))
    office_id: Mapped[int | None] = mapped_column(sa.ForeignKey("offices.id"))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=now_default)

    office = relationship("Office")


class CaseParty(db.Model):
    """A person's role in a case; a reporter's identity is held sealed, never in clear."""

    __tablename__ = "case_parties"
    __table_args__ = (sa.Index("ix_case_parties_case_role", "case_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"))
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"), index=True)
    role: Mapped[PartyRole] = mapped_column(enum_column(PartyRole, "party_role"))
    sealed_identity: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    note: Mapped[str | None] = mapped_column(sa.String(300))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=now_default)

    case = relationship("Case", back_populates="parties")
    person = relationship("Person", lazy="joined")

    @property
    def display_name(self) -> str:
        """Return the person's name; a reporter shows only as sealed."""
        if self.person is not None:
            return self.person.full_name
        return ""
