"""Early warning (as in IAPro's early intervention): subjects and offices with repeated complaints."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import ngettext
from sqlalchemy.orm import aliased

from caseflow import access
from caseflow.clock import utcnow
from caseflow.enums import Finding, PartyRole
from caseflow.extensions import db
from caseflow.models import Allegation, Case, CaseParty, Office, Person


@dataclass
class Flag:
    """A subject or office at or over a threshold."""

    key: str
    label: str
    detail: str
    cases: int
    sustained: int
    top_category: int
    reasons: list[str] = field(default_factory=list)


def subject_key() -> sa.ColumnElement[str]:
    """Return the SQL key that identifies a person across cases: staff account, else badge, else name (blind)."""
    return sa.case(
        (Person.user_ref.is_not(None), sa.literal("u") + Person.user_ref),
        (Person.badge_key.is_not(None), sa.literal("b") + Person.badge_key),
        else_=sa.literal("n") + sa.func.coalesce(Person.name_key, sa.cast(Person.id, sa.String)),
    )


def _people(user: Any) -> Any:
    """Return a subquery of (person_id, key, full_name, badge_number) of the people early warning may list to the
    user, so GROUP BY runs on a plain column."""
    return (sa.select(Person.id.label("person_id"), subject_key().label("key"), Person.full_name.label("name"),
                      Person.badge_number.label("badge"))
            .where(access.early_warning_person_clause(user, Person.user_ref)).subquery())


def _since() -> Any:
    return utcnow() - timedelta(days=current_app.config["CASEFLOW_EW_PERIOD_DAYS"])


def _subject_cases(user: Any) -> sa.Select[Any]:
    """Return (key, case_id, category_id) for every subject named on a case of the period the user may see."""
    people = _people(user)
    party = aliased(CaseParty)  # the access clause's own CaseParty subquery must not correlate with this one
    return (sa.select(people.c.key, Case.id.label("case_id"), Case.category_id.label("category_id"))
            .join(party, party.case_id == Case.id).join(people, party.person_id == people.c.person_id)
            .where(party.role == PartyRole.SUBJECT, Case.received_at >= _since(),
                   access.early_warning_cases_clause(user)).distinct())


def flagged_subjects(user: Any) -> list[Flag]:
    """Return the subjects over a threshold among the cases the user may see (never the user)."""
    cfg = current_app.config
    pairs = _subject_cases(user).subquery()
    per_case = sa.select(pairs.c.key, sa.func.count().label("n")).group_by(pairs.c.key).subquery()
    per_cat = (sa.select(pairs.c.key, pairs.c.category_id, sa.func.count().label("n"))
               .where(pairs.c.category_id.is_not(None)).group_by(pairs.c.key, pairs.c.category_id).subquery())
    top_cat = sa.select(per_cat.c.key, sa.func.max(per_cat.c.n).label("n")).group_by(per_cat.c.key).subquery()
    people = _people(user)
    party = aliased(CaseParty)
    sustained = (sa.select(people.c.key, sa.func.count().label("n"))
                 .select_from(Allegation).join(party, Allegation.subject_party_id == party.id)
                 .join(people, party.person_id == people.c.person_id).join(Case, Allegation.case_id == Case.id)
                 .where(Allegation.finding == Finding.SUSTAINED, Case.received_at >= _since(),
                        access.early_warning_cases_clause(user))
                 .group_by(people.c.key).subquery())
    names = (sa.select(people.c.key, sa.func.max(people.c.name).label("name"),
                       sa.func.max(people.c.badge).label("badge")).group_by(people.c.key).subquery())
    stmt = (sa.select(per_case.c.key, per_case.c.n, sa.func.coalesce(top_cat.c.n, 0),
                      sa.func.coalesce(sustained.c.n, 0), names.c.name, names.c.badge)
            .outerjoin(top_cat, top_cat.c.key == per_case.c.key)
            .outerjoin(sustained, sustained.c.key == per_case.c.key)
            .join(names, names.c.key == per_case.c.key)
            .where(sa.or_(per_case.c.n >= cfg["CASEFLOW_EW_SUBJECT_CASES"],
                          sa.func.coalesce(top_cat.c.n, 0) >= cfg["CASEFLOW_EW_SUBJECT_CATEGORY_CASES"],
                          sa.func.coalesce(sustained.c.n, 0) >= cfg["CASEFLOW_EW_SUBJECT_SUSTAINED"]))
            .order_by(per_case.c.n.desc()))
    flags = []
    for key, n, top, sus, name, badge in db.session.execute(stmt):
        flag = Flag(key, name, badge or "", int(n), int(sus), int(top))
        _reasons(flag, cfg["CASEFLOW_EW_SUBJECT_CASES"], cfg["CASEFLOW_EW_SUBJECT_CATEGORY_CASES"],
                 cfg["CASEFLOW_EW_SUBJECT_SUSTAINED"])
        flags.append(flag)
    flags.sort(key=lambda f: (-f.cases, f.label.casefold()))  # names are sealed: sorted once opened
    return flags


def _reasons(flag: Flag, cases: int, category: int | None, sustained: int) -> None:
    if flag.cases >= cases:
        flag.reasons.append(ngettext("%(n)d complaint (threshold %(t)d)",
                                     "%(n)d complaints (threshold %(t)d)", flag.cases,
                                       n=flag.cases, t=cases))
    if category is not None and flag.top_category >= category:
        flag.reasons.append(ngettext("%(n)d in one category (threshold %(t)d)",
                                     "%(n)d in one category (threshold %(t)d)",
                                       flag.top_category, n=flag.top_category, t=category))
    if flag.sustained >= sustained:
        flag.reasons.append(ngettext("%(n)d sustained finding (threshold %(t)d)",
                                     "%(n)d sustained findings (threshold %(t)d)",
                                       flag.sustained, n=flag.sustained, t=sustained))


def flagged_offices(user: Any) -> list[Flag]:
    """Return the offices over a threshold (cases received in the period, sustained findings) that the user may see."""
    cfg = current_app.config
    visible = access.early_warning_cases_clause(user)
    sustained = (sa.select(Case.office_id.label("office_id"), sa.func.count().label("n"))
                 .select_from(Allegation).join(Case, Allegation.case_id == Case.id)
                 .where(Allegation.finding == Finding.SUSTAINED, Case.received_at >= _since(), visible)
                 .group_by(Case.office_id).subquery())
    counts = (sa.select(Case.office_id.label("office_id"), sa.func.count().label("n"))
              .where(Case.received_at >= _since(), Case.office_id.is_not(None), visible)
              .group_by(Case.office_id).subquery())
    stmt = (sa.select(Office, counts.c.n, sa.func.coalesce(sustained.c.n, 0))
            .join(counts, counts.c.office_id == Office.id).outerjoin(sustained, sustained.c.office_id == Office.id)
            .where(sa.or_(counts.c.n >= cfg["CASEFLOW_EW_OFFICE_CASES"],
                          sa.func.coalesce(sustained.c.n, 0) >= cfg["CASEFLOW_EW_OFFICE_SUSTAINED"]))
            .order_by(counts.c.n.desc()))
    flags = []
    for office, n, sus in db.session.execute(stmt):
        flag = Flag(str(office.id), office.label, office.code, int(n), int(sus), 0)
        _reasons(flag, cfg["CASEFLOW_EW_OFFICE_CASES"], None, cfg["CASEFLOW_EW_OFFICE_SUSTAINED"])
        flags.append(flag)
    return flags


def subject_cases(user: Any, key: str) -> list[Case]:
    """Return the cases of the period naming this subject that the user may see, newest first."""
    pairs = _subject_cases(user).subquery()
    ids = sa.select(pairs.c.case_id).where(pairs.c.key == key).scalar_subquery()
    stmt = sa.select(Case).where(Case.id.in_(ids), access.visible_cases_clause(user))
    return list(db.session.scalars(stmt.order_by(Case.received_at.desc())))


def office_cases(user: Any, office_id: int) -> list[Case]:
    """Return the cases of the period from this office that the user may see, newest first."""
    stmt = sa.select(Case).where(Case.office_id == office_id, Case.received_at >= _since(),
                                 access.visible_cases_clause(user))
    return list(db.session.scalars(stmt.order_by(Case.received_at.desc())))
