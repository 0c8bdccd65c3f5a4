"""People named in cases (subjects, witnesses) and their link to cases."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseflow.enums import MatchStatus, PartyRole
from caseflow.models.base import Model, SealedText, enum_column, now_default

# Limits of what may be typed; the columns are sealed text, longer than their clear value.
NAME_MAX, BADGE_MAX, POSITION_MAX = 200, 40, 120


class Person(Model):
    """A person named in one or more cases; staff subjects link to their user account.

    Names, badges and positions are whistleblower content: sealed at rest. Matching, duplicates and early
    warning use the keyed blind indexes (`name_key`, `badge_key`, `sounds`), never the clear text. The link to
    a staff account is its keyed blind reference (`crypto.user_ref`), never the user id: a copy of the database
    does not say which colleague is the person reported on.
    """

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(SealedText("person"))
    badge_number: Mapped[str | None] = mapped_column(SealedText("person"))
    position: Mapped[str | None] = mapped_column(SealedText("person"))
    name_key: Mapped[str | None] = mapped_column(sa.String(32), index=True)  # blind index of the exact form
    badge_key: Mapped[str | None] = mapped_column(sa.String(32), index=True)  # blind index of the badge
    office_id: Mapped[int | None] = mapped_column(sa.ForeignKey("offices.id"))
    user_ref: Mapped[str | None] = mapped_column(sa.String(32), index=True)  # blind reference of a staff account
    merged_into_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"), index=True)  # a duplicate
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=now_default)

    office = relationship("Office")
    sounds = relationship("PersonSound", primaryjoin="Person.id == foreign(PersonSound.person_id)",
                          cascade="all, delete-orphan", lazy="selectin")
    terms = relationship("PersonTerm", primaryjoin="Person.id == foreign(PersonTerm.person_id)",
                         cascade="all, delete-orphan")


class PersonSound(Model):
    """The blind index of one word's sound form in a person's name (finds other spellings of it)."""

    __tablename__ = "person_sounds"

    person_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)  # no foreign key: INDEX_CLEANUP
    key: Mapped[str] = mapped_column(sa.String(32), primary_key=True, index=True)


# A person's blind-index rows (sounds, search terms) carry no foreign key: checking one per row made a bulk
# import's COPY three times slower (13 rows per person). The database still deletes them with their person,
# as ON DELETE CASCADE did, through this trigger (SQLite has no statement trigger; PostgreSQL runs one per
# statement). Migration 0021 holds a frozen copy.
INDEX_CLEANUP = {
    "sqlite": ["CREATE TRIGGER IF NOT EXISTS people_index_cleanup AFTER DELETE ON people BEGIN "
               "DELETE FROM person_terms WHERE person_id = OLD.id; "
               "DELETE FROM person_sounds WHERE person_id = OLD.id; END"],
    "postgresql": ["CREATE OR REPLACE FUNCTION people_index_cleanup() RETURNS trigger LANGUAGE plpgsql AS $$ "
                   "BEGIN DELETE FROM person_terms WHERE person_id IN (SELECT id FROM gone); "
                   "DELETE FROM person_sounds WHERE person_id IN (SELECT id FROM gone); RETURN NULL; END $$",
                   "CREATE OR REPLACE TRIGGER people_index_cleanup AFTER DELETE ON people REFERENCING OLD TABLE "
                   "AS gone FOR EACH STATEMENT EXECUTE FUNCTION people_index_cleanup()"],
}


@sa.event.listens_for(Model.metadata, "after_create")
def _create_index_cleanup(target: sa.MetaData, connection: sa.Connection, **kw: object) -> None:
    """Create the cleanup trigger whenever create_all() creates the tables."""
    for statement in INDEX_CLEANUP.get(connection.dialect.name, []):
        connection.exec_driver_sql(statement)


@sa.event.listens_for(Model.metadata, "after_drop")
def _drop_index_cleanup(target: sa.MetaData, connection: sa.Connection, **kw: object) -> None:
    """Drop the trigger's function after drop_all() (the trigger went with its table)."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("DROP FUNCTION IF EXISTS people_index_cleanup()")


class SubjectMatch(Model):
    """A person named as subject who is, or probably is, a member of staff; excludes that user from the case.

    The user is held as a keyed blind reference (what the wall's queries compare) and, for the supervisors who
    decide, as the user id sealed under the case key: the row alone does not say who is matched.
    """

    __tablename__ = "subject_matches"
    # per case: a person merged from duplicates is named in several cases, and each case keeps its own match
    __table_args__ = (
        sa.UniqueConstraint("case_id", "person_id", "user_ref", name="uq_subject_matches_case_person_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id", ondelete="CASCADE"))
    user_ref: Mapped[str] = mapped_column(sa.String(32), index=True)  # crypto.user_ref of the matched account
    sealed_user: Mapped[bytes] = mapped_column(sa.LargeBinary)  # the user id, sealed under the case key
    status: Mapped[MatchStatus] = mapped_column(enum_column(MatchStatus, "subject_match_status"))
    basis: Mapped[str] = mapped_column(sa.String(32))  # badge, name or alias
    reason: Mapped[str | None] = mapped_column(sa.Text)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(sa.DateTime)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=now_default)

    person = relationship("Person")


class CaseParty(Model):
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
        if self.person is not None:  # a person may be named by badge alone
            return self.person.full_name or self.person.badge_number or "—"
        return ""
