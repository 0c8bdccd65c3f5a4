"""`flask caseflow send-management-report`: the month's report to every active manager, once, in their language,
through the outbox and a real (loopback) SMTP server; the figures in it are the protected ones."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import force_locale, gettext

from caseflow.enums import Channel, Role
from caseflow.extensions import db
from caseflow.models import AuditEvent, OutboxMail
from tests.factories import make_case, make_user


def _run(runner: Any, *args: str) -> Any:
    return runner.invoke(args=["caseflow", "send-management-report", *args])


def _managers() -> dict[str, Any]:
    english = make_user(Role.MANAGER, "director-en", email="director@example.org")
    arabic = make_user(Role.MANAGER, "director-ar", email="mudir@example.org")
    arabic.language = "ar"
    make_user(Role.MANAGER, "no-address")
    gone = make_user(Role.MANAGER, "gone", email="gone@example.org")
    gone.active = False
    make_user(Role.SUPERVISOR, "sup", email="sup@example.org")  # supervisors are not sent the managers' report
    db.session.commit()
    return {"en": english, "ar": arabic}


def test_each_active_manager_gets_the_month_once_in_their_language(app: Any, runner: Any, clock: Any,
                                                                    smtp_server: Any) -> None:
    _managers()
    for i in range(3):  # three February cases: a small count, never shown as such
        make_case(Channel.WEB, received_at=datetime(2026, 2, 3) + timedelta(days=i), commit=False)
    for i in range(12):
        make_case(Channel.PHONE, received_at=datetime(2026, 1, 5) + timedelta(days=i), commit=False)
    db.session.commit()

    first = _run(runner)  # default: last month (the clock is at 2 March 2026)
    assert first.exit_code == 0, first.output
    assert "2026-02: 2 queued, 0 already queued, 1 without an e-mail address" in first.output
    again = _run(runner, "--month", "2026-02")
    assert "2026-02: 0 queued, 2 already queued" in again.output
    assert db.session.scalar(sa.select(sa.func.count(OutboxMail.id))) == 2

    sent = runner.invoke(args=["caseflow", "send-mail"])
    assert "2 sent" in sent.output, sent.output
    by_to = {m["To"]: m for m in smtp_server.messages}
    assert set(by_to) == {"director@example.org", "mudir@example.org"}
    english, arabic = by_to["director@example.org"], by_to["mudir@example.org"]
    assert english["Subject"] == "Management report 2026-02" and english["Content-Language"] == "en"
    body = english.get_content()
    assert "/dashboard?start=2026-02-01&end=2026-02-28" in body and "Management report (PDF)" in body
    assert "- Cases received: <5 (" in body  # 3 cases: protected, as the dashboard shows it
    assert "Acknowledged within 7 days" in body and "Top concerns" in body
    with force_locale("ar"):
        key_figures = gettext("Key figures")  # translated already (new strings are until the catalogs follow)
    assert key_figures != "Key figures"
    assert arabic["Content-Language"] == "ar" and key_figures in arabic.get_content()
    assert "Key figures" not in arabic.get_content()
    assert "/dashboard?start=2026-02-01&end=2026-02-28" in arabic.get_content()
    assert len(smtp_server.messages) == 2
    assert runner.invoke(args=["caseflow", "send-mail"]).output.startswith("send-mail: 0 sent")
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "report.management_mailed")).all()
    assert len(events) == 2


def test_a_bad_or_future_month_is_refused_clearly(runner: Any, clock: Any) -> None:
    _managers()
    for month in ("2026-13", "26-02", "2026-04", "февраль"):
        result = _run(runner, "--month", month)
        assert result.exit_code == 2 and "YYYY-MM" in result.output, (month, result.output)
    assert db.session.scalar(sa.select(sa.func.count(OutboxMail.id))) == 0
