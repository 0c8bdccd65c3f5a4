"""Sanctions: the investigator recommends, only the disciplinary authority decides; an edit never erases."""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa

from caseflow.enums import Sanction
from caseflow.extensions import db
from caseflow.models import AuditEvent
from tests.attacks.case_setup import investigation_case


def test_editing_a_finding_keeps_its_recommended_sanction(clock: Any, users: dict[str, Any], login_as: Any) -> None:
    case = investigation_case(users)
    allegation = case.allegations[0]
    client = login_as(users["investigator"])
    url = f"/cases/{case.number}/allegations/{allegation.id}/finding"
    page = client.get(url).get_data(as_text=True)
    assert '<option selected value="dismissal">' in page  # the form starts from what is stored
    # the investigator only rewrites the reasoning; a form that does not send the sanction keeps it
    r = client.post(url, data={"finding": "sustained", "reasoning": "He admitted it; the CCTV confirms it."})
    assert r.status_code == 302
    db.session.refresh(allegation)
    assert allegation.recommended_sanction == Sanction.DISMISSAL
    assert allegation.finding_reasoning.endswith("the CCTV confirms it.")
    detail = json.loads(db.session.scalar(sa.select(AuditEvent.detail).where(
        AuditEvent.action == "allegation.finding").order_by(AuditEvent.seq.desc()).limit(1)))
    assert "recommended_sanction" not in detail["changes"]


def test_the_finding_has_no_default(clock: Any, users: dict[str, Any], login_as: Any) -> None:
    case = investigation_case(users)
    allegation = case.allegations[0]
    allegation.finding = None
    db.session.commit()
    client = login_as(users["investigator"])
    url = f"/cases/{case.number}/allegations/{allegation.id}/finding"
    page = client.get(url).get_data(as_text=True)
    assert 'selected value="sustained"' not in page and "Choose a finding" in page
    r = client.post(url, data={"finding": "", "reasoning": "Nothing chosen"})
    assert r.status_code == 400
    db.session.refresh(allegation)
    assert allegation.finding is None


def test_an_investigator_cannot_decide_a_sanction(clock: Any, users: dict[str, Any], login_as: Any) -> None:
    case = investigation_case(users)
    allegation = case.allegations[0]
    client = login_as(users["investigator"])
    url = f"/cases/{case.number}/allegations/{allegation.id}/finding"
    assert 'name="decided_sanction"' not in client.get(url).get_data(as_text=True)
    r = client.post(url, data={"finding": "sustained", "reasoning": "He admitted it.",
                               "recommended_sanction": "dismissal", "decided_sanction": "dismissal",
                               "sanction_date": "2026-03-01", "sanction_reference": "DB-7"})
    assert r.status_code == 403
    assert "Only the disciplinary authority" in r.get_data(as_text=True)
    db.session.refresh(allegation)
    assert allegation.decided_sanction is None and allegation.sanction_date is None


def test_the_supervisor_decides_with_date_and_reference(clock: Any, users: dict[str, Any], login_as: Any) -> None:
    case = investigation_case(users)
    allegation = case.allegations[0]
    client = login_as(users["supervisor"])
    url = f"/cases/{case.number}/allegations/{allegation.id}/finding"
    base = {"finding": "sustained", "reasoning": "He admitted it in interview.", "recommended_sanction": "dismissal"}
    r = client.post(url, data={**base, "decided_sanction": "suspension", "sanction_date": "2026-03-01"})
    assert r.status_code == 409 and "reference" in r.get_data(as_text=True)
    r = client.post(url, data={**base, "decided_sanction": "suspension", "sanction_date": "2026-03-01",
                               "sanction_reference": "Disciplinary board 2026/14"})
    assert r.status_code == 302
    db.session.refresh(allegation)
    assert allegation.decided_sanction == Sanction.SUSPENSION
    assert allegation.recommended_sanction == Sanction.DISMISSAL  # the recommendation stays on record
    assert allegation.sanction_reference == "Disciplinary board 2026/14"
    assert allegation.sanction_decided_by_id == users["supervisor"].id
    page = client.get(url).get_data(as_text=True)
    assert 'value="Disciplinary board 2026/14"' in page and 'value="2026-03-01"' in page
    # the investigator's later edit of the finding leaves the decision alone
    login_as(users["investigator"])
    assert client.post(url, data={"finding": "sustained", "reasoning": "Edited."}).status_code == 302
    db.session.refresh(allegation)
    assert allegation.decided_sanction == Sanction.SUSPENSION


def test_the_disciplinary_authority_is_configurable(app: Any, clock: Any, users: dict[str, Any], login_as: Any,
                                                    monkeypatch: Any) -> None:
    monkeypatch.setitem(app.config, "CASEFLOW_DISCIPLINARY_ROLES", ())
    case = investigation_case(users)
    allegation = case.allegations[0]
    client = login_as(users["supervisor"])
    r = client.post(f"/cases/{case.number}/allegations/{allegation.id}/finding",
                    data={"finding": "sustained", "reasoning": "x", "decided_sanction": "suspension",
                          "sanction_date": "2026-03-01", "sanction_reference": "R-1"})
    assert r.status_code == 403


def test_the_decision_can_come_after_closure_without_reopening_the_finding(clock: Any, users: dict[str, Any],
                                                                           login_as: Any) -> None:
    from caseflow.enums import CaseState, Finding

    case = investigation_case(users)
    case.state = CaseState.CLOSED
    db.session.commit()
    allegation = case.allegations[0]
    client = login_as(users["supervisor"])
    url = f"/cases/{case.number}/allegations/{allegation.id}/finding"
    page = client.get(url).get_data(as_text=True)
    assert 'name="decided_sanction"' in page and '<select id="finding"' not in page
    r = client.post(url, data={"finding": "unfounded", "reasoning": "Changed after closure",
                               "decided_sanction": "written_reprimand", "sanction_date": "2026-03-01",
                               "sanction_reference": "DB-2026-3"})
    assert r.status_code == 302
    db.session.refresh(allegation)
    assert allegation.decided_sanction == Sanction.WRITTEN_REPRIMAND
    assert allegation.finding == Finding.SUSTAINED and allegation.finding_reasoning == "He admitted it in interview."
