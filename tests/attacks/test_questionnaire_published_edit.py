"""Attacks on a published questionnaire: an administrator's crafted POSTs try to change it in place.

A case records the version it was answered with, so a published version changed afterwards would make old
answers say something else. Every builder operation refuses (409) and the version stays as it was.
"""

from __future__ import annotations

import sqlalchemy as sa

from caseflow.extensions import db
from caseflow.models.questionnaires import Question, Questionnaire, QuestionnaireStep
from tests.conftest import csrf_token, login
from tests.questionnaire_support import install_customs, question


def _customs() -> Questionnaire:
    return db.session.scalar(sa.select(Questionnaire).where(Questionnaire.key == "customs"))


def _token(client) -> str:
    return csrf_token(client.get("/admin/questionnaires/").text)


def test_crafted_post_editing_a_published_question_is_refused(client, users):
    install_customs()
    target = question("customs", "What happened?")
    login(client, users["admin"])
    response = client.post(f"/admin/questionnaires/questions/{target.id}", data={
        "csrf_token": _token(client), f"q{target.id}-kind": "short_text", f"q{target.id}-label_en": "Changed?",
        **{f"q{target.id}-label_{lang}": "x" for lang in ("fr", "es", "pt", "ar")}})
    assert response.status_code == 409
    assert "cannot be changed" in response.text
    db.session.expire_all()
    again = db.session.get(Question, target.id)
    assert again.label["en"] == "What happened?" and again.kind.value == "long_text"


def test_crafted_posts_adding_deleting_or_moving_in_a_published_version_change_nothing(client, users):
    install_customs()
    questionnaire = _customs()
    first = questionnaire.steps[0]
    before = [(s.id, s.position, [(q.id, q.position) for q in s.questions]) for s in questionnaire.steps]
    login(client, users["admin"])
    token = _token(client)
    attempts = [
        (f"/admin/questionnaires/{questionnaire.id}/steps", {"newstep-title_en": "Injected"}),
        (f"/admin/questionnaires/steps/{first.id}", {f"step{first.id}-title_en": "Renamed"}),
        (f"/admin/questionnaires/steps/{first.id}/move", {"direction": "down"}),
        (f"/admin/questionnaires/steps/{first.id}/questions", {f"s{first.id}-kind": "short_text",
                                                               f"s{first.id}-label_en": "Injected?"}),
        (f"/admin/questionnaires/questions/{first.questions[0].id}/move", {"direction": "down"}),
        (f"/admin/questionnaires/questions/{first.questions[0].id}/delete", {}),
        (f"/admin/questionnaires/steps/{first.id}/delete", {}),
        (f"/admin/questionnaires/{questionnaire.id}/title", {"title-title_en": "Renamed"}),
        (f"/admin/questionnaires/{questionnaire.id}/publish", {}),
    ]
    for url, data in attempts:
        response = client.post(url, data={"csrf_token": token, **data})
        assert response.status_code == 409, f"{url} answered {response.status_code}"
    db.session.expire_all()
    questionnaire = _customs()
    after = [(s.id, s.position, [(q.id, q.position) for q in s.questions]) for s in questionnaire.steps]
    assert after == before
    assert questionnaire.title["en"] == "Report to the customs integrity unit"
    assert db.session.scalar(sa.select(sa.func.count(QuestionnaireStep.id))) == 4


def test_non_admin_cannot_reach_the_builder(client, users):
    install_customs()
    target = question("customs", "What happened?")
    for role in ("supervisor", "investigator", "manager", "auditor"):
        login(client, users[role])
        assert client.get("/admin/questionnaires/").status_code == 403
        assert client.post(f"/admin/questionnaires/questions/{target.id}/delete", data={}).status_code in (400, 403)
        client.post("/logout")
    db.session.expire_all()
    assert db.session.get(Question, target.id) is not None
