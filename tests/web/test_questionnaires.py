"""An administrator builds, translates and publishes a questionnaire; a reporter answers it in Arabic without
JavaScript; staff read the answers and the person named joins the case's subjects."""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from flask.testing import FlaskClient

from caseflow.crypto import user_ref
from caseflow.enums import PartyRole, Role
from caseflow.extensions import db
from caseflow.models import AuditEvent, Case, SubjectMatch
from caseflow.models.questionnaires import AnswerDraft, CaseAnswers, Question, Questionnaire, QuestionnaireStatus
from tests import factories
from tests.conftest import csrf_token, login
from tests.questionnaire_support import hidden, start, step
from tests.reporting_support import receipt_of

LANGS = ("en", "fr", "es", "pt", "ar")


def texts(prefix: str, en: str, fr: str, es: str, pt: str, ar: str, form: str = "") -> dict[str, str]:
    """Return the five language fields of one text, as the builder's form names them."""
    return {f"{form}{prefix}_{lang}": value for lang, value in zip(LANGS, (en, fr, es, pt, ar), strict=True)}


def _post(client: FlaskClient, url: str, data: dict[str, Any]) -> Any:
    token = csrf_token(client.get("/admin/questionnaires/").text)
    return client.post(url, data={"csrf_token": token, **data})


def build_ethics_questionnaire(client: FlaskClient) -> Questionnaire:
    """Build, through the builder's pages, a two-step questionnaire with a condition and a person question."""
    response = _post(client, "/admin/questionnaires/", {"new-key": "ethics", **texts(
        "title", "Ethics report", "Signalement déontologique", "Denuncia ética", "Denúncia ética", "بلاغ أخلاقي",
        form="new-")})
    assert response.status_code == 302, response.text[:600]
    questionnaire = db.session.scalar(sa.select(Questionnaire).where(Questionnaire.key == "ethics"))
    base = f"/admin/questionnaires/{questionnaire.id}"
    for en, ar in (("Facts", "الوقائع"), ("People", "الأشخاص")):
        assert _post(client, f"{base}/steps", texts("title", en, en + " (fr)", en + " (es)", en + " (pt)", ar,
                                                    form="newstep-")).status_code == 302
    db.session.expire_all()
    first, second = questionnaire.steps
    asked = _post(client, f"/admin/questionnaires/steps/{first.id}/questions", {
        f"s{first.id}-kind": "yes_no", f"s{first.id}-required": "y",
        **texts("label", "Was money asked?", "De l'argent a-t-il été demandé ?", "¿Se pidió dinero?",
                "Foi pedido dinheiro?", "هل طُلب مال؟", form=f"s{first.id}-")})
    assert asked.status_code == 302, asked.text[:600]
    money = db.session.scalar(sa.select(Question).where(Question.step_id == first.id))
    amount = _post(client, f"/admin/questionnaires/steps/{second.id}/questions", {
        f"s{second.id}-kind": "amount", f"s{second.id}-condition": str(money.id),
        f"s{second.id}-condition_value": "yes",
        **texts("label", "How much?", "Combien ?", "¿Cuánto?", "Quanto?", "كم المبلغ؟", form=f"s{second.id}-")})
    assert amount.status_code == 302, amount.text[:600]
    # The person question first comes in two languages only: publishing is refused and says what is missing.
    person = _post(client, f"/admin/questionnaires/steps/{second.id}/questions", {
        f"s{second.id}-kind": "person", f"s{second.id}-label_en": "Who asked?",
        f"s{second.id}-label_fr": "Qui a demandé ?"})
    assert person.status_code == 302
    refused = _post(client, f"{base}/publish", {})
    assert refused.status_code == 409
    assert "Who asked?" in refused.text and "es, pt, ar" in refused.text
    db.session.expire_all()
    assert questionnaire.status == QuestionnaireStatus.DRAFT
    who = db.session.scalar(sa.select(Question).where(Question.step_id == second.id, Question.kind == "person"))
    edit = f"/admin/questionnaires/questions/{who.id}"
    assert client.get(edit).status_code == 200
    saved = _post(client, edit, {f"q{who.id}-kind": "person", **texts(
        "label", "Who asked?", "Qui a demandé ?", "¿Quién lo pidió?", "Quem pediu?", "من طلب ذلك؟",
        form=f"q{who.id}-")})
    assert saved.status_code == 302, saved.text[:600]
    assert client.get(f"{base}/preview?in=ar").status_code == 200
    published = _post(client, f"{base}/publish", {})
    assert published.status_code == 302, published.text[:800]
    db.session.expire_all()
    assert questionnaire.status == QuestionnaireStatus.PUBLISHED
    return questionnaire


def test_admin_builds_reporter_answers_in_arabic_staff_read_and_subject_is_walled(
        client: FlaskClient, portal_client: FlaskClient, users: dict[str, Any], app: Any) -> None:
    officer = factories.make_user(Role.INVESTIGATOR, "khaddad", full_name="Karim Haddad")
    login(client, users["admin"])
    questionnaire = build_ethics_questionnaire(client)
    actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert {"questionnaire.create", "questionnaire.step_add", "questionnaire.question_add",
            "questionnaire.question_update", "questionnaire.publish"} <= actions
    client.post("/logout")

    money, amount, who = (q for s in questionnaire.steps for q in s.questions)
    page = start(portal_client, "ethics", "?lang=ar")
    assert page.status_code == 200 and "Set-Cookie" not in page.headers
    assert 'dir="rtl"' in page.text and "هل طُلب مال؟" in page.text and "<script" not in page.text
    assert re.search(r'id="progress">[^<]*1[^<]*2', page.text)  # step 1 of 2
    page = step(portal_client, page, **{f"q{money.id}": "yes"})
    assert page.status_code == 200 and "كم المبلغ؟" in page.text and "من طلب ذلك؟" in page.text
    # Back keeps the answer; Next again shows the amount question the "yes" enables.
    back = step(portal_client, page, action="back", **{f"q{who.id}-name": "Karim Haddad"})
    assert back.status_code == 200 and re.search(rf'name="q{money.id}" value="yes" checked', back.text)
    page = step(portal_client, back, **{f"q{money.id}": "yes"})
    assert 'value="Karim Haddad"' in page.text
    sent = step(portal_client, page, action="send", **{
        f"q{amount.id}-amount": "500", f"q{amount.id}-currency": "EUR", f"q{who.id}-name": "Karim Haddad",
        f"q{who.id}-position": "الوردية الليلية"})
    assert sent.status_code == 200, sent.text[-1500:]
    assert receipt_of(sent.text) and "Set-Cookie" not in sent.headers

    case = db.session.scalar(sa.select(Case).order_by(Case.id.desc()))
    stored = db.session.scalar(sa.select(CaseAnswers).where(CaseAnswers.case_id == case.id))
    assert stored.questionnaire_id == questionnaire.id
    assert b"Karim" not in stored.answers_blob and b"500" not in stored.answers_blob  # sealed
    subjects = [p for p in case.parties if p.role == PartyRole.SUBJECT]
    assert [p.person.full_name for p in subjects] == ["Karim Haddad"]
    assert db.session.scalar(sa.select(SubjectMatch).where(SubjectMatch.case_id == case.id,
                                                           SubjectMatch.user_ref == user_ref(officer.id))) is not None

    login(client, users["supervisor"])
    reporter_page = client.get(f"/cases/{case.number}/reporter")
    assert reporter_page.status_code == 200
    text = reporter_page.text
    assert "Was money asked?" in text and "How much?" in text and "500 EUR" in text
    assert "Karim Haddad" in text and "Ethics report" in text
    client.post("/logout")
    login(client, officer)
    assert client.get(f"/cases/{case.number}/reporter").status_code in (403, 404)
    assert client.get(f"/cases/{case.number}").status_code in (403, 404)


def test_new_version_copies_the_published_one_and_the_case_keeps_its_version(
        client: FlaskClient, portal_client: FlaskClient, users: dict[str, Any]) -> None:
    login(client, users["admin"])
    first = build_ethics_questionnaire(client)
    made = _post(client, f"/admin/questionnaires/{first.id}/new-version", {})
    assert made.status_code == 302
    draft = db.session.scalar(sa.select(Questionnaire).where(Questionnaire.key == "ethics",
                                                             Questionnaire.version == 2))
    assert draft.status == QuestionnaireStatus.DRAFT
    copied = [q for s in draft.steps for q in s.questions]
    assert len(copied) == 3 and copied[1].condition_question_id == copied[0].id  # the condition follows the copy
    # Reporters still fill version 1 until version 2 is published.
    page = start(portal_client, "ethics")
    assert hidden(page.text, "step") == str(first.steps[0].id)
    assert _post(client, f"/admin/questionnaires/{draft.id}/publish", {}).status_code == 302
    db.session.expire_all()
    assert first.status == QuestionnaireStatus.RETIRED
    page = start(portal_client, "ethics")
    assert hidden(page.text, "step") == str(draft.steps[0].id)


def test_default_customs_questionnaire_is_installed_once_by_init(runner: Any, portal_client: FlaskClient) -> None:
    assert "customs questionnaire installed" in runner.invoke(args=["caseflow", "init"]).output
    assert "customs questionnaire" not in runner.invoke(args=["caseflow", "init"]).output
    assert db.session.scalar(sa.select(sa.func.count(Questionnaire.id))) == 1
    for lang, word in (("fr", "Les faits"), ("es", "Los hechos"), ("pt", "Os factos"), ("ar", "الواقعة")):
        page = start(portal_client, "customs", f"?lang={lang}")
        assert page.status_code == 200 and word in page.text


def test_the_draft_is_sealed_keeps_no_address_sets_no_cookie_and_expires(portal_client: FlaskClient,
                                                                       clock: Any) -> None:
    from tests.questionnaire_support import install_customs, q

    install_customs()
    intro = portal_client.get("/questionnaire/customs")
    assert intro.status_code == 200 and "Set-Cookie" not in intro.headers
    assert db.session.scalar(sa.select(sa.func.count(AnswerDraft.id_hash))) == 0  # a GET writes nothing
    page = start(portal_client)
    page = step(portal_client, page, **{q("What happened?"): "Cash asked by Officer Lamrani at lane 2.",
                                        q("What kind of wrongdoing?"): "bribe",
                                        q("Does it concern a customs declaration or a consignment?"): "no"})
    assert page.status_code == 200 and "Set-Cookie" not in page.headers
    raw = db.session.execute(sa.text("SELECT * FROM answer_drafts")).mappings().one()
    assert raw["answers"].startswith("s1:") and "Lamrani" not in raw["answers"]
    assert "203.0.113" not in " ".join(str(v) for v in raw.values())
    assert set(raw.keys()) == {"id_hash", "questionnaire_id", "answers", "done_steps", "unit", "created_on",
                               "expires_at"}
    from datetime import datetime

    expires = raw["expires_at"]  # a string on SQLite, a datetime on PostgreSQL
    expires = datetime.fromisoformat(expires) if isinstance(expires, str) else expires
    assert (expires.minute, expires.second, expires.microsecond) == (0, 0, 0)  # to the hour, not the start minute
    clock.advance(hours=4, minutes=1)  # expiry rounds up to the hour: a draft lives between 3 and 4 hours
    late = step(portal_client, page, **{q("Customs office or port"): "North Seaport"})
    assert late.status_code == 400 and "no longer kept" in late.text


def test_a_unit_with_a_questionnaire_links_to_it_and_its_reports_land_in_that_unit(
        portal_client: FlaskClient, users: dict[str, Any]) -> None:
    from caseflow.units.operations import UnitFields, create_unit
    from tests.questionnaire_support import customs_to_last_step, install_customs

    install_customs()
    names = {"en": "Integrity", "fr": "Intégrité", "es": "Integridad", "pt": "Integridade", "ar": "النزاهة"}
    unit = create_unit(UnitFields(key="integrity", names=names, allows_named=False, allows_anonymous=True,
                                  questionnaire_key="customs", member_ids=[users["investigator"].id]), None)
    db.session.commit()
    landing = portal_client.get("/?lang=fr")
    assert "/questionnaire/customs?" in landing.text and "unit=integrity" in landing.text
    last = customs_to_last_step(portal_client, "?unit=integrity", declared="no")
    sent = step(portal_client, last, action="send")
    assert receipt_of(sent.text), sent.text[-800:]
    case = db.session.scalar(sa.select(Case).order_by(Case.id.desc()))
    assert case.unit_id == unit.id


def test_a_unit_cannot_name_a_questionnaire_that_is_not_published(users: dict[str, Any]) -> None:
    import pytest

    from caseflow.errors import ValidationError
    from caseflow.units.operations import UnitFields, create_unit

    with pytest.raises(ValidationError):
        create_unit(UnitFields(key="ghost", names={"en": "Ghost"}, questionnaire_key="nowhere"), None)


def test_a_unit_that_takes_no_anonymous_report_is_refused_before_the_first_step(
        portal_client: FlaskClient, users: dict[str, Any]) -> None:
    from caseflow.models.questionnaires import AnswerDraft
    from caseflow.units.operations import UnitFields, create_unit
    from tests.questionnaire_support import install_customs

    install_customs()
    create_unit(UnitFields(key="named-only", names={"en": "Ethics"}, allows_anonymous=False), None)
    db.session.commit()
    for path in ("/questionnaire/customs?unit=named-only", "/questionnaire/customs?unit=nowhere"):
        intro = portal_client.get(path)
        assert intro.status_code == 400 and 'role="alert"' in intro.text and "/start" not in intro.text
        assert portal_client.post(path.replace("?", "/start?")).status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AnswerDraft)) == 0
