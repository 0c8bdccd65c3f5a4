"""The dashboard: its numbers match a fixture with known counts; managers see them suppressed."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from caseflow.dashboards import metrics
from caseflow.dashboards.filters import DashboardFilters
from caseflow.dashboards.protect import NOISE_BOUND
from caseflow.enums import CaseState, Channel, Finding, PartyRole, Sanction
from caseflow.extensions import db
from caseflow.models import Allegation, AuditEvent, Case
from tests.factories import category, make_case, make_office

START = datetime(2026, 1, 1)


@pytest.fixture
def world(clock: Any, users: dict[str, Any]) -> dict[str, Any]:
    """Known data: 12 January cases (8 web, 4 phone), 3 February whistleblower cases, ages and clocks set."""
    office = make_office("Harbour Post")
    bribery, fraud = category("bribery"), category("fraud")
    cases = []
    for i in range(12):
        case = make_case(Channel.WEB if i < 8 else Channel.PHONE, title=f"January case {i}",
                         received_at=START + timedelta(days=i), office_id=office.id,
                         category_id=bribery.id if i < 6 else fraud.id, commit=False)
        case.acknowledged_at = case.received_at + timedelta(days=2 if i < 10 else 9)  # 10 on time, 2 late
        case.triaged_at = case.received_at + timedelta(days=i + 1)  # 1..12 days: all within 14
        case.state = CaseState.CLOSED if i < 4 else CaseState.INVESTIGATION
        case.lead_investigator_id = users["investigator"].id if i >= 4 else None
        if i < 4:
            case.closed_at = case.received_at + timedelta(days=10 * (i + 1))  # 10, 20, 30, 40 days
        cases.append(case)
    for i in range(3):
        case = make_case(Channel.WHISTLEBLOWER, title=f"February tip {i}", received_at=datetime(2026, 2, 10 + i),
                         is_anonymous=True, commit=False)
        cases.append(case)  # not acknowledged: ack due 17-19 Feb, now 2 Mar: late
    subject = make_case(title="Subject case", subject="Karim Benali", received_at=datetime(2025, 6, 1), commit=False)
    party = next(p for p in subject.parties if p.role == PartyRole.SUBJECT)
    for n, finding in enumerate([Finding.SUSTAINED] * 3 + [Finding.UNFOUNDED] * 6):
        db.session.add(Allegation(case_id=cases[n % 4].id, conduct=f"conduct {n}", finding=finding,
                                  subject_party_id=party.id, finding_at=datetime(2026, 2, 1),
                                  decided_sanction=Sanction.SUSPENSION if finding == Finding.SUSTAINED else None))
    db.session.commit()
    return {"office": office, "cases": cases, "bribery": bribery}


def _filters() -> DashboardFilters:
    return DashboardFilters(start=START.date(), end=datetime(2026, 2, 28).date())


def test_received_per_month_by_channel_matches_known_counts(world: dict[str, Any]) -> None:
    fig = metrics.received_by_channel(_filters())
    assert fig.rows == ["2026-01", "2026-02"]
    table = dict(zip(fig.cols, zip(*fig.values, strict=True), strict=True))
    assert table[Channel.WEB.label] == (8, 0)
    assert table[Channel.PHONE.label] == (4, 0)
    assert table[Channel.WHISTLEBLOWER.label] == (0, 3)
    # an independent count over the same period
    direct = db.session.scalar(sa.select(sa.func.count()).select_from(Case).where(
        Case.received_at >= START, Case.received_at < datetime(2026, 3, 1)))
    assert sum(sum(row) for row in fig.values) == direct == 15


def test_category_and_office_filters_narrow_the_counts(world: dict[str, Any]) -> None:
    f = _filters()
    f.category = world["bribery"].id
    assert sum(sum(r) for r in metrics.received_by_channel(f).values) == 6
    f = _filters()
    f.office = world["office"].id
    assert sum(sum(r) for r in metrics.received_by_category(f).values) == 12


def test_open_cases_by_state_and_age_band(world: dict[str, Any]) -> None:
    fig = metrics.open_by_state_and_age(_filters())
    by_state = dict(zip(fig.rows, fig.values, strict=True))
    # now = 2 March 2026: January cases are 50-60 days old, February ones 18-20 days, the subject's 9 months
    assert by_state[CaseState.INVESTIGATION.label] == [0, 8, 0, 0]
    assert by_state[CaseState.RECEIVED.label] == [3, 0, 0, 1]


def test_clock_compliance_and_durations(world: dict[str, Any]) -> None:
    fig = metrics.clock_compliance(_filters())
    ack = fig.values[0]
    assert ack[:3] == [15, 10, 5]  # 10 on time, 2 acknowledged late, 3 never acknowledged and past due
    assert round(ack[3], 1) == 66.7
    assert fig.values[1][:3] == [15, 12, 3]  # the February tips are past their 14 days untriaged
    durations = metrics.durations(_filters())
    triage, close = durations.values
    assert triage[0] == 12 and triage[1] == pytest.approx(6.0) and triage[2] == pytest.approx(11.0)
    assert close[0] == 4 and close[1] == pytest.approx(20.0) and close[2] == pytest.approx(40.0)


def test_outcomes_workload_and_anonymity(world: dict[str, Any]) -> None:
    f = _filters()
    findings = dict(zip(metrics.findings(f).rows, metrics.findings(f).values, strict=True))
    assert findings[Finding.SUSTAINED.label] == [3] and findings[Finding.UNFOUNDED.label] == [6]
    assert metrics.substantiation(f).values[0][:2] == [9, 3]
    sanctions = dict(zip(metrics.sanctions(f).rows, metrics.sanctions(f).values, strict=True))
    assert sanctions[Sanction.SUSPENSION.label] == [3]
    workload = metrics.workload(f)
    assert workload.rows == ["Ivan Petrov"] and sum(workload.values[0]) == 8
    assert metrics.anonymity(f).values == [[12], [3]]
    follow = metrics.follow_up(f)
    assert follow.values[0][:2] == [3, 0]  # three anonymous tips, none followed up yet


def _cell(html: str, row: str) -> list[str]:
    match = re.search(rf"<th scope=\"row\">{re.escape(row)}</th>(.*?)</tr>", html, re.S)
    assert match, row
    return re.findall(r'<td class="num">([^<]*)</td>', match.group(1))


def test_supervisor_sees_exact_numbers_and_charts(world: dict[str, Any], users: dict[str, Any],
                                                  login_as: Any) -> None:
    client = login_as(users["supervisor"])
    html = client.get("/dashboard?start=2026-01-01&end=2026-02-28").get_data(as_text=True)
    assert html.count("<svg") >= 6
    assert "<script" not in html and " style=" not in html
    assert _cell(html, "2026-02")[-1] == "3"
    assert "&lt;5" not in html


def test_manager_sees_small_cells_suppressed(world: dict[str, Any], users: dict[str, Any], login_as: Any) -> None:
    client = login_as(users["manager"])
    html = client.get("/dashboard?start=2026-01-01&end=2026-02-28").get_data(as_text=True)
    shown = _cell(html, "2026-02")[-1]  # 3 cases: "<5", or a number of 5 or more (decided on the perturbed value)
    assert shown == "&lt;5" or 5 <= int(shown) <= 3 + NOISE_BOUND
    assert "&lt;5" in html
    assert "Karim Benali" not in html and "January case" not in html
    assert client.get("/dashboard/early-warning").status_code == 403


def test_early_warning_lists_repeat_subjects_with_drill_down(world: dict[str, Any], users: dict[str, Any],
                                                             login_as: Any, app: Any, monkeypatch: Any) -> None:
    monkeypatch.setitem(app.config, "CASEFLOW_EW_SUBJECT_CASES", 1)
    client = login_as(users["supervisor"])
    html = client.get("/dashboard/early-warning").get_data(as_text=True)
    assert "Karim Benali" in html and "3 sustained findings" in html
    link = re.search(r'href="(/dashboard/early-warning/subject\?[^"]+)"', html).group(1).replace("&amp;", "&")
    detail = client.get(link).get_data(as_text=True)
    assert "Subject case" in detail


def test_access_to_the_dashboard(users: dict[str, Any], login_as: Any, client: Any) -> None:
    assert client.get("/dashboard").status_code == 302
    login_as(users["investigator"])
    assert client.get("/dashboard").status_code == 403


def test_dashboard_export_is_suppressed_for_managers_and_audited(world: dict[str, Any], users: dict[str, Any],
                                                                 login_as: Any) -> None:
    client = login_as(users["manager"])
    response = client.get("/dashboard/export.csv?start=2026-01-01&end=2026-02-28")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "<5" in text and "Cases received per month, by channel" in text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "export.dashboard")) == 1


def test_empty_database_dashboard_renders_for_both_roles(users: dict[str, Any], login_as: Any, client: Any) -> None:
    for who in ("manager", "supervisor"):
        login_as(users[who])
        assert client.get("/dashboard").status_code == 200
        client.post("/logout")


def test_numbers_are_formatted_for_the_language_on_screen_but_plain_in_exports(
        world: dict[str, Any], users: dict[str, Any], login_as: Any, app: Any) -> None:
    from flask_babel import refresh

    from caseflow.dashboards.figures import format_value

    with app.test_request_context("/dashboard?lang=fr"):
        refresh()  # the suite's app context may hold the language of an earlier request
        assert format_value(1234567) == "1\u202f234\u202f567"
        assert format_value(66.666, " %") == "66,7 %"
        assert format_value(1234567, localise=False) == "1234567"
    client = login_as(users["supervisor"])
    french = client.get("/dashboard?start=2026-01-01&end=2026-02-28&lang=fr").get_data(as_text=True)
    assert "66,7 %" in french and "66.7 %" not in french
    english = client.get("/dashboard?start=2026-01-01&end=2026-02-28&lang=en").get_data(as_text=True)
    assert "66.7 %" in english
    csv = client.get("/dashboard/export.csv?start=2026-01-01&end=2026-02-28&lang=fr").get_data(as_text=True)
    assert "66.7 %" in csv and "66,7" not in csv
