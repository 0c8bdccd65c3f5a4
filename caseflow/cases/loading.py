"""Load the case a staff page is about, refusing one the user may not see (404 if none, 403 if hidden)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from caseflow import access
from caseflow.extensions import db
from caseflow.models import Case


def load_case(number: str) -> Case:
    """Return the case with this number if the current user may see it; 404 or 403 otherwise."""
    case = db.session.scalar(sa.select(Case).where(Case.number == number))
    if case is None:
        abort(404)
    access.require(access.can_view_case(current_user, case))
    return case
