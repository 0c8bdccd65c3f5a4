"""What a director asks: comparisons, targets, trends, office x category, rates per 100 staff, substantiation by
channel and anonymity, time from incident to report; exact for supervisors, from the shown counts for managers."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from caseflow.dashboards import director
from caseflow.dashboards.figures import present
from caseflow.dashboards.filters import DashboardFilters
from caseflow.dashboards.rollup import load_inputs
from caseflow.enums import Channel, Finding
from caseflow.extensions import db
from caseflow.models import Allegation, AuditEvent, Office
from tests.factories import category, make_case, make_office


@pytest.fixture
def world(clock: Any, users: dict[str, Any]) -> dict[str, Any]:
    """January 2026: 30 cases at the port (20 bribery, 10 fraud), 8 at the airport; 12 in January 2025, 6 in
    December 2025; 10 findings in January 2026, 4 sustained (3 of them from anonymous reporters)."""
    port, airport = make_office("Port"), make_office("Airport")
    port.headcount, airport.headcount = 200, 40
    bribery, fraud = category("bribery"), category("fraud")
    jan = datetime(2026, 1, 3)
    cases = []
    for i in range(38):
        case = make_case(Channel.WHISTLEBLOWER if i % 4 == 0 else Channel.WEB, received_at=jan + timedelta(hours=i),
                         office_id=port.id if i < 30 else airport.id, is_anonymous=i % 4 == 0,
                         category_id=bribery.id if i < 20 else fraud.id, commit=False)
        case.acknowledged_at = case.received_at + timedelta(days=2 if i < 36 else 10)  # 36 of 38 on time
        case.incident_band = 0 if i < 25 else 2
        cases.append(case)
    for i in range(12):
        make_case(Channel.WEB, received_at=datetime(2025, 1, 10) + timedelta(days=i), office_id=port.id,
                  commit=False)
    for i in range(6):
        make_case(Channel.WEB, received_at=datetime(2025, 12, 2) + timedelta(days=i), office_id=port.id,
                  commit=False)
    for n in range(10):
        sustained = n in (0, 4, 8, 1)  # cases 0, 4, 8 are anonymous
        db.session.add(Allegation(case_id=cases[n].id, conduct=f"c{n}", finding_at=datetime(2026, 1, 20),
                                  finding=Finding.SUSTAINED if sustained else Finding.UNFOUNDED))
    db.session.commit()
    return {"port": port, "airport": airport}


def _exact(key: str, f: DashboardFilters) -> Any:
    fn = {fn.__name__: fn for fn in director.FIGURES}[key]
    return present(fn(f, load_inputs(f)), True, 5, localise=False)


JANUARY = DashboardFilters(start=datetime(2026, 1, 1).date(), end=datetime(2026, 1, 31).date())


def test_supervisors_see_the_exact_director_figures(world: dict[str, Any]) -> None:
    comparison = _exact("comparison", JANUARY)
    assert comparison.header[1:] == ["This period (2026-01)", "Previous period (2025-12)", "Change",
                                     "A year earlier (2025-01)", "Change"]
    assert comparison.body[0] == ["Cases received", "38", "6", "533.3 %", "12", "216.7 %"]
    assert comparison.body[1][1] == "10" and comparison.body[2][1] == "10" and comparison.body[3][1] == "4"
    targets = _exact("targets", JANUARY)
    assert targets.body[0] == ["Acknowledged within 7 days", "95.0 %", "38", "36", "94.7 %", "Not met"]
    matrix = _exact("office_category", JANUARY)
    rows = {r[0]: r[1:] for r in matrix.body}
    assert matrix.header[1:] == ["Bribery", "Fraud", "Total"]
    assert rows["Port"] == ["20", "10", "30"] and rows["Airport"] == ["0", "8", "8"]
    rates = {r[0]: r[1:] for r in _exact("rates_per_staff", JANUARY).body}
    assert rates["Port"] == ["200", "30", "15.0", "4", "2.0"] and rates["Airport"] == ["40", "8", "20.0", "0", "0.0"]
    by = {r[0]: r[1:] for r in _exact("substantiation_by", JANUARY).body}
    assert by["Named reporters"] == ["7", "1", "14.3 %"] and by["Anonymous reporters"] == ["3", "3", "100.0 %"]
    delays = {r[0]: r[1] for r in _exact("incident_delay", JANUARY).body}
    assert delays["0 to 7 days"] == "25" and delays["31 to 90 days"] == "13" and delays["8 to 30 days"] == "0"
    trend = {r[0]: r[1:] for r in _exact("trend_years", DashboardFilters(start=JANUARY.start, end=JANUARY.end)).body}
    assert trend["2025"][0] == "18" and trend["2026 (to 2026-01)"][:3] == ["38", "10", "4"]


def test_managers_rates_rest_on_the_counts_they_are_shown(world: dict[str, Any], users: dict[str, Any],
                                                          login_as: Any) -> None:
    client = login_as(users["manager"])
    text = client.get("/dashboard/export.csv", query_string={"start": "2026-01-01", "end": "2026-01-31"}) \
        .get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    at = rows.index(["Rates per 100 staff"])
    for line in rows[at + 2:at + 4]:
        staff, received, rate = int(line[1]), int(line[2]), float(line[3])
        assert rate == round(100 * received / staff, 1), line  # the perturbed count, not the true one
    page = client.get("/dashboard", query_string={"start": "2026-01-01", "end": "2026-01-31"})
    assert "Rates per 100 staff" in page.get_data(as_text=True) and "Targets per legal clock" in page.get_data(
        as_text=True)


def test_an_administrator_sets_an_office_headcount(world: dict[str, Any], users: dict[str, Any], client: Any,
                                                   login_as: Any) -> None:
    login_as(users["admin"])
    port = world["port"]
    assert 'name="headcount" value="200"' in client.get("/admin/offices").get_data(as_text=True)
    client.post(f"/admin/offices/{port.id}", data={"headcount": "250"})
    assert db.session.get(Office, port.id).headcount == 250
    response = client.post(f"/admin/offices/{port.id}", data={"headcount": "-3"}, follow_redirects=True)
    assert "A headcount is a whole number" in response.get_data(as_text=True)
    client.post(f"/admin/offices/{port.id}", data={"headcount": ""})
    db.session.expire_all()
    assert db.session.get(Office, port.id).headcount is None
    actions = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.action == "office.headcount")).all()
    assert len(actions) == 2
