"""Default reference lists: complaint categories and offices an installation starts with."""

from __future__ import annotations

import sqlalchemy as sa

from caseflow import audit
from caseflow.categories import DEFAULT_CATEGORIES, ENGLISH_NAMES
from caseflow.extensions import db
from caseflow.models import Category


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
