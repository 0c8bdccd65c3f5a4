"""Validation of API request bodies and the JSON form of a case (the OpenAPI document describes the same)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from caseflow import access
from caseflow.api.errors import ApiError
from caseflow.enums import Priority
from caseflow.errors import ValidationError
from caseflow.extensions import db
from caseflow.models import ApiToken, Case, Category, Office
from caseflow.units.operations import check_unit_accepts, default_unit, unit_by_key

CREATE_FIELDS = {"title", "description", "category", "office", "priority", "incident_date", "location",
                 "anonymous", "reporter", "subjects", "source_reference", "issue_receipt", "unit"}
REPORTER_FIELDS = {"name": 200, "email": 320, "phone": 60}
SUBJECT_FIELDS = {"full_name": 200, "badge_number": 40, "position": 120}
MAX_SUBJECTS = 20


def _text(data: dict[str, Any], key: str, limit: int, errors: dict[str, str], required: bool = False,
          prefix: str = "") -> str | None:
    value = data.get(key)
    if value is None:
        if required:
            errors[prefix + key] = _("This field is required.")
        return None
    if not isinstance(value, str):
        errors[prefix + key] = _("Must be a string.")
        return None
    value = value.strip()
    if required and not value:
        errors[prefix + key] = _("Must not be empty.")
    elif len(value) > limit:
        errors[prefix + key] = ngettext("At most %(n)d character.", "At most %(n)d characters.", limit, n=limit)
    return value or None


def _bool(data: dict[str, Any], key: str, errors: dict[str, str]) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        errors[key] = _("Must be true or false.")
        return False
    return value


def _code(model: Any, code: str | None, key: str, errors: dict[str, str]) -> int | None:
    if not code:
        return None
    found = db.session.scalar(sa.select(model.id).where(model.code == code, model.active.is_(True)))
    if found is None:
        errors[key] = _("Unknown code %(code)s.", code=code)
    return found


def parse_create(data: dict[str, Any], token: ApiToken | None = None) -> dict[str, Any]:
    """Validate a create-complaint body; return receive() keywords or raise a 422 ApiError naming each field."""
    errors: dict[str, str] = {}
    for key in sorted(set(data) - CREATE_FIELDS):
        errors[key] = _("Unknown field.")
    out: dict[str, Any] = {
        "title": _text(data, "title", 200, errors, required=True),
        "content": _text(data, "description", 20000, errors, required=True),
        "incident_date": _text(data, "incident_date", 80, errors),
        "location_detail": _text(data, "location", 200, errors),
        "source_reference": _text(data, "source_reference", 120, errors),
        "is_anonymous": _bool(data, "anonymous", errors),
        "issue_receipt": _bool(data, "issue_receipt", errors),
    }
    out["category_id"] = _code(Category, _text(data, "category", 40, errors), "category", errors)
    out["office_id"] = _code(Office, _text(data, "office", 40, errors), "office", errors)
    priority = _text(data, "priority", 16, errors)
    try:
        out["priority"] = Priority(priority) if priority else Priority.MEDIUM
    except ValueError:
        errors["priority"] = _("One of: %(values)s.", values=", ".join(p.value for p in Priority))
    reporter = data.get("reporter")
    out["reporter"] = {}
    if reporter is not None:
        if not isinstance(reporter, dict):
            errors["reporter"] = _("Must be an object.")
        else:
            for key in sorted(set(reporter) - set(REPORTER_FIELDS)):
                errors[f"reporter.{key}"] = _("Unknown field.")
            out["reporter"] = {k: _text(reporter, k, n, errors, prefix="reporter.") for k, n in REPORTER_FIELDS.items()}
            email = out["reporter"].get("email")
            if email and ("@" not in email or any(c.isspace() for c in email)):
                errors["reporter.email"] = _("Not an e-mail address.")
    unit_key = _text(data, "unit", 40, errors)
    walls = list(token.units) if token is not None else []
    try:
        out["unit"] = unit_by_key(unit_key) if unit_key else walls[0] if len(walls) == 1 else default_unit()
        check_unit_accepts(out["unit"], out["is_anonymous"])
        if token is not None and not access.token_may_file_in(token, out["unit"]):
            raise ValidationError(_("This integration may file complaints only in: %(units)s.",
                                    units=", ".join(u.key for u in walls)))
    except ValidationError as exc:
        errors["unit"] = exc.message
    if out["is_anonymous"] and any(out["reporter"].values()):
        errors["anonymous"] = _("An anonymous complaint cannot name its reporter.")
    subjects = data.get("subjects")
    out["subjects"] = []
    if subjects is not None:
        if not isinstance(subjects, list) or len(subjects) > MAX_SUBJECTS:
            errors["subjects"] = ngettext("Must be a list of at most %(n)d person.",
                                          "Must be a list of at most %(n)d people.", MAX_SUBJECTS, n=MAX_SUBJECTS)
        else:
            for i, item in enumerate(subjects):
                if not isinstance(item, dict):
                    errors[f"subjects[{i}]"] = _("Must be an object.")
                    continue
                for key in sorted(set(item) - set(SUBJECT_FIELDS)):
                    errors[f"subjects[{i}].{key}"] = _("Unknown field.")
                person = {k: _text(item, k, n, errors, required=(k == "full_name"), prefix=f"subjects[{i}].")
                          for k, n in SUBJECT_FIELDS.items()}
                out["subjects"].append(person)
    if errors:
        raise ApiError(422, "validation_failed", _("Some fields are invalid."), errors)
    return out


def parse_note(data: dict[str, Any]) -> str:
    """Validate an add-note body and return the note text."""
    errors: dict[str, str] = {}
    for key in sorted(set(data) - {"body"}):
        errors[key] = _("Unknown field.")
    body = _text(data, "body", 20000, errors, required=True)
    if errors:
        raise ApiError(422, "validation_failed", _("Some fields are invalid."), errors)
    return body or ""


def _iso(value: Any) -> str | None:
    return value.isoformat(timespec="seconds") + "Z" if value is not None else None


def case_json(case: Case) -> dict[str, Any]:
    """Return the API form of a case (no complaint text, no reporter identity)."""
    return {
        "number": case.number, "title": case.title, "state": case.state.value, "channel": case.channel.value,
        "priority": case.priority.value, "category": case.category.code if case.category else None,
        "office": case.office.code if case.office else None, "received_at": _iso(case.received_at),
        "acknowledged_at": _iso(case.acknowledged_at), "closed_at": _iso(case.closed_at),
        "incident_date": case.incident_date, "is_anonymous": bool(case.is_anonymous),
        "source_reference": case.source_reference, "unit": case.unit.key if case.unit else None,
    }
