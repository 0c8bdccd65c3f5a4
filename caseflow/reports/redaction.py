"""Redaction on the report's text before rendering: the chosen strings never reach the PDF."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from caseflow.enums import PartyRole
from caseflow.models import Case

MARK = "[REDACTED]"
MIN_TOKEN = 3


def reporter_terms(case: Case) -> list[str]:
    """Return the reporter's identity strings (sealed by intake), opened only to strike them out."""
    terms: list[str] = []
    try:
        from caseflow.crypto import open_text
        from caseflow.models.intake import ReportSubmission
    except ImportError:  # confidential intake not installed
        return terms
    from caseflow.extensions import db

    blobs = [p.sealed_identity for p in case.parties if p.role == PartyRole.REPORTER and p.sealed_identity]
    submission = db.session.query(ReportSubmission).filter_by(case_id=case.id).one_or_none()
    if submission is not None and submission.identity_blob:
        blobs.append(submission.identity_blob)
    for blob in blobs:
        try:
            text = open_text(case, blob)
        except Exception:  # noqa: BLE001,S112 - an unreadable blob has nothing to strike
            continue
        try:
            data = json.loads(text)
        except ValueError:
            data = text
        values = data.values() if isinstance(data, dict) else [data]
        terms.extend(str(v) for v in values if isinstance(v, str | int) and str(v).strip())
    terms.extend(p.person.full_name for p in case.parties if p.role == PartyRole.REPORTER and p.person)
    return terms


def expand(terms: Iterable[str]) -> list[str]:
    """Return the terms to strike: each full string, and each name part of three letters or more."""
    out: set[str] = set()
    for term in terms:
        term = " ".join(str(term).split())
        if not term:
            continue
        out.add(term)
        if "@" not in term:
            out.update(part for part in re.split(r"[\s,;]+", term) if len(part) >= MIN_TOKEN)
    return sorted(out, key=len, reverse=True)


class Redactor:
    """Replaces every chosen term, case-insensitively and on word boundaries, by [REDACTED]."""

    def __init__(self, terms: Iterable[str]) -> None:
        self.terms = expand(terms)
        parts = [re.escape(t).replace(r"\ ", r"\s+") for t in self.terms]
        self.pattern = re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE) if parts else None

    def text(self, value: Any) -> Any:
        """Return the value with every term replaced (non-strings are returned as they are)."""
        if self.pattern is None or not isinstance(value, str):
            return value
        return self.pattern.sub(MARK, value)

    def deep(self, value: Any) -> Any:
        """Return a copy of nested lists, tuples and dicts with every string redacted."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.deep(v) for v in value]
        if isinstance(value, tuple):
            return tuple(self.deep(v) for v in value)
        if isinstance(value, dict):
            return {k: self.deep(v) for k, v in value.items()}
        return value
