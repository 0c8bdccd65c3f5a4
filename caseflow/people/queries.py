"""Reading the person index: search by blind-indexed terms, and a person's history across the visible cases."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app

from caseflow import access, search_terms
from caseflow.clock import utcnow
from caseflow.dashboards.early_warning import subject_key
from caseflow.enums import Finding, PartyRole
from caseflow.extensions import db
from caseflow.models import (
    Allegation,
    Case,
    CaseIdentifier,
    CaseParty,
    IdentifierTerm,
    Person,
    PersonTerm,
)

LIMIT = 50
MAX_PEOPLE = 1_000  # a query matching more people than this is too vague: the most recently named are searched


def visible_case_ids(user: Any) -> sa.Select[Any]:
    """Return a SELECT of the ids of the cases the user may see, standing alone.

    Queries here join parties and people; the visibility clause's own EXISTS over parties and people must not
    correlate with those rows, so it runs in a subquery of its own.
    """
    return sa.select(Case.id).where(access.person_index_clause(user)).correlate(None)


@dataclass
class PersonHit:
    """A person found, with the visible cases naming them."""

    person: Person
    cases: list[Case]
    roles: set[str]


@dataclass
class IdentifierHit:
    """An identifier found on a visible case."""

    identifier: CaseIdentifier
    case: Case


@dataclass
class SearchResult:
    """What a search found among the cases the searcher may see."""

    query: str
    people: list[PersonHit] = field(default_factory=list)
    identifiers: list[IdentifierHit] = field(default_factory=list)
    truncated: bool = False  # more than MAX_PEOPLE people matched: only the most recently named were searched
    searched: int = MAX_PEOPLE


def _matching(term_table: Any, owner: Any, query: str) -> sa.Select[Any] | None:
    """Return a SELECT of the owner ids whose terms satisfy every term of the query, or the whole query as a code.

    The first term's keys are read in the index's order, each further term checked per owner by its primary
    key (key, owner), so a common first word costs a range of the index, not an intersection of two large sets.
    """
    parts: list[sa.Select[Any]] = []
    terms = search_terms.query_terms(query)
    if terms:
        first = sa.orm.aliased(term_table)
        found = sa.select(getattr(first, owner.key).label("owner")).where(first.key.in_(sorted(terms[0])))
        for keys in terms[1:]:
            other = sa.orm.aliased(term_table)
            found = found.where(sa.exists().where(getattr(other, owner.key) == getattr(first, owner.key),
                                                  other.key.in_(sorted(keys))))
        parts.append(found)
    whole = search_terms.query_whole(query)
    if whole and not (len(terms) == 1 and whole <= terms[0]):
        parts.append(sa.select(owner.label("owner")).where(term_table.key.in_(sorted(whole))))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else sa.union(*parts).subquery().select()


def _newest(found: sa.Select[Any], limit: int) -> list[int]:
    """Return up to `limit` ids of a matching SELECT, the most recently added first."""
    column = found.selected_columns[0]
    return list(db.session.scalars(found.order_by(column.desc()).limit(limit)))


def search(user: Any, query: str) -> SearchResult:
    """Return the people and identifiers matching a query, named only on cases the user may see."""
    query = " ".join((query or "").split())[:200]
    result = SearchResult(query)
    found = _matching(PersonTerm, PersonTerm.person_id, query)
    if found is not None:
        result.people = _people_hits(user, found, result)
    found_ids = _matching(IdentifierTerm, IdentifierTerm.identifier_id, query)
    if found_ids is not None:
        result.identifiers = [IdentifierHit(i, c) for i, c in db.session.execute(
            sa.select(CaseIdentifier, Case).join(Case, CaseIdentifier.case_id == Case.id)
            .where(CaseIdentifier.id.in_(found_ids), access.person_index_clause(user))
            .order_by(Case.received_at.desc()).limit(LIMIT)).all()]
    return result


def _people_hits(user: Any, found: sa.Select[Any], result: SearchResult) -> list[PersonHit]:
    """Return the people among these ids (a duplicate counts as its survivor) on the newest visible cases."""
    ids = _newest(found, MAX_PEOPLE + 1)  # the term index answers alone, fast
    if not ids:
        return []
    if len(ids) > MAX_PEOPLE:  # too vague to search every one: the most recently named are searched, and said so
        result.truncated, result.searched = True, MAX_PEOPLE
        ids = ids[:MAX_PEOPLE]
    merged = list(db.session.scalars(sa.select(Person.id).where(Person.merged_into_id.in_(ids))))
    matched = sorted(set(ids) | set(merged))
    named = sa.select(CaseParty.case_id).where(CaseParty.person_id.in_(matched),
                                               CaseParty.role != PartyRole.REPORTER).correlate(None)
    # The outer query reads cases only, so the visibility clause correlates on the case and nothing else.
    cases = list(db.session.scalars(sa.select(Case).where(Case.id.in_(named), access.person_index_clause(user))
                                    .order_by(Case.received_at.desc()).limit(LIMIT * 5)))
    if not cases:
        return []
    order = {c.id: i for i, c in enumerate(cases)}
    parties = db.session.execute(
        sa.select(CaseParty.case_id, CaseParty.role, Person).join(Person, CaseParty.person_id == Person.id)
        .where(CaseParty.case_id.in_(list(order)), CaseParty.person_id.in_(matched),
               CaseParty.role != PartyRole.REPORTER)).all()
    by_id = {c.id: c for c in cases}
    hits: dict[int, PersonHit] = {}
    for case_id, role, person in sorted(parties, key=lambda r: order[r[0]]):
        key = person.merged_into_id or person.id
        if key not in hits:
            if len(hits) >= LIMIT:
                continue
            hits[key] = PersonHit(person if key == person.id else db.session.get(Person, key),  # type: ignore[arg-type]
                                  [], set())
        hit = hits[key]
        if by_id[case_id] not in hit.cases:
            hit.cases.append(by_id[case_id])
        hit.roles.add(role.value)
    return list(hits.values())


def resolve(person: Person) -> Person:
    """Return the person a duplicate was merged into (itself if it was not)."""
    seen = 0
    while person.merged_into_id is not None and seen < 20:
        person = db.session.get(Person, person.merged_into_id)  # type: ignore[assignment]
        seen += 1
    return person


@dataclass
class PersonCase:
    """One visible case naming a person: their roles there, the allegations against them and the findings."""

    case: Case
    roles: list[str]
    allegations: list[Allegation]


@dataclass
class EarlyWarning:
    """What early warning counts for a person, over the cases the viewer may see, and why."""

    basis: str  # account, badge or name: how early warning tells this person from others
    period_days: int
    cases: int
    sustained: int
    thresholds: dict[str, int]


def _merged_ids(person: Person) -> list[int]:
    return list(db.session.scalars(sa.select(Person.id).where(
        sa.or_(Person.id == person.id, Person.merged_into_id == person.id))))


def person_cases(user: Any, person: Person) -> list[PersonCase]:
    """Return the visible cases naming a person (or a duplicate merged into them), newest first."""
    ids = _merged_ids(person)
    rows = db.session.execute(
        sa.select(CaseParty, Case).join(Case, CaseParty.case_id == Case.id)
        .where(CaseParty.person_id.in_(ids), CaseParty.role != PartyRole.REPORTER,
               Case.id.in_(visible_case_ids(user)))
        .order_by(Case.received_at.desc(), CaseParty.id)).all()
    out: dict[int, PersonCase] = {}
    for party, case in rows:
        entry = out.setdefault(case.id, PersonCase(case, [], []))
        entry.roles.append(party.role.value)
        entry.allegations.extend(db.session.scalars(sa.select(Allegation).where(
            Allegation.subject_party_id == party.id).order_by(Allegation.id)))
    return list(out.values())


def person_identifiers(user: Any, person: Person) -> list[IdentifierHit]:
    """Return the identifiers linked to a person on the visible cases."""
    return [IdentifierHit(i, c) for i, c in db.session.execute(
        sa.select(CaseIdentifier, Case).join(Case, CaseIdentifier.case_id == Case.id)
        .where(CaseIdentifier.person_id.in_(_merged_ids(person)), Case.id.in_(visible_case_ids(user)))
        .order_by(CaseIdentifier.id)).all()]


def early_warning(user: Any, person: Person) -> EarlyWarning:
    """Return what early warning counts for this person: visible cases naming them as subject in the period."""
    cfg = current_app.config
    since = utcnow() - timedelta(days=cfg["CASEFLOW_EW_PERIOD_DAYS"])
    key = db.session.scalar(sa.select(subject_key()).where(Person.id == person.id))
    same = sa.select(Person.id).where(subject_key() == key).correlate(None)
    subject = sa.and_(CaseParty.person_id.in_(same), CaseParty.role == PartyRole.SUBJECT)
    cases = db.session.scalar(sa.select(sa.func.count(sa.distinct(Case.id))).join(
        CaseParty, CaseParty.case_id == Case.id).where(subject, Case.received_at >= since,
                                                       Case.id.in_(visible_case_ids(user)))) or 0
    sustained = db.session.scalar(sa.select(sa.func.count(Allegation.id)).join(
        CaseParty, Allegation.subject_party_id == CaseParty.id).join(Case, Allegation.case_id == Case.id).where(
        subject, Allegation.finding == Finding.SUSTAINED, Case.received_at >= since,
        Case.id.in_(visible_case_ids(user)))) or 0
    basis = {"u": "account", "b": "badge"}.get(str(key)[:1], "name")
    return EarlyWarning(basis, cfg["CASEFLOW_EW_PERIOD_DAYS"], int(cases), int(sustained), {
        "cases": cfg["CASEFLOW_EW_SUBJECT_CASES"], "sustained": cfg["CASEFLOW_EW_SUBJECT_SUSTAINED"]})


def case_identifiers(case: Case) -> list[CaseIdentifier]:
    """Return the identifiers recorded on a case, in the order recorded."""
    return list(db.session.scalars(sa.select(CaseIdentifier).where(CaseIdentifier.case_id == case.id)
                                   .order_by(CaseIdentifier.id)))
