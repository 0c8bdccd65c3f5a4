"""The investigation report shows the answers a case was reported with; the redacted version strikes the names."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from caseflow.enums import CaseState, PartyRole
from caseflow.extensions import db
from caseflow.models import AuditEvent, Case, ConflictDeclaration
from tests.questionnaire_support import customs_to_last_step, install_customs, q, step
from tests.web.test_reports import _issue, _text


def _reported_case(portal_client: Any, users: dict[str, Any]) -> Case:
    install_customs()
    person = q("Person involved")
    last = customs_to_last_step(portal_client, step2={q("Declaration or consignment reference"): "DEC-2026-7781"},
                                step3={f"{person}-name": "Karim Benali", f"{person}-badge": "C-5521"})
    assert step(portal_client, last, action="send").status_code == 200
    case = db.session.scalar(sa.select(Case))
    case.state = CaseState.REPORTING
    case.lead_investigator_id = users["investigator"].id
    for who in ("investigator", "supervisor"):
        db.session.add(ConflictDeclaration(case_id=case.id, user_id=users[who].id, has_conflict=False))
    db.session.commit()
    return case


def test_full_report_lists_the_answers(portal_client: Any, users: dict[str, Any], login_as: Any) -> None:
    case = _reported_case(portal_client, users)
    text = _text(_issue(login_as(users["supervisor"]), case, variant="full")).replace("\n", " ")
    for expected in ("Answers to", "Report to the customs integrity unit", "What kind of wrongdoing?",
                     "A payment or gift was demanded or offered", "DEC-2026-7781", "Karim Benali"):
        assert expected in text, expected


def test_redacted_report_strikes_a_person_named_in_the_answers(portal_client: Any, users: dict[str, Any],
                                                               login_as: Any) -> None:
    case = _reported_case(portal_client, users)
    subject = next(p for p in case.parties if p.role == PartyRole.SUBJECT)
    text = _text(_issue(login_as(users["supervisor"]), case, variant="redacted", parties=[subject.id]))
    assert "DEC-2026-7781" in text.replace("\n", " ")
    assert "Benali" not in text and "C-5521" not in text


def test_staff_read_the_answers_in_their_own_language(portal_client: Any, users: dict[str, Any],
                                                      login_as: Any) -> None:
    case = _reported_case(portal_client, users)
    client = login_as(users["supervisor"])
    page = client.get(f"/cases/{case.number}/reporter?lang=fr").text
    for expected in ("Signalement à l'unité d'intégrité des douanes", "De quel type de manquement s'agit-il ?",
                     "Un paiement ou un cadeau a été exigé ou proposé", "Référence de la déclaration ou de l'envoi",
                     "DEC-2026-7781", "Karim Benali · C-5521"):
        assert expected in page.replace("&#39;", "'"), expected
    reads = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.case_id == case.id)).all()
    assert "questionnaire.answers_view" in reads and "questionnaire.answers_store" in reads


def test_retention_purge_deletes_the_answers_with_the_confidential_store(portal_client: Any, users: dict[str, Any],
                                                                         clock: Any, app: Any) -> None:
    from caseflow import workflow
    from caseflow.investigation.purge import run_purge
    from caseflow.models.questionnaires import CaseAnswers

    install_customs()
    last = customs_to_last_step(portal_client)
    assert step(portal_client, last, action="send").status_code == 200
    case = db.session.scalar(sa.select(Case))
    workflow.transition_case(case, CaseState.TRIAGE, users["intake"])
    workflow.transition_case(case, CaseState.DISMISSED, users["supervisor"], reason="Not substantiated")
    db.session.commit()
    clock.advance(days=app.config["CASEFLOW_RETENTION_DAYS"]["dismissed"] + 1)
    run_purge()
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(CaseAnswers.id))) == 0
