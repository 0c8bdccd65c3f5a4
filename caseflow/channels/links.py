"""Likely duplicates of a case and its links, for the triage view."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from difflib import SequenceMatcher
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from caseflow import access
from caseflow.enums import PartyRole
from caseflow.extensions import db
from caseflow.models import Case, CaseLink, CaseParty, Person

WINDOW_DAYS = 45
CANDIDATES = 300
WORD = re.compile(r"\w{4,}", re.UNICODE)


@dataclass
class Duplicate:
    """A case that may be the same complaint, with the reasons it was suggested."""

    case: Case
    score: int
    reasons: list[str]


def _subject_names(case_ids: list[int]) -> dict[int, dict[str, str]]:
    """Return each case's subjects as {blind index of the name: the name} (one query for all)."""
    rows = db.session.execute(sa.select(CaseParty.case_id, Person.name_key, Person.full_name)
                              .join(Person, CaseParty.person_id == Person.id)
                              .where(CaseParty.case_id.in_(case_ids), CaseParty.role == PartyRole.SUBJECT))
    out: dict[int, dict[str, str]] = {}
    for case_id, key, name in rows:
        if key:
            out.setdefault(case_id, {})[key] = name
    return out


def _words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(text or "")}


def _similar(a: Case, b: Case) -> bool:
    if SequenceMatcher(None, a.title.lower(), b.title.lower()).ratio() >= 0.7:
        return True
    wa, wb = _words(f"{a.title} {a.summary}"), _words(f"{b.title} {b.summary}")
    return bool(wa and wb) and len(wa & wb) / len(wa | wb) >= 0.4


def likely_duplicates(case: Case, user: Any, limit: int = 5) -> list[Duplicate]:
    """Return visible cases that look like the same complaint: same subject, same office and time, similar text."""
    names = _subject_names([case.id]).get(case.id, {})
    linked = set(db.session.scalars(sa.select(CaseLink.other_case_id).where(CaseLink.case_id == case.id))) | \
        set(db.session.scalars(sa.select(CaseLink.case_id).where(CaseLink.other_case_id == case.id)))
    # Two index walks (same subject name; received near the same time), then the newest visible of both.
    ids = set(db.session.scalars(
        sa.select(CaseParty.case_id).join(Person, CaseParty.person_id == Person.id)
        .where(Person.name_key.in_(list(names)), CaseParty.role == PartyRole.SUBJECT)
        .order_by(CaseParty.case_id.desc()).limit(CANDIDATES))) if names else set()
    ids |= set(db.session.scalars(
        sa.select(Case.id).where(Case.received_at.between(case.received_at - timedelta(days=WINDOW_DAYS),
                                                          case.received_at + timedelta(days=WINDOW_DAYS)))
        .order_by(Case.received_at.desc()).limit(CANDIDATES)))
    ids.discard(case.id)
    stmt = (sa.select(Case).where(Case.id.in_(ids), access.visible_cases_clause(user))
            .order_by(Case.received_at.desc()).limit(CANDIDATES))
    found: list[Duplicate] = []
    candidates = [other for other in db.session.scalars(stmt) if other.id not in linked]
    their_names = _subject_names([other.id for other in candidates]) if names else {}
    for other in candidates:
        reasons, score = [], 0
        common = set(names) & set(their_names.get(other.id, {}))
        if common:
            score += 3
            reasons.append(_("same person complained about: %(names)s",
                             names=", ".join(sorted(names[k] for k in common))))
        if case.office_id and other.office_id == case.office_id and \
                abs((other.received_at - case.received_at).days) <= WINDOW_DAYS:
            score += 2
            reasons.append(ngettext("same office within %(days)d day",
                                    "same office within %(days)d days", WINDOW_DAYS, days=WINDOW_DAYS))
        if _similar(case, other):
            score += 2
            reasons.append(_("similar title or summary"))
        if score >= 2:
            found.append(Duplicate(other, score, reasons))
    found.sort(key=lambda d: (-d.score, -d.case.id))
    return found[:limit]


def case_links(case: Case, user: Any) -> list[tuple[CaseLink, Case, str]]:
    """Return the links of a case from both sides as (link, the other case, how it reads from this case)."""
    out: list[tuple[CaseLink, Case, str]] = []
    stmt = sa.select(CaseLink).where(sa.or_(CaseLink.case_id == case.id, CaseLink.other_case_id == case.id))
    for link in db.session.scalars(stmt.order_by(CaseLink.id)):
        mine = link.case_id == case.id
        other = link.other_case if mine else link.case
        if not access.can_view_case(user, other):
            continue
        if link.kind.value == "duplicate_of":
            text = _("Duplicate of") if mine else _("Has a duplicate")
        else:
            text = _("Related to")
        out.append((link, other, text))
    return out
