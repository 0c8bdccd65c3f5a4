"""The audit chain: appended in the same transaction, verified, and every kind of tampering caught."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from caseflow import audit, workflow
from caseflow.enums import CaseState
from caseflow.extensions import db
from caseflow.models import AuditEvent
from tests.factories import make_case


@pytest.fixture
def chain(users):
    for i in range(4):
        case = make_case(title=f"Complaint {i}")
        workflow.transition_case(case, CaseState.TRIAGE, users["intake"])
    db.session.commit()
    return db.session.scalar(sa.select(sa.func.count(AuditEvent.id)))


def test_intact_chain_verifies(chain):
    result = audit.verify_chain()
    assert result.ok and result.count == chain


def test_cli_prints_count_and_exits_zero(chain, runner):
    out = runner.invoke(args=["caseflow", "audit-verify"])
    assert out.exit_code == 0 and f"{chain} events" in out.output


@pytest.mark.parametrize("column,value", [
    ("action", "case.tampered"), ("detail", '{"x":1}'), ("actor_label", "mallory"), ("actor_id", 999),
    ("case_id", 999), ("occurred_at", "2020-01-01 00:00:00"), ("prev_hash", "f" * 64), ("hash", "e" * 64),
])
def test_editing_any_column_is_detected(chain, runner, column, value):
    db.session.execute(sa.text(f"UPDATE audit_events SET {column} = :v WHERE seq = 3"), {"v": value})
    db.session.commit()
    result = audit.verify_chain()
    assert not result.ok and result.broken_seq in (3, 4)
    out = runner.invoke(args=["caseflow", "audit-verify"])
    assert out.exit_code != 0 and f"#{result.broken_seq}" in out.output


def test_deleting_a_row_is_detected(chain):
    db.session.execute(sa.text("DELETE FROM audit_events WHERE seq = 2"))
    db.session.commit()
    result = audit.verify_chain()
    assert not result.ok and result.broken_seq == 2


def test_deleting_the_last_row_is_detected(chain):
    db.session.execute(sa.text("DELETE FROM audit_events WHERE seq = :s"), {"s": chain})
    db.session.commit()
    result = audit.verify_chain()
    assert not result.ok and "removed" in result.message


def test_reordering_is_detected(chain):
    db.session.execute(sa.text("UPDATE audit_events SET seq = -1 WHERE seq = 2"))
    db.session.execute(sa.text("UPDATE audit_events SET seq = 2 WHERE seq = 3"))
    db.session.execute(sa.text("UPDATE audit_events SET seq = 3 WHERE seq = -1"))
    db.session.commit()
    assert not audit.verify_chain().ok


def test_event_is_rolled_back_with_its_operation(users):
    make_case()
    before = db.session.scalar(sa.select(sa.func.count(AuditEvent.id)))
    case = make_case(commit=False)
    assert case.id is not None
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) == before
    assert audit.verify_chain().ok
    make_case()
    assert audit.verify_chain().ok


def test_seeding_the_default_categories_is_audited_once():
    from caseflow.reference import ensure_categories
    assert ensure_categories() == 9
    assert ensure_categories() == 0
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "reference.categories_seed")).all()
    assert len(events) == 1 and '"added":9' in events[0].detail
    assert audit.verify_chain().ok
