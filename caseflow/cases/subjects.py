"""People named in cases: sealed records with blind indexes, and their matching against staff accounts.

Every person named as a subject, on any channel, is compared with every staff account: the same badge number
is a sure match (the person is linked to the account and the user excluded at once); the same name, in any
order, accents, spacing or usual transliteration, or one of the user's known aliases, is a probable match that
excludes the user until a supervisor confirms or dismisses it with a reason. Nothing here reads a name in
clear from the database: candidates are found through the keyed blind indexes. Nor is a staff user id stored
beside a subject: people and matches hold the account's keyed blind reference, and a match also holds the id
sealed under the case key for the supervisors who decide it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _

from caseflow import audit, names, search_terms
from caseflow.casekeys import open_text, seal_text
from caseflow.clock import utcnow
from caseflow.crypto import DecryptionError, blind_index, blind_indexer, user_ref
from caseflow.enums import MatchStatus, PartyRole
from caseflow.errors import ValidationError
from caseflow.extensions import db
from caseflow.models import Case, CaseParty, Person, PersonSound, PersonTerm, SubjectMatch, User
from caseflow.models.people import BADGE_MAX, NAME_MAX, POSITION_MAX

EXCLUDING = (MatchStatus.LINKED, MatchStatus.PENDING, MatchStatus.CONFIRMED)


@dataclass(frozen=True)
class PersonIndex:
    """The blind indexes of one person's name and badge (matching keys and search terms)."""

    name_key: str | None
    badge_key: str | None
    sounds: frozenset[str]
    terms: frozenset[str] = frozenset()


@dataclass
class StaffIndex:
    """Every staff account's blind indexes, built once per operation that matches many people."""

    by_badge: dict[str, int] = field(default_factory=dict)
    by_ref: dict[str, int] = field(default_factory=dict)  # blind reference -> user id
    by_sounds: list[tuple[int, str, frozenset[str]]] = field(default_factory=list)  # (user id, basis, keys)


def index_person(full_name: str, badge_number: str | None) -> PersonIndex:
    """Return the blind indexes of a name and badge (HMAC under a KEK-derived key of the normalised forms)."""
    exact = names.exact_form(full_name)
    badge = names.badge_form(badge_number)
    return PersonIndex(name_key=blind_index("name", exact) if exact else None,
                       badge_key=blind_index("badge", badge) if badge else None,
                       sounds=frozenset(map(blind_indexer("sound"), names.sound_forms(full_name))),
                       terms=frozenset(search_terms.person_keys(full_name, badge_number)))


def new_person(full_name: str, badge_number: str | None = None, position: str | None = None,
               office_id: int | None = None, user_id: int | None = None,
               linked_ref: str | None = None) -> Person:
    """Return a new person (sealed fields and blind indexes set), linked to a staff account if one is given."""
    person = Person(office_id=office_id, user_ref=user_ref(user_id) if user_id else linked_ref)
    set_person_identity(person, full_name, badge_number, position)
    db.session.add(person)
    return person


def set_person_identity(person: Person, full_name: str, badge_number: str | None, position: str | None) -> None:
    """Set a person's name, badge and position, and rebuild their blind indexes and search terms."""
    index = index_person(full_name, badge_number)
    person.full_name = " ".join(full_name.split())[:NAME_MAX]
    person.badge_number = (badge_number or "").strip()[:BADGE_MAX] or None
    person.position = (position or "").strip()[:POSITION_MAX] or None
    person.name_key, person.badge_key = index.name_key, index.badge_key
    person.sounds = [PersonSound(key=key) for key in sorted(index.sounds)]
    person.terms = [PersonTerm(key=key) for key in sorted(index.terms)]


def _user_forms(user: User) -> list[tuple[str, frozenset[str]]]:
    """Return (basis, sound keys) for a user's name and each of their aliases."""
    forms = [("name", user.full_name)] + [("alias", a) for a in (user.aliases or "").splitlines() if a.strip()]
    out = []
    for basis, text in forms:
        keys = frozenset(blind_index("sound", s) for s in names.sound_forms(text))
        if keys:
            out.append((basis, keys))
    return out


def build_staff_index() -> StaffIndex:
    """Return the blind indexes of every staff account (active or not: a suspended officer is still one)."""
    index = StaffIndex()
    for user in db.session.scalars(sa.select(User)):
        index.by_ref[user_ref(user.id)] = user.id
        badge = names.badge_form(user.badge_number)
        if badge:
            index.by_badge[blind_index("badge", badge)] = user.id
        index.by_sounds.extend((user.id, basis, keys) for basis, keys in _user_forms(user))
    return index


def _hits(badge_key: str | None, sounds: set[str], staff: StaffIndex) -> dict[int, tuple[MatchStatus, str]]:
    """Return the staff accounts these indexes match, each with its status and basis."""
    found: dict[int, tuple[MatchStatus, str]] = {}
    if badge_key and badge_key in staff.by_badge:
        found[staff.by_badge[badge_key]] = (MatchStatus.LINKED, "badge")
    for user_id, basis, keys in staff.by_sounds:
        if user_id not in found and names.names_match(sounds, set(keys)):
            found[user_id] = (MatchStatus.PENDING, basis)
    return found


def index_matches(index: PersonIndex, staff: StaffIndex) -> bool:
    """Return whether a person's indexes match any staff account."""
    return bool(_hits(index.badge_key, set(index.sounds), staff))


def _candidates(person: Person, staff: StaffIndex) -> dict[int, tuple[MatchStatus, str]]:
    """Return the staff accounts a person matches, each with its status and basis."""
    found = _hits(person.badge_key, {s.key for s in person.sounds}, staff)
    if person.user_ref is not None and person.user_ref in staff.by_ref:
        found[staff.by_ref[person.user_ref]] = (MatchStatus.LINKED, "link")
    return found


def new_match(case: Case, person: Person, user_id: int, status: MatchStatus, basis: str) -> SubjectMatch:
    """Return a new match of a case's subject to a staff account (blind reference, id sealed), added."""
    match = SubjectMatch(case_id=case.id, person_id=person.id, user_ref=user_ref(user_id),
                         sealed_user=seal_text(case, str(user_id)), status=status, basis=basis)
    db.session.add(match)
    return match


def matched_user_id(match: SubjectMatch, case: Case | None = None) -> int | None:
    """Return the id of the staff account a match names (opened with the case key), None if it does not open."""
    case = case if case is not None else db.session.get(Case, match.case_id)
    try:
        return int(open_text(case, match.sealed_user)) if case is not None else None
    except (DecryptionError, ValueError):
        return None


def users_by_ref(refs: set[str]) -> dict[str, int]:
    """Return the staff accounts whose blind references are among these, as reference -> user id."""
    if not refs:
        return {}
    found = {}
    for user_id in db.session.scalars(sa.select(User.id)):
        ref = user_ref(user_id)
        if ref in refs:
            found[ref] = user_id
    return found


def _record_match(case: Case, party: CaseParty, match: SubjectMatch, actor: User | None) -> None:
    """Audit a new match; the trail names the match, not the account (that stays sealed in the match)."""
    db.session.flush()
    audit.record("case.subject_match", actor, case, {"party": party.id, "match": match.id,
                                                     "status": match.status.value, "basis": match.basis})


def match_subject(case: Case, party: CaseParty, actor: User | None, staff: StaffIndex | None = None) -> None:
    """Compare a case's subject with staff; record matches, link a sure one, take matched users off the case."""
    if party.role != PartyRole.SUBJECT or party.person is None:
        return
    person = party.person
    db.session.flush()
    staff = staff if staff is not None else build_staff_index()
    existing = set(db.session.scalars(sa.select(SubjectMatch.user_ref).where(
        SubjectMatch.person_id == person.id, SubjectMatch.case_id == case.id)))
    for user_id, (status, basis) in _candidates(person, staff).items():
        if user_ref(user_id) in existing:
            continue  # a supervisor's decision, or an earlier match, stands
        if status == MatchStatus.LINKED and person.user_ref is None:
            person.user_ref = user_ref(user_id)
        _record_match(case, party, new_match(case, person, user_id, status, basis), actor)
        drop_from_case(case, user_id, actor)


def match_case_subjects(case: Case, actor: User | None, staff: StaffIndex | None = None) -> None:
    """Match every subject of a case against staff."""
    staff = staff if staff is not None else build_staff_index()
    for party in list(case.parties):
        match_subject(case, party, actor, staff)


def rematch_user(user: User, actor: User | None) -> int:
    """Match a staff account (new, or whose name, badge or aliases changed) against every subject; return hits."""
    db.session.flush()
    staff = StaffIndex(by_ref={user_ref(user.id): user.id})
    badge = names.badge_form(user.badge_number)
    if badge:
        staff.by_badge[blind_index("badge", badge)] = user.id
    staff.by_sounds = [(user.id, basis, keys) for basis, keys in _user_forms(user)]
    ref = user_ref(user.id)
    conditions = [Person.user_ref == ref]
    if staff.by_badge:
        conditions.append(Person.badge_key.in_(list(staff.by_badge)))
    all_keys = sorted({k for _u, _b, keys in staff.by_sounds for k in keys})
    if all_keys:
        conditions.append(Person.id.in_(sa.select(PersonSound.person_id).where(PersonSound.key.in_(all_keys))))
    parties = db.session.scalars(sa.select(CaseParty).join(Person, CaseParty.person_id == Person.id).where(
        CaseParty.role == PartyRole.SUBJECT, sa.or_(*conditions)))
    before = db.session.scalar(sa.select(sa.func.count(SubjectMatch.id)).where(SubjectMatch.user_ref == ref))
    for party in list(parties):
        match_subject(party.case, party, actor, staff)
    after = db.session.scalar(sa.select(sa.func.count(SubjectMatch.id)).where(SubjectMatch.user_ref == ref))
    return int(after or 0) - int(before or 0)


def drop_from_case(case: Case, user_id: int, actor: User | None) -> None:
    """Take a staff member matched to a subject off the case's lead and team at once.

    The trail says "excluded", as for any bar from the case, not that the colleague is named in it.
    """
    if case.lead_investigator_id == user_id:
        case.lead_investigator_id = None
        case.lead_investigator = None
        audit.record("case.assign_lead", actor, case, {"lead": None, "why": "excluded"})
    for member in [m for m in case.team if m.user_id == user_id]:
        case.team.remove(member)
        audit.record("case.team_remove", actor, case, {"user_id": user_id, "why": "excluded"})


def decide_match(match: SubjectMatch, actor: User, confirm: bool, reason: str) -> None:
    """Confirm or dismiss a probable match, with a reason (a dismissed match no longer excludes the user)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for your decision."))
    if match.status != MatchStatus.PENDING:
        raise ValidationError(_("This match was already decided."))
    if match.user_ref == user_ref(actor.id):
        raise ValidationError(_("You cannot decide a match that names you."))
    match.status = MatchStatus.CONFIRMED if confirm else MatchStatus.DISMISSED
    match.reason, match.decided_by_id, match.decided_at = reason[:2000], actor.id, utcnow()
    if confirm and match.person.user_ref is None:
        match.person.user_ref = match.user_ref
    case = db.session.get(Case, match.case_id)
    audit.record("case.subject_match_decide", actor, case, {"match": match.id, "status": match.status.value,
                                                            "reason": reason})
    db.session.flush()


@dataclass(frozen=True)
class MatchRow:
    """A subject match as the deciding supervisor sees it: the match and the staff account it names."""

    match: SubjectMatch
    user_id: int | None
    user: User | None


def case_matches(case: Case) -> list[MatchRow]:
    """Return the case's subject matches, undecided first, each with the staff account it names."""
    matches = db.session.scalars(sa.select(SubjectMatch).where(SubjectMatch.case_id == case.id).order_by(
        (SubjectMatch.status != MatchStatus.PENDING), SubjectMatch.id))
    rows = []
    for match in matches:
        user_id = matched_user_id(match, case)
        rows.append(MatchRow(match, user_id, db.session.get(User, user_id) if user_id is not None else None))
    return rows


def index_unindexed_people(batch: int = 1000) -> int:
    """Compute the blind indexes of people stored before they existed, then match them; return how many."""
    done = 0
    staff = build_staff_index()
    while True:
        people = list(db.session.scalars(sa.select(Person).where(
            Person.name_key.is_(None), Person.full_name.is_not(None)).order_by(Person.id).limit(batch)))
        people = [p for p in people if p.full_name]
        if not people:
            return done + index_unsearchable_people(batch)
        for person in people:
            set_person_identity(person, person.full_name, person.badge_number, person.position)
            person.name_key = person.name_key or blind_index("name", f"#{person.id}")  # nameless: never again
        db.session.flush()
        for party in db.session.scalars(sa.select(CaseParty).where(
                CaseParty.person_id.in_([p.id for p in people]))):
            match_subject(party.case, party, None, staff)
        done += len(people)


def index_unsearchable_people(batch: int = 1000) -> int:
    """Compute the search terms of people stored before the person index existed; return how many."""
    done, after = 0, 0
    has_terms = sa.exists().where(PersonTerm.person_id == Person.id)
    while True:
        people = list(db.session.scalars(sa.select(Person).where(Person.id > after, ~has_terms)
                                         .order_by(Person.id).limit(batch)))
        if not people:
            return done
        for person in people:
            person.terms = [PersonTerm(key=k) for k in sorted(search_terms.person_keys(
                person.full_name or "", person.badge_number))]
        after = people[-1].id
        db.session.flush()
        done += len(people)
