"""Verb-first operations on people across cases: correct a person, merge duplicates, record identifiers."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from caseflow import audit, search_terms
from caseflow.cases import subjects
from caseflow.enums import MatchStatus, PartyRole
from caseflow.errors import ValidationError
from caseflow.extensions import db
from caseflow.models import (
    Case,
    CaseIdentifier,
    CaseParty,
    IdentifierKind,
    IdentifierTerm,
    Person,
    SubjectMatch,
    User,
)

MAX_IDENTIFIER = 120


def _cases_of(person: Person) -> list[Case]:
    ids = sa.select(CaseParty.case_id).where(CaseParty.person_id == person.id)
    return list(db.session.scalars(sa.select(Case).where(Case.id.in_(ids)).order_by(Case.id)))


def _rematch(person: Person, actor: User, staff: subjects.StaffIndex | None = None) -> None:
    """Compare every subject party of the person with staff again (matches only ever added, never lifted)."""
    staff = staff if staff is not None else subjects.build_staff_index()
    parties = db.session.scalars(sa.select(CaseParty).where(CaseParty.person_id == person.id,
                                                            CaseParty.role == PartyRole.SUBJECT))
    for party in list(parties):
        subjects.match_subject(party.case, party, actor, staff)


def update_person(person: Person, actor: User, full_name: str, badge_number: str | None,
                  position: str | None) -> bool:
    """Correct a person's name, badge and position, rebuild the indexes and match against staff; return if changed."""
    full_name = " ".join((full_name or "").split())[:200]
    if not full_name:
        raise ValidationError(_("Give the person's name."))
    before = (person.full_name, person.badge_number or None, person.position or None)
    subjects.set_person_identity(person, full_name, (badge_number or "")[:40], (position or "")[:120])
    after = (person.full_name, person.badge_number or None, person.position or None)
    if before == after:
        return False
    changed = [name for name, old, new in zip(("name", "badge", "position"), before, after, strict=True)
               if old != new]
    db.session.flush()
    for case in _cases_of(person):  # the names are sealed: the trail says what changed, never the values
        audit.record("person.update", actor, case, {"person": person.id, "changed": changed})
    _rematch(person, actor)
    return True


def _carry_exclusions(survivor: Person, duplicate: Person, actor: User) -> None:
    """Keep every exclusion of both people on every case now naming the survivor (a merge never lifts one)."""
    refs = set(db.session.scalars(sa.select(SubjectMatch.user_ref).where(
        SubjectMatch.person_id.in_([survivor.id, duplicate.id]),
        SubjectMatch.status.in_(subjects.EXCLUDING))))
    refs |= {r for r in (survivor.user_ref, duplicate.user_ref) if r is not None}
    users = subjects.users_by_ref(refs)
    for party in db.session.scalars(sa.select(CaseParty).where(CaseParty.person_id == survivor.id,
                                                               CaseParty.role == PartyRole.SUBJECT)):
        case = party.case
        have = set(db.session.scalars(sa.select(SubjectMatch.user_ref).where(SubjectMatch.case_id == case.id)))
        for ref in sorted(set(users) - have):
            match = subjects.new_match(case, survivor, users[ref], MatchStatus.PENDING, "merge")
            db.session.flush()
            audit.record("case.subject_match", actor, case, {"party": party.id, "match": match.id,
                                                             "status": MatchStatus.PENDING.value, "basis": "merge"})
            subjects.drop_from_case(case, users[ref], actor)


def merge_people(survivor: Person, duplicate: Person, actor: User) -> int:
    """Merge a duplicate into a person: its case parties and identifiers move; both stay in the trail by id."""
    if survivor.id == duplicate.id:
        raise ValidationError(_("Choose two different people."))
    if duplicate.merged_into_id is not None or survivor.merged_into_id is not None:
        raise ValidationError(_("One of these people was already merged."))
    if survivor.user_ref and duplicate.user_ref and survivor.user_ref != duplicate.user_ref:
        raise ValidationError(_("These two are linked to different staff accounts: they are not the same person."))
    moved = getattr(db.session.execute(sa.update(CaseParty).where(CaseParty.person_id == duplicate.id)
                                       .values(person_id=survivor.id)), "rowcount", 0) or 0
    db.session.execute(sa.update(CaseIdentifier).where(CaseIdentifier.person_id == duplicate.id)
                       .values(person_id=survivor.id))
    db.session.execute(sa.update(Person).where(Person.merged_into_id == duplicate.id)
                       .values(merged_into_id=survivor.id))
    if survivor.user_ref is None and duplicate.user_ref is not None:
        survivor.user_ref = duplicate.user_ref
    duplicate.merged_into_id = survivor.id  # kept (sealed): its name is still found and leads to the survivor
    db.session.flush()
    db.session.expire_all()
    survivor = db.session.get(Person, survivor.id)  # type: ignore[assignment]
    for case in _cases_of(survivor):
        audit.record("person.merge", actor, case, {"person": survivor.id, "merged": duplicate.id,
                                                   "parties_moved": int(moved)})
    _carry_exclusions(survivor, duplicate, actor)
    _rematch(survivor, actor)
    db.session.flush()
    return int(moved)


def _terms(kind: IdentifierKind, value: str) -> list[IdentifierTerm]:
    return [IdentifierTerm(key=k) for k in sorted(search_terms.identifier_keys(kind.value, value))]


def add_identifier(case: Case, actor: User, kind: IdentifierKind | str, value: str,
                   person_id: int | None = None) -> CaseIdentifier:
    """Record a plate, company, declaration number or phone on a case (sealed, searchable blind)."""
    kind = IdentifierKind(kind)
    value = " ".join((value or "").split())
    if not value:
        raise ValidationError(_("Give the value."))
    if len(value) > MAX_IDENTIFIER:
        raise ValidationError(ngettext("The value is longer than %(n)d character.",
                                       "The value is longer than %(n)d characters.", MAX_IDENTIFIER, n=MAX_IDENTIFIER))
    if not search_terms.identifier_keys(kind.value, value):
        raise ValidationError(_("The value has no letter or digit to search by."))
    if person_id is not None and db.session.scalar(sa.select(CaseParty.id).where(
            CaseParty.case_id == case.id, CaseParty.person_id == person_id).limit(1)) is None:
        raise ValidationError(_("Choose a person named on this case."))
    identifier = CaseIdentifier(case_id=case.id, kind=kind, value=value, person_id=person_id,
                                created_by_id=actor.id)
    db.session.add(identifier)
    db.session.flush()
    db.session.add_all([IdentifierTerm(identifier_id=identifier.id, key=t.key) for t in _terms(kind, value)])
    audit.record("identifier.add", actor, case, {"identifier": identifier.id, "kind": kind.value,
                                                 "person": person_id})
    db.session.flush()
    return identifier


def remove_identifier(case: Case, actor: User, identifier: CaseIdentifier) -> None:
    """Remove an identifier recorded on a case (and its search terms)."""
    if identifier.case_id != case.id:
        raise ValidationError(_("This identifier is not recorded on this case."))
    audit.record("identifier.remove", actor, case, {"identifier": identifier.id, "kind": identifier.kind.value})
    db.session.execute(sa.delete(IdentifierTerm).where(IdentifierTerm.identifier_id == identifier.id))
    db.session.delete(identifier)
    db.session.flush()
