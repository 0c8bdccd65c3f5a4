"""The evidence register: numbered items, SHA-256 of files, an append-only chain of custody, re-checks."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from caseflow import audit
from caseflow.clock import utcnow
from caseflow.errors import ValidationError
from caseflow.extensions import db
from caseflow.investigation import files
from caseflow.models import Case, CustodyEvent, EvidenceItem, User


def evidence_number(case: Case, seq: int) -> str:
    """Return an item's evidence number, e.g. IA-2026-00042-E03."""
    return f"{case.number}-E{seq:02d}"


def register_evidence(case: Case, actor: User, description: str, source: str, storage_location: str,
                      upload: tuple[str, bytes] | None = None, received_at: datetime | None = None) -> EvidenceItem:
    """Enter an item in the register; its first custody entry is from the source to the registering officer."""
    description, source = (description or "").strip(), (source or "").strip()
    storage_location = (storage_location or "").strip()
    if not description:
        raise ValidationError(_("Describe the item."))
    if not source:
        raise ValidationError(_("Say where the item came from."))
    if not storage_location and upload is None:
        raise ValidationError(_("Say where the item is kept."))
    received_at = received_at or utcnow()
    if received_at > utcnow():
        raise ValidationError(_("The item cannot be received in the future."))
    seq = (db.session.scalar(sa.select(sa.func.max(EvidenceItem.seq)).where(EvidenceItem.case_id == case.id))
           or 0) + 1
    item = EvidenceItem(case_id=case.id, seq=seq, number=evidence_number(case, seq), description=description,
                        source=source[:300], storage_location=storage_location[:300], registered_by_id=actor.id)
    if upload is not None:
        name, data = upload
        item.attachment_id, item.sha256, item.stored_sha256 = files.store_file(case, name, data, actor, "evidence")
        item.filename = files.clean_name(name)
        if not item.storage_location:
            item.storage_location = _("Encrypted file store")
    db.session.add(item)
    db.session.flush()
    db.session.add(CustodyEvent(evidence_id=item.id, from_holder=source[:200], to_holder=actor.full_name[:200],
                                occurred_at=received_at, reason=_("Received and registered"),
                                recorded_by_id=actor.id))
    detail = {"evidence": item.number, "sha256": item.sha256}
    if upload is not None:
        detail["name_uploaded"] = files.record_name(upload[0])
    audit.record("evidence.register", actor, case, detail)
    db.session.flush()
    return item


def hand_over(item: EvidenceItem, actor: User, to_holder: str, occurred_at: datetime | None, reason: str,
              storage_location: str | None = None) -> CustodyEvent:
    """Append a hand-over (from the current holder to another, when, why) to the item's chain of custody."""
    to_holder, reason = (to_holder or "").strip(), (reason or "").strip()
    if not to_holder:
        raise ValidationError(_("Say who receives the item."))
    if not reason:
        raise ValidationError(_("Say why the item is handed over."))
    if occurred_at is None:
        raise ValidationError(_("Give the date and time of the hand-over."))
    if occurred_at > utcnow():
        raise ValidationError(_("A hand-over cannot be recorded before it happens."))
    last = item.custody[-1] if item.custody else None
    if last is not None and occurred_at < last.occurred_at:
        raise ValidationError(_("The hand-over cannot predate the previous one (%(when)s).",
                                when=last.occurred_at.isoformat(sep=" ", timespec="minutes")))
    if last is not None and to_holder == last.to_holder:
        raise ValidationError(_("%(name)s already holds the item.", name=to_holder))
    event = CustodyEvent(evidence_id=item.id, from_holder=(last.to_holder if last else item.source)[:200],
                         to_holder=to_holder[:200], occurred_at=occurred_at, reason=reason,
                         recorded_by_id=actor.id)
    item.custody.append(event)
    if storage_location and storage_location.strip() != item.storage_location:
        item.storage_location = storage_location.strip()[:300]
    db.session.flush()
    audit.record("evidence.custody", actor, None, {"evidence": item.number, "from": event.from_holder,
                                                   "to": event.to_holder}, case_id=item.case_id)
    return event


def recheck_evidence(item: EvidenceItem, actor: User) -> bool:
    """Recompute the stored file's SHA-256 and compare it with the register; flag and audit a mismatch."""
    if item.attachment_id is None:
        raise ValidationError(_("This item has no file to check."))
    found = files.current_sha256(item.attachment_id)
    ok = found is not None and found == item.stored_sha256
    item.last_check_at = utcnow()
    item.last_check_ok = ok
    audit.record("evidence.check_ok" if ok else "evidence.hash_mismatch", actor, None,
                 {"evidence": item.number, "expected": item.stored_sha256, "found": found}, case_id=item.case_id)
    db.session.flush()
    return ok
