"""The redaction preview: every passage that will be struck and why, and name-like words left in clear."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _

from caseflow.models import Case
from caseflow.reports.folding import fold, folded_with_map, is_common
from caseflow.reports.redaction import (
    MARK,
    Redactor,
    Term,
    identity_terms,
    party_terms,
    phrase_terms,
    reporter_identities,
)

CONTEXT = 45


@dataclass
class Passage:
    """One place of the report: where it is, the text around it as it will read, and why."""

    where: str
    context: str
    reason: str
    value: str = ""  # what is struck, shown only when it is not from the sealed identity


@dataclass
class Plan:
    """What redaction will do to one report: its redactor, the struck passages and the name-like words kept."""

    redactor: Redactor
    struck: list[Passage] = field(default_factory=list)
    unstruck: list[Passage] = field(default_factory=list)


def fingerprint(party_ids: Iterable[int], phrases: Iterable[str]) -> str:
    """Return a short digest of the redaction choices, so a report is issued only as it was previewed."""
    chosen = {"parties": sorted(set(party_ids)), "phrases": sorted({fold(p) for p in phrases if p.strip()})}
    return hashlib.sha256(json.dumps(chosen).encode()).hexdigest()[:24]


def build_terms(case: Case, party_ids: Iterable[int], phrases: Iterable[str]) -> tuple[list[Term], list[str]]:
    """Return every term to strike for this case and these choices, and the identity's unstruck name-like words."""
    terms: list[Term] = []
    unstruck: list[str] = []
    for identity in reporter_identities(case):
        found = identity_terms(identity)
        terms += found.terms
        unstruck += found.unstruck_names
    chosen = set(party_ids)
    for party in case.parties:
        if party.id in chosen and party.case_id == case.id:
            terms += party_terms(party)
    terms += phrase_terms(phrases)
    return terms, unstruck


def _strings(value: Any, where: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, where or str(k))
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _strings(v, where)


def _where(key: str) -> str:
    labels = {"title": _("Title"), "summary": _("Case summary"), "parties": _("Persons concerned"),
              "allegations": _("Allegations and findings"), "evidence": _("Evidence"), "interviews": _("Interviews"),
              "referrals": _("Referrals"), "timeline": _("Timeline"), "narrative": _("Report narrative"),
              "incident": _("Incident"), "location": _("Location"), "outcome": _("Outcome"), "team": _("Team"),
              "lead": _("Lead investigator")}
    return str(labels.get(key, key))


def _around(text: str, start: int, end: int) -> str:
    left = max(0, start - CONTEXT)
    right = min(len(text), end + CONTEXT)
    return ("…" if left else "") + text[left:right] + ("…" if right < len(text) else "")


def plan_redaction(case: Case, content: dict[str, Any], party_ids: Iterable[int], phrases: Iterable[str]) -> Plan:
    """Return the redaction plan of a report's content: what is struck where and why, and what is left."""
    terms, watch = build_terms(case, party_ids, phrases)
    redactor = Redactor(terms)
    plan = Plan(redactor)
    watch_re = re.compile(r"(?<![^\W\d_])(?:" + "|".join(re.escape(fold(w)) for w in watch) + r")(?![^\W\d_])") \
        if watch else None
    for key, text in _strings(content):
        spans = redactor.spans(text)
        out, last, marks = [], 0, []
        for start, end, term in spans:
            out.append(text[last:start])
            pos = sum(len(p) for p in out)
            out.append(MARK)
            marks.append((pos, term, text[start:end]))
            last = end
        redacted = "".join(out) + text[last:]
        for pos, term, original in marks:
            plan.struck.append(Passage(_where(key), _around(redacted, pos, pos + len(MARK)), term.reason,
                                       "" if term.secret else original))
        if watch_re is not None:
            folded, where = folded_with_map(redacted)
            for m in watch_re.finditer(folded):
                start, end = where[m.start()], where[m.end() - 1] + 1
                if is_common(m.group()) and not redacted[start:start + 1].isupper():
                    continue  # "they will": the word, not the name
                plan.unstruck.append(Passage(_where(key), _around(redacted, start, end),
                                             _("looks like a name from the reporter's sealed identity; NOT struck"),
                                             redacted[start:end]))
    return plan
