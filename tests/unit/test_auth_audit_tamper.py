"""Audit tampering beyond single columns: renumbering, the chain head, and appending forged events."""

from __future__ import annotations

import sqlalchemy as sa

from caseflow import audit
from caseflow.extensions import db
from caseflow.models import AuditEvent, AuditHead
from tests.factories import make_case


def _chain(n: int = 5) -> None:
    for i in range(n):
        make_case(title=f"Complaint {i}")


def test_renumbering_an_event_is_detected(users):
    _chain()
    db.session.execute(sa.update(AuditEvent).where(AuditEvent.seq == 3).values(seq=1000))
    db.session.commit()
    result = audit.verify_chain()
    assert not result.ok and result.broken_seq == 3


def test_moving_the_head_back_to_hide_deleted_events_is_detected(users):
    _chain()
    last = db.session.scalar(sa.select(sa.func.max(AuditEvent.seq)))
    db.session.execute(sa.update(AuditHead).values(seq=last + 2))
    db.session.commit()
    assert not audit.verify_chain().ok


def test_a_forged_event_with_a_wrong_link_is_detected(users):
    _chain()
    last = db.session.scalar(sa.select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1))
    forged_at = last.occurred_at
    digest = audit.event_hash("0" * 64, last.seq + 1, forged_at, None, "mallory", None, "case.delete", "{}")
    db.session.add(AuditEvent(seq=last.seq + 1, occurred_at=forged_at, actor_id=None, actor_label="mallory",
                              case_id=None, action="case.delete", detail="{}", prev_hash="0" * 64, hash=digest))
    db.session.execute(sa.update(AuditHead).values(seq=last.seq + 1, last_hash=digest))
    db.session.commit()
    result = audit.verify_chain()
    assert not result.ok and result.broken_seq == last.seq + 1
