"""Staff-written text that names people is sealed at rest: notes, plans, interviews read back in clear."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from caseflow.cases.operations import add_note
from caseflow.extensions import db
from caseflow.investigation import operations as ops
from caseflow.models import Note
from tests.factories import make_case


def _raw(table: str, column: str, row_id: int) -> str:
    return db.session.execute(sa.text(f"SELECT {column} FROM {table} WHERE id = :id"),  # noqa: S608 - test constants
                              {"id": row_id}).scalar_one()


def test_notes_and_plans_are_sealed_in_the_database_and_read_in_clear(users: dict[str, Any]) -> None:
    case = make_case(title="Cash at the gate")
    note = add_note(case, users["supervisor"], "The reporter, Ana Lima, called again from Porto.")
    plan = ops.save_plan(case, users["supervisor"], "1. Interview Ana Lima.")
    db.session.commit()
    for table, row_id, secret in (("notes", note.id, "Ana Lima"), ("plan_versions", plan.id, "Ana Lima")):
        raw = _raw(table, "body", row_id)
        assert raw.startswith("s1:") and secret not in raw
    db.session.expire_all()
    assert db.session.get(Note, note.id).body == "The reporter, Ana Lima, called again from Porto."
