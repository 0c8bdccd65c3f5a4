"""Adapter to engineer R's encrypted attachment store (caseflow.attachments), per the interface contract."""

from __future__ import annotations

import hashlib
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from caseflow.errors import ValidationError
from caseflow.extensions import db
from caseflow.models import Case, User


def _store_module() -> Any:
    try:
        from caseflow import attachments
    except ImportError as exc:  # the attachment store has not landed yet
        raise ValidationError(_("File storage is not available on this installation yet.")) from exc
    return attachments


def _attachment_model() -> Any:
    from caseflow import models

    return getattr(models, "Attachment", None)


def store_file(case: Case, filename: str, data: bytes, actor: User, source: str) -> tuple[int, str, str]:
    """Store a file byte for byte, encrypted for the case; return (attachment id, SHA-256 received, SHA-256 stored)."""
    if not data:
        raise ValidationError(_("The file is empty."))
    module = _store_module()
    attachment = module.store_attachment(case, filename, data, actor, source)
    stored = module.read_attachment(attachment)
    return attachment.id, hashlib.sha256(data).hexdigest(), hashlib.sha256(stored).hexdigest()


def clean_name(filename: str) -> str:
    """Return the file name staff see and download: cleaned as a reporter's is (no path, controls, RTL override)."""
    from caseflow.attachments import safe_filename

    return safe_filename(filename)[:255]


def record_name(filename: str) -> str:
    """Return the name as uploaded, escaped to printable ASCII for the audit record (never shown as a name)."""
    return filename.encode("unicode_escape").decode("ascii")[:300]


def load_attachment(attachment_id: int | None) -> Any:
    """Return the attachment row with this id, or None."""
    model = _attachment_model()
    if attachment_id is None or model is None:
        return None
    return db.session.get(model, attachment_id)


def attachments_by_id(ids: list[int | None]) -> dict[int, Any]:
    """Return the attachment rows with these ids (for the flags shown beside a register row), by id."""
    model = _attachment_model()
    wanted = {i for i in ids if i is not None}
    if model is None or not wanted:
        return {}
    return {a.id: a for a in db.session.scalars(sa.select(model).where(model.id.in_(wanted)))}


def current_sha256(attachment_id: int | None) -> str | None:
    """Return the SHA-256 of the file as it reads back now (None if it is gone or unreadable)."""
    attachment = load_attachment(attachment_id)
    if attachment is None:
        return None
    try:
        data = _store_module().read_attachment(attachment)
    except Exception:  # noqa: BLE001 - an unreadable file is a failed check, reported as such
        return None
    return hashlib.sha256(data).hexdigest()


def read_file(attachment_id: int | None) -> bytes | None:
    """Return the decrypted bytes of an attachment, or None if there is none."""
    attachment = load_attachment(attachment_id)
    if attachment is None:
        return None
    return _store_module().read_attachment(attachment)
