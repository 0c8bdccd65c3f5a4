"""Attacks on the reporter's questionnaire flow: skipping steps, answering hidden questions, values not offered,
oversize answers, sending twice. Each is a crafted POST a script (or a tampered page) would send."""

from __future__ import annotations

import json

import sqlalchemy as sa

from caseflow.casekeys import open_text
from caseflow.extensions import db
from caseflow.models import Case, ReportSubmission
from caseflow.models.questionnaires import AnswerDraft, CaseAnswers
from tests.questionnaire_support import customs_to_last_step, hidden, install_customs, q, question, start, step
from tests.reporting_support import IP


def _cases() -> int:
    return db.session.scalar(sa.select(sa.func.count(Case.id)))


def test_posting_the_last_step_directly_skips_nothing(portal_client):
    install_customs()
    token_page = customs_to_last_step(portal_client)  # a valid send token, from another reporter's last step
    page = start(portal_client, "customs")
    first_step = hidden(page.text, "step")
    last_step = question("customs", "How do you know? (saw it, was asked, heard about it)").step_id
    sent = portal_client.post("/questionnaire/customs/step", data={
        "draft": hidden(page.text, "draft"), "step": str(last_step), "action": "send",
        "form_token": hidden(token_page.text, "form_token")}, environ_base={"REMOTE_ADDR": IP})
    assert sent.status_code == 400
    assert "Please answer this step first." in sent.text
    assert hidden(sent.text, "step") == first_step  # sent back to the first step not answered
    assert _cases() == 0


def test_a_required_answer_left_empty_on_an_earlier_step_blocks_sending(portal_client):
    install_customs()
    page = start(portal_client, "customs")
    empty = step(portal_client, page)  # Next with nothing typed
    assert empty.status_code == 400 and "This question must be answered." in empty.text
    assert _cases() == 0


def test_an_answer_to_a_hidden_conditional_question_is_never_kept(portal_client):
    install_customs()
    ref = q("Declaration or consignment reference")
    # "No declaration": the reference question is hidden on step 2; the crafted post answers it anyway.
    last = customs_to_last_step(portal_client, declared="no", step2={ref: "SECRET-REF-991"})
    assert ref not in last.text
    sent = step(portal_client, last, action="send")
    assert sent.status_code == 200, sent.text[-600:]
    case = db.session.scalar(sa.select(Case))
    answers = json.loads(open_text(case, db.session.scalar(sa.select(CaseAnswers.answers_blob))))
    assert ref[1:] not in answers
    content = open_text(case, db.session.scalar(sa.select(ReportSubmission.content_blob)))
    assert "SECRET-REF-991" not in content and "SECRET-REF-991" not in json.dumps(answers)


def test_choice_values_not_offered_are_refused(portal_client):
    install_customs()
    page = start(portal_client, "customs")
    for field, value in ((q("What kind of wrongdoing?"), "<script>x</script>"),
                         (q("Does it concern a customs declaration or a consignment?"), "maybe")):
        answers = {q("What happened?"): "Cash asked.", q("What kind of wrongdoing?"): "bribe",
                   q("Does it concern a customs declaration or a consignment?"): "yes", field: value}
        refused = step(portal_client, page, **answers)
        assert refused.status_code == 400 and "Choose one of the answers offered." in refused.text
        assert "<script>x</script>" not in refused.text
    draft = db.session.scalar(sa.select(AnswerDraft))
    assert draft.done_steps == [] and "maybe" not in draft.answers
    amount = q("Amount demanded or paid")
    page = start(portal_client, "customs")
    page = step(portal_client, page, **{q("What happened?"): "Cash asked.", q("What kind of wrongdoing?"): "bribe",
                                        q("Does it concern a customs declaration or a consignment?"): "no"})
    page = step(portal_client, page, **{q("Customs office or port"): "North Seaport", q("Which shift?"): "dawn"})
    assert page.status_code == 400 and "Choose one of the answers offered." in page.text
    page = step(portal_client, page, **{q("Customs office or port"): "North Seaport"})
    refused = step(portal_client, page, **{f"{amount}-amount": "100", f"{amount}-currency": "BTC"})
    assert refused.status_code == 400 and "Choose a currency from the list." in refused.text


def test_oversize_answers_are_refused_with_a_clear_error(portal_client):
    install_customs()
    page = start(portal_client, "customs")
    base = {q("What kind of wrongdoing?"): "bribe", q("Does it concern a customs declaration or a consignment?"): "no"}
    refused = step(portal_client, page, **{q("What happened?"): "x" * 10001, **base})
    assert refused.status_code == 400 and "longer than 10000 characters" in refused.text
    page = step(portal_client, page, **{q("What happened?"): "Cash asked.", **base})
    refused = step(portal_client, page, **{q("Customs office or port"): "y" * 501})
    assert refused.status_code == 400 and "longer than 500 characters" in refused.text
    page = step(portal_client, page, **{q("Customs office or port"): "North Seaport"})
    person = q("Person involved")
    refused = step(portal_client, page, **{f"{person}-name": "n" * 201})
    assert refused.status_code == 400 and "longer than 200 characters" in refused.text
    amount = q("Amount demanded or paid")
    refused = step(portal_client, page, **{f"{amount}-amount": "9" * 40, f"{amount}-currency": "EUR"})
    assert refused.status_code == 400 and "Write a number" in refused.text
    assert _cases() == 0


def test_sending_the_last_step_twice_makes_one_case(portal_client):
    install_customs()
    last = customs_to_last_step(portal_client)
    first = step(portal_client, last, action="send")
    assert first.status_code == 200
    again = step(portal_client, last, action="send")
    assert again.status_code == 409 and "already received" in again.text
    assert _cases() == 1
    assert db.session.scalar(sa.select(sa.func.count(AnswerDraft.id_hash))) == 0  # the draft went with the send


def test_questionnaires_share_the_report_forms_budget(portal_app, portal_client, monkeypatch):
    from caseflow.extensions import limiter
    from tests.reporting_support import submit

    install_customs()
    limiter.enabled = True
    monkeypatch.setitem(portal_app.config, "CASEFLOW_LIMIT_REPORT", "2 per hour")
    try:
        codes = [submit(portal_client).status_code, start(portal_client, "customs").status_code]
        blocked = start(portal_client, "customs")
    finally:
        limiter.enabled = False
    assert codes == [200, 200]
    assert blocked.status_code == 429 and "Set-Cookie" not in blocked.headers
    assert db.session.scalar(sa.select(sa.func.count(AnswerDraft.id_hash))) == 1


def test_two_simultaneous_sends_of_the_last_step_make_one_case_and_no_500(app):
    """A double click on Send, two posts at once: one receipt, one "already received", never an error page."""
    import re
    import threading

    from tests.questionnaire_support import hidden, install_customs
    from tests.served_portal import call, served_portal

    install_customs()
    db.session.commit()
    fields = {q("What happened?"): "Cash asked at lane 2 to release the container.",
              q("What kind of wrongdoing?"): "bribe",
              q("Does it concern a customs declaration or a consignment?"): "no"}
    office = q("Customs office or port")
    db.session.remove()

    def post(port: int, page: str, answers: dict, action: str = "next") -> tuple[str, dict]:
        target = re.search(r'<form method="post" action="([^"]+/step[^"]*)"', page).group(1).replace("&amp;", "&")
        data = {"draft": hidden(page, "draft"), "step": hidden(page, "step"), "action": action, **answers}
        if 'name="form_token"' in page:
            data["form_token"] = hidden(page, "form_token")
        return target, data

    with served_portal(app, workers=2, CASEFLOW_LIMIT_REPORT="100 per hour") as (port, log):
        intro = call(port, "GET", "/questionnaire/customs")[1]
        start = re.search(r'action="([^"]+/start[^"]*)"', intro).group(1).replace("&amp;", "&")
        page = call(port, "POST", start, {})[1]
        for answers in (fields, {office: "North Seaport"}, {}):
            page = call(port, "POST", *post(port, page, answers))[1]
        target, data = post(port, page, {}, "send")
        barrier, results = threading.Barrier(2), []

        def send() -> None:
            barrier.wait()
            results.append(call(port, "POST", target, data)[:2])

        threads = [threading.Thread(target=send) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        text = log.read_text()
    assert sorted(status for status, _ in results) == [200, 409], [s for s, _ in results]
    assert "Traceback" not in text
    db.session.remove()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 1
