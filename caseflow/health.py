"""/healthz: 200 when the database answers, 503 otherwise."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from caseflow import uow
from caseflow.extensions import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """Report whether the application can reach its database."""
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        uow.discard()
        return jsonify(status="unavailable", database=False), 503
    return jsonify(status="ok", database=True), 200
