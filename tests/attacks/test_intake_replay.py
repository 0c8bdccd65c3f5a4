"""A reporter's double click, Back-then-Send or reload never makes a second case and never answers 500."""

from __future__ import annotations

import threading
from typing import Any

import sqlalchemy as sa
from flask.testing import FlaskClient

from caseflow.extensions import db
from caseflow.models import Case
from tests.reporting_support import form_token
from tests.served_portal import call, served_portal, token_of


def _cases() -> int:
    db.session.remove()
    return db.session.scalar(sa.select(sa.func.count()).select_from(Case)) or 0


def test_two_simultaneous_posts_of_one_form_make_one_case_and_no_500(app: Any) -> None:
    with served_portal(app, workers=2, CASEFLOW_LIMIT_REPORT="100 per hour") as (port, log):
        outcomes: dict[str, list[tuple[int, str]]] = {}
        for round_ in range(3):
            token = token_of(call(port, "GET", "/whistleblow")[1])
            form = {"form_token": token, "what": f"Cash asked at gate 4, round {round_}"}
            start = threading.Barrier(2)
            results: list[tuple[int, str]] = []

            def post(form: dict[str, str] = form, start: threading.Barrier = start,
                     results: list[tuple[int, str]] = results) -> None:
                start.wait()
                status, body, _ = call(port, "POST", "/whistleblow", form)
                results.append((status, body))

            threads = [threading.Thread(target=post) for _ in range(2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)
            outcomes[str(round_)] = results
        text = log.read_text()
    assert _cases() == 3
    for results in outcomes.values():
        statuses = sorted(status for status, _ in results)
        assert statuses == [200, 409], statuses
        receipt, again = sorted(results)
        assert 'id="receipt-code"' in receipt[1]
        assert "Your report was already received" in again[1] and 'id="receipt-code"' not in again[1]
    assert "Traceback" not in text and "IntegrityError" not in text


def test_back_then_send_or_reload_of_the_receipt_page_makes_no_second_case(portal_client: FlaskClient) -> None:
    page = portal_client.get("/whistleblow?lang=fr")
    data = {"form_token": form_token(page.text), "what": "Containers released without inspection"}
    first = portal_client.post("/whistleblow?lang=fr", data=data)
    assert first.status_code == 200 and 'id="receipt-code"' in first.text
    for _ in range(2):  # Back then Send with the form as it was, then a reload of the receipt page (same post)
        again = portal_client.post("/whistleblow?lang=fr", data=data)
        assert again.status_code == 409 and 'id="receipt-code"' not in again.text
        assert 'lang="fr"' in again.text
        assert "remplir" not in again.text.lower() and "fill in the form again" not in again.text
    assert _cases() == 1
