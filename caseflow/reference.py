"""Default reference lists: complaint categories and offices an installation starts with."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from caseflow import audit
from caseflow.extensions import db
from caseflow.models import Category

DEFAULT_CATEGORIES = [
    ("bribery", _l("Bribery")),
    ("extortion", _l("Extortion")),
    ("abuse_of_authority", _l("Abuse of authority")),
    ("conflict_of_interest", _l("Conflict of interest")),
    ("fraud", _l("Fraud")),
    ("smuggling_collusion", _l("Smuggling collusion")),
    ("misconduct", _l("Misconduct")),
    ("service_complaint", _l("Service complaint")),
    ("other", _l("Other")),
]


ENGLISH_NAMES = {code: label._args[0] for code, label in DEFAULT_CATEGORIES}  # the msgids


def default_category_label(code: str, name: str) -> str:
    """Return the translated label of a default category unless an admin renamed it."""
    label = dict(DEFAULT_CATEGORIES).get(code)
    if label is not None and ENGLISH_NAMES.get(code) == name:
        return str(label)
    return name


def ensure_categories() -> int:
    """Create the default categories that are missing; return how many were added."""
    existing = set(db.session.scalars(sa.select(Category.code)))
    added = 0
    for code, _label in DEFAULT_CATEGORIES:
        if code not in existing:
            db.session.add(Category(code=code, name=ENGLISH_NAMES[code]))
            added += 1
    if added:
        audit.record("reference.categories_seed", None, detail={"added": added})
    db.session.flush()
    return added
