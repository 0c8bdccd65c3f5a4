"""What the portal leaves behind that could be matched against a reporter: the language of the case title,
the time of their visits, access-log lines."""

from __future__ import annotations

import time
from typing import Any

import sqlalchemy as sa
from flask.testing import FlaskClient

from caseflow.clock import FrozenClock
from caseflow.extensions import db
from caseflow.models import AuditEvent, Case, ReportSubmission
from tests.factories import category
from tests.reporting_support import follow_up_login, receipt_of, submit
from tests.served_portal import call, served_portal, token_of


def test_a_report_sent_in_arabic_gets_a_title_in_the_installations_language(portal_client: FlaskClient) -> None:
    submit(portal_client, "/whistleblow?lang=ar", category_id=str(category("bribery").id))
    case = db.session.scalars(sa.select(Case)).one()
    assert case.title.startswith("Anonymous report: ")
    assert not any("\u0600" <= ch <= "\u06ff" for ch in case.title)


def test_reporter_logins_are_recorded_to_the_day_without_the_time(portal_client: FlaskClient,
                                                                 clock: FrozenClock) -> None:
    receipt = receipt_of(submit(portal_client).text)
    clock.advance(hours=5, minutes=17, seconds=3)
    follow_up_login(portal_client, receipt)
    portal_client.delete_cookie("caseflow_reporter", path="/follow-up")
    clock.advance(minutes=40)
    follow_up_login(portal_client, receipt)
    db.session.expire_all()
    logins = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "reporter.login")).all()
    assert len(logins) == 1  # once a day
    at = logins[0].occurred_at
    assert (at.hour, at.minute, at.second, at.microsecond) == (0, 0, 0, 0)
    last = db.session.scalars(sa.select(ReportSubmission)).one().last_reporter_login_at
    assert last is not None and (last.hour, last.minute, last.second) == (0, 0, 0)


def _portal_traffic(port: int) -> None:
    for path in ("/", "/whistleblow?lang=ar", "/follow-up", "/static/caseflow.css", "/favicon.ico",
                 "/questionnaire/customs", "/no-such-page"):
        call(port, "GET", path)
    token = token_of(call(port, "GET", "/follow-up")[1])
    call(port, "POST", "/follow-up", {"form_token": token, "receipt": "1111 2222 3333 4444"})


def test_the_portal_writes_no_access_log_line_by_default(app: Any) -> None:
    with served_portal(app, workers=1) as (port, log):
        _portal_traffic(port)
        time.sleep(0.5)
        quiet = log.read_text()
    with served_portal(app, workers=1, CASEFLOW_PORTAL_ACCESS_LOG="1") as (port, log):
        _portal_traffic(port)
        time.sleep(0.5)
        asked = log.read_text()
    assert "/follow-up" not in quiet and "/whistleblow" not in quiet and '"GET / ' not in quiet
    assert "/questionnaire" not in quiet and "/no-such-page" not in quiet  # any path the portal app answers
    assert "POST /follow-up" in asked  # the switch works: the default really is what hides them
