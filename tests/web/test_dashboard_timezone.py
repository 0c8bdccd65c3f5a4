"""Dashboard months are cut in the installation's time zone (CASEFLOW_TIMEZONE), on both databases."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from caseflow.dashboards import metrics, rollup
from caseflow.dashboards.filters import DashboardFilters
from caseflow.dashboards.months import month_key
from caseflow.enums import Channel
from caseflow.extensions import db
from tests.factories import make_case

# (received, naive UTC) -> local month, per zone: month ends, a leap day, both sides of UTC
CASES = {
    "Asia/Dubai": [(datetime(2026, 1, 31, 23, 30), "2026-02"), (datetime(2026, 1, 31, 19, 59), "2026-01"),
                   (datetime(2024, 2, 29, 20, 30), "2024-03"), (datetime(2024, 2, 29, 19, 0), "2024-02"),
                   (datetime(2024, 2, 28, 20, 0), "2024-02"), (datetime(2025, 12, 31, 20, 0), "2026-01")],
    "America/New_York": [(datetime(2024, 3, 1, 3, 0), "2024-02"), (datetime(2024, 3, 1, 5, 0), "2024-03"),
                         (datetime(2026, 2, 1, 4, 59), "2026-01"), (datetime(2025, 11, 1, 3, 30), "2025-10"),
                         (datetime(2024, 2, 1, 4, 0), "2024-01")],
}


@pytest.fixture(params=sorted(CASES))
def zone(request: Any, app: Any, clock: Any, monkeypatch: Any) -> str:
    """Run with the installation's time zone set."""
    monkeypatch.setitem(app.config, "BABEL_DEFAULT_TIMEZONE", request.param)
    return request.param


def _months(fig: Any) -> dict[str, int]:
    return {row: int(sum(int(v or 0) for v in values)) for row, values in zip(fig.rows, fig.values, strict=True)}


def _expected(zone: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for _when, month in CASES[zone]:
        out[month] = out.get(month, 0) + 1
    return out


def test_a_case_counts_in_the_local_month_it_was_received(zone: str) -> None:
    for when, _month in CASES[zone]:
        make_case(Channel.WEB, received_at=when, commit=False)
    db.session.commit()
    assert month_key(datetime(2026, 1, 31, 23, 30)) == ("2026-02" if zone == "Asia/Dubai" else "2026-01")
    period = DashboardFilters(start=date(2023, 12, 1), end=date(2026, 2, 28))
    expected = _expected(zone)
    live = metrics.received_by_channel(period, rollup.load_protected_inputs(period))
    assert {m: n for m, n in _months(live).items() if n} == expected
    rollup.rebuild_all()  # the monthly tables, cut the same way
    tables = metrics.received_by_channel(period)
    assert {m: n for m, n in _months(tables).items() if n} == expected
    # a period is a run of local days: February in Dubai starts at 20:00 UTC on 31 January
    feb = DashboardFilters(start=date(2026, 2, 1), end=date(2026, 2, 28))
    if zone == "Asia/Dubai":
        assert feb.start_at == datetime(2026, 1, 31, 20, 0) and feb.end_at == datetime(2026, 2, 28, 20, 0)
    else:
        assert feb.start_at == datetime(2026, 2, 1, 5, 0) and feb.end_at == datetime(2026, 3, 1, 5, 0)
    leap = DashboardFilters(start=date(2024, 2, 1), end=date(2024, 2, 29))
    assert _months(metrics.received_by_channel(leap)) == {"2024-02": expected["2024-02"]}


def test_a_new_case_marks_its_local_month_stale(zone: str) -> None:
    period = DashboardFilters(start=date(2026, 1, 1), end=date(2026, 2, 28))
    metrics.received_by_channel(period)  # computes and stores both months
    db.session.commit()
    make_case(Channel.WEB, received_at=datetime(2026, 1, 31, 23, 30))
    got = _months(metrics.received_by_channel(period))
    assert got == ({"2026-01": 0, "2026-02": 1} if zone == "Asia/Dubai" else {"2026-01": 1, "2026-02": 0})
