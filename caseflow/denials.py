"""Denials leave a trace: one audit event per request that was denied (403) or refused an action."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Flask, g, has_request_context, request
from flask_login import current_user

from caseflow import audit, uow
from caseflow.extensions import db
from caseflow.models import Case

_REFUSAL = "cf_refusal"


def note_refusal(action: str, why: str, case: Case | None = None) -> None:
    """Remember that this request was refused an action (a transition, an assignment): it ends with one audit event."""
    if has_request_context() and g.get(_REFUSAL) is None:
        g.setdefault(_REFUSAL, {"action": action, "why": why, "case_id": case.id if case is not None else None})


def record_case_refusal(action: str, why: str, case: Case | None, actor: Any) -> None:
    """Audit one refusal inside a request that goes on (a bulk action refused for one case, done for others).

    The refusal an operation noted is consumed here, so the request is not rolled back as a refused one.
    """
    if has_request_context():
        g.pop(_REFUSAL, None)
    audit.record("access.refused", actor, case, {"route": request.endpoint if has_request_context() else None,
                                                 "refused": action, "why": str(why)[:300]})


def _denied_case_id() -> int | None:
    number = (request.view_args or {}).get("number")
    return db.session.scalar(sa.select(Case.id).where(Case.number == str(number))) if number else None


def audit_denial(response: Any) -> Any:
    """After a request: append ONE audit event if it was denied (403) or refused an action; never more."""
    refusal = g.pop(_REFUSAL, None)
    if (response.status_code != 403 and refusal is None) or request.endpoint in (None, "static"):
        return response
    uow.discard()  # nothing of a denied or refused request is kept, only the trace of the denial
    user = current_user._get_current_object() if current_user.is_authenticated else None
    why = (refusal or {}).get("why") or getattr(g, "cf_denial_reason", None) or "forbidden"
    detail = {"route": request.endpoint, "method": request.method, "path": request.path[:200],
              "status": response.status_code, "why": str(why)[:300]}
    if refusal:
        detail["refused"] = refusal["action"]
    case_id = (refusal or {}).get("case_id") or _denied_case_id()
    audit.record("access.refused" if refusal and response.status_code != 403 else "access.denied", user,
                 None, detail, case_id=case_id, actor_label=None if user else "anonymous")
    uow.keep()
    return response


def init_app(app: Flask) -> None:
    """Register the hook that audits denials (one event per denied request)."""
    app.after_request(audit_denial)
