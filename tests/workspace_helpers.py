"""Helpers for the investigation workspace tests: cases at each stage and a stand-in file store."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from caseflow import workflow
from caseflow.cases import operations as case_ops
from caseflow.enums import CaseState
from caseflow.extensions import db
from caseflow.investigation import files
from caseflow.investigation import operations as ops
from tests.factories import category, make_case, subject_party


def triage_case(users: dict[str, Any], **kw: Any) -> Any:
    """Return a case in triage with a subject."""
    case = make_case(subject=kw.pop("subject", "Marc Dubois"), **kw)
    workflow.transition_case(case, CaseState.TRIAGE, users["intake"])
    db.session.commit()
    return case


def investigation_case(users: dict[str, Any], declared: bool = True, **kw: Any) -> Any:
    """Return a case in investigation led by users['investigator'], with one allegation."""
    case = triage_case(users, category_id=category().id, **kw)
    case_ops.assign_lead_investigator(case, users["investigator"], users["supervisor"])
    case_ops.add_allegation(case, users["supervisor"], subject_party(case), "Asked for a bribe")
    workflow.transition_case(case, CaseState.INVESTIGATION, users["supervisor"])
    if declared:
        ops.declare_conflict(case, users["investigator"], False)
    db.session.commit()
    return case


@dataclass
class FakeAttachment:
    """An attachment row of the stand-in store."""

    id: int
    filename: str


class FakeStore:
    """Stands in for caseflow.attachments (store_attachment/read_attachment) with the contract's shape."""

    def __init__(self) -> None:
        self.blobs: dict[int, bytes] = {}
        self.rows: dict[int, FakeAttachment] = {}

    def store_attachment(self, case: Any, filename: str, data: bytes, actor: Any, source: str,
                         message: Any = None) -> FakeAttachment:
        """Keep the bytes in memory."""
        row = FakeAttachment(len(self.rows) + 1, filename)
        self.rows[row.id], self.blobs[row.id] = row, data
        return row

    def read_attachment(self, attachment: FakeAttachment) -> bytes:
        """Return the bytes kept."""
        return self.blobs[attachment.id]


@pytest.fixture
def fake_store(monkeypatch: pytest.MonkeyPatch) -> FakeStore:
    """Route the workspace's file adapter to an in-memory store."""
    store = FakeStore()
    monkeypatch.setattr(files, "_store_module", lambda: store)
    monkeypatch.setattr(files, "load_attachment", lambda attachment_id: store.rows.get(attachment_id))
    return store
