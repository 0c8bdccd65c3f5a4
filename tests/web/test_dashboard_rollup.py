"""The dashboard's materialised monthly aggregates: same numbers as counting the cases, kept fresh by changes
and by the passing of time, and whole months read from the tables rather than recomputed."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from caseflow.cases.operations import add_allegation, add_party, record_finding, update_case_details
from caseflow.dashboards import metrics, rollup
from caseflow.dashboards.aggregates import bucket, bucket_top
from caseflow.dashboards.filters import DashboardFilters
from caseflow.enums import CaseState, Channel, Finding, PartyRole
from caseflow.extensions import db
from caseflow.models import Case, DashboardCell, DashboardMonth, DashboardStale
from tests.factories import category, make_case, make_office

CHANNELS = (Channel.WEB, Channel.PHONE, Channel.WHISTLEBLOWER, Channel.EMAIL)


@pytest.fixture
def mixed(clock: Any) -> dict[str, Any]:
    """60 random cases from September to December 2025 (now is 2 March 2026), with clocks and closures."""
    rng = random.Random(7)
    offices = [make_office("North Gate"), make_office("South Quay")]
    cats = [category("bribery"), category("fraud")]
    cases = []
    for i in range(60):
        received = datetime(2025, 9, 1) + timedelta(days=rng.randint(0, 121), hours=rng.randint(0, 23))
        case = make_case(rng.choice(CHANNELS), title=f"Mixed {i}", received_at=received,
                         office_id=rng.choice(offices).id, category_id=rng.choice(cats).id,
                         is_anonymous=rng.random() < 0.3, commit=False)
        if rng.random() < 0.8:
            case.acknowledged_at = received + timedelta(days=rng.randint(0, 12))
        if rng.random() < 0.7:
            case.triaged_at = received + timedelta(days=rng.randint(1, 30), hours=5)
        if rng.random() < 0.4:
            case.closed_at = received + timedelta(days=rng.randint(20, 150))
            case.state = CaseState.CLOSED
        cases.append(case)
    db.session.commit()
    return {"cases": cases, "offices": offices, "categories": cats}


MONTHS = ["2025-09", "2025-10", "2025-11", "2025-12"]

def _period(start: date = date(2025, 9, 1), end: date = date(2025, 12, 31), **kw: Any) -> DashboardFilters:
    return DashboardFilters(start=start, end=end, **kw)


def _expected_received(cases: list[Case], f: DashboardFilters) -> Counter[tuple[str, str]]:
    out: Counter[tuple[str, str]] = Counter()
    for c in cases:
        if f.start_at <= c.received_at < f.end_at and (not f.office or c.office_id == f.office) and \
                (not f.category or c.category_id == f.category) and (not f.channel or c.channel == f.channel):
            out[(f"{c.received_at:%Y-%m}", c.channel.label)] += 1
    return out


def _shown_received(fig: Any) -> Counter[tuple[str, str]]:
    out: Counter[tuple[str, str]] = Counter()
    for month, row in zip(fig.rows, fig.values, strict=True):
        for col, value in zip(fig.cols, row, strict=True):
            if value:
                out[(month, col)] += int(value)
    return out


def _nearest_rank(values: list[int], q: float) -> float | None:
    ordered = sorted(values)
    if not ordered:
        return None
    k = max(1, -(-int(round(q * len(ordered) * 1000)) // 1000))
    return float(ordered[k - 1])


def test_whole_months_come_from_the_tables_and_match_counting_the_cases(mixed: dict[str, Any]) -> None:
    cases, office = mixed["cases"], mixed["offices"][0]
    rollup.refresh_months(MONTHS)  # the refresh job (cron), never a page
    for f in (_period(), _period(office=office.id), _period(channel=Channel.PHONE),
              _period(office=office.id, category=mixed["categories"][1].id)):
        assert _shown_received(metrics.received_by_channel(f)) == _expected_received(cases, f)
    # the four months were computed once by the job and stored; nothing is stale
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DashboardMonth)) == 8  # 4 months x 2 parts
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DashboardStale)) == 0
    for by_office in (True, False):  # per office, and all offices added up
        stored = db.session.scalar(sa.select(sa.func.sum(DashboardCell.received))
                                   .where(DashboardCell.by_office.is_(by_office)))
        assert stored == 60


def test_clock_compliance_and_durations_match_a_direct_count(mixed: dict[str, Any]) -> None:
    cases, f = mixed["cases"], _period()
    now = datetime(2026, 3, 2, 9, 0)
    met = sum(1 for c in cases if c.acknowledged_at and c.acknowledged_at <= c.received_at + timedelta(days=7))
    late = sum(1 for c in cases if (c.acknowledged_at and c.acknowledged_at > c.received_at + timedelta(days=7))
               or (c.acknowledged_at is None and now > c.received_at + timedelta(days=7)))
    ack = metrics.clock_compliance(f).values[0]
    assert ack[:3] == [met + late, met, late]
    triage_days = [(c.triaged_at - c.received_at).days for c in cases if c.triaged_at]
    # past 60 days the stored histogram has bins: a percentile is reported as the last day of its bin
    close_days = [bucket_top(bucket((c.closed_at - c.received_at).days)) for c in cases if c.closed_at]
    triage, close = metrics.durations(f).values
    assert triage == [len(triage_days), _nearest_rank(triage_days, 0.5), _nearest_rank(triage_days, 0.9)]
    assert close == [len(close_days), _nearest_rank(close_days, 0.5), _nearest_rank(close_days, 0.9)]
    # the same through two filters (counted live) and one filter (from the tables) agree with a direct count
    office = mixed["offices"][1]
    for g in (_period(office=office.id), _period(office=office.id, channel=Channel.WEB)):
        days = [(c.triaged_at - c.received_at).days for c in cases if c.triaged_at and c.office_id == office.id
                and (not g.channel or c.channel == g.channel)]
        assert metrics.durations(g).values[0][:2] == [len(days), _nearest_rank(days, 0.5)]


def test_a_period_starting_mid_month_counts_the_edges_live(mixed: dict[str, Any]) -> None:
    f = _period(start=date(2025, 9, 15), end=date(2025, 11, 10))
    assert _shown_received(metrics.received_by_channel(f)) == _expected_received(mixed["cases"], f)
    assert set(db.session.scalars(sa.select(DashboardMonth.month))) == set()  # a page never writes the tables
    rollup.refresh_months(MONTHS)
    assert _shown_received(metrics.received_by_channel(f)) == _expected_received(mixed["cases"], f)


def test_changes_make_their_month_stale_and_the_next_view_shows_them(mixed: dict[str, Any], clock: Any,
                                                                     users: dict[str, Any]) -> None:
    f = _period()
    rollup.refresh_months(MONTHS)
    db.session.commit()
    before = sum(sum(int(v or 0) for v in row) for row in metrics.received_by_channel(f).values)
    assert before == 60
    make_case(Channel.LETTER, title="Late letter", received_at=datetime(2025, 11, 20))
    assert set(db.session.scalars(sa.select(DashboardStale.month))) == {"2025-11"}
    fig = metrics.received_by_channel(f)
    assert fig.values[fig.rows.index("2025-11")][fig.cols.index(Channel.LETTER.label)] == 1  # counted live
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DashboardStale)) == 1  # until the job runs
    rollup.refresh_all_stale()
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DashboardStale)) == 0
    fig = metrics.received_by_channel(f)
    assert fig.values[fig.rows.index("2025-11")][fig.cols.index(Channel.LETTER.label)] == 1  # from the tables
    # a finding recorded in December appears in that month's findings
    case, lead = next(c for c in mixed["cases"] if c.state == CaseState.RECEIVED), users["investigator"]
    party = add_party(case, lead, PartyRole.SUBJECT, "Officer Quist")
    allegation = add_allegation(case, lead, party, "asked for cash")
    clock.at = datetime(2025, 12, 5, 10, 0)
    record_finding(allegation, lead, Finding.SUSTAINED, "Two witnesses.")
    clock.at = datetime(2026, 3, 2, 9, 0)
    db.session.commit()
    assert metrics.substantiation(f).values[0][:2] == [1, 1]
    # moving a case to another office moves its count on the office's dashboard
    office = mixed["offices"][0]
    moved = next(c for c in mixed["cases"] if c.office_id != office.id)
    on_office = sum(sum(int(v or 0) for v in r) for r in metrics.received_by_channel(_period(office=office.id)).values)
    update_case_details(moved, users["supervisor"], office_id=office.id)
    db.session.commit()
    after = sum(sum(int(v or 0) for v in r) for r in metrics.received_by_channel(_period(office=office.id)).values)
    assert after == on_office + 1


def test_a_rolled_back_change_leaves_nothing_stale(mixed: dict[str, Any]) -> None:
    rollup.refresh_months(MONTHS)
    db.session.commit()
    make_case(Channel.WEB, title="Never kept", received_at=datetime(2025, 10, 3), commit=False)
    db.session.flush()
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DashboardStale)) == 0


def test_a_running_clock_falling_due_updates_a_stored_month_without_any_change(clock: Any) -> None:
    clock.at = datetime(2026, 2, 3, 12, 0)
    make_case(Channel.WEB, title="Fresh", received_at=datetime(2026, 1, 30, 10, 0))  # ack due 6 Feb 10:00
    f = _period(start=date(2026, 1, 1), end=date(2026, 1, 31))
    assert metrics.clock_compliance(f).values[0][:3] == [0, 0, 0]  # still running: left out
    rollup.refresh_months(["2026-01"])
    valid = db.session.scalar(sa.select(DashboardMonth.valid_until).where(DashboardMonth.part == "cases"))
    assert valid == datetime(2026, 2, 6, 10, 0)
    clock.advance(days=3)
    assert metrics.clock_compliance(f).values[0][:3] == [1, 0, 1]  # now past due and not done: late


def test_changing_the_clock_settings_recomputes_stored_months(mixed: dict[str, Any], app: Any,
                                                          monkeypatch: Any) -> None:
    f = _period()
    first = metrics.clock_compliance(f).values[0][1]
    monkeypatch.setitem(app.config, "CASEFLOW_ACK_DAYS", 30)
    assert metrics.clock_compliance(f).values[0][1] > first


def test_refreshing_twice_never_double_counts(mixed: dict[str, Any]) -> None:
    months = ["2025-09", "2025-10", "2025-11", "2025-12"]
    rollup.refresh_months(months, force=True)
    rollup.refresh_months(months, force=True)
    assert db.session.scalar(sa.select(sa.func.sum(DashboardCell.received))) == 120  # per office + all offices
    assert rollup.rebuild_all() >= 8
    assert db.session.scalar(sa.select(sa.func.sum(DashboardCell.received))) == 120


def test_the_refresh_command_reports_what_it_did(mixed: dict[str, Any], app: Any) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["caseflow", "dashboard-refresh", "--all"])
    assert result.exit_code == 0, result.output
    assert "month parts recomputed" in result.output
    make_case(Channel.WEB, title="One more", received_at=datetime(2025, 10, 9))
    result = runner.invoke(args=["caseflow", "dashboard-refresh"])
    assert "2 month parts" in result.output or "1 month parts" in result.output


def test_histogram_buckets_are_days_then_weeks_then_thirty_days() -> None:
    assert [bucket(d) for d in (0, 13, 60)] == [0, 13, 60]
    assert [bucket(d) for d in (61, 67, 68, 365)] == [61, 61, 68, 362]
    assert [bucket(d) for d in (366, 395, 396, -3)] == [366, 366, 396, 0]
    assert [bucket_top(bucket(d)) for d in (60, 61, 70, 81, 364, 366)] == [60, 67, 74, 81, 365, 395]
    assert rollup.percentiles(Counter({1: 5, 10: 5}), (0.5, 0.9)) == (10, [1.0, 10.0])
    assert rollup.percentiles(Counter(), (0.5,)) == (0, [None])


def test_a_bulk_csv_import_marks_its_months_stale(mixed: dict[str, Any], users: dict[str, Any]) -> None:
    from caseflow.channels.csvimport import import_csv

    f = _period()
    before = sum(sum(int(v or 0) for v in row) for row in metrics.received_by_channel(f).values)
    rows = "source_reference,title,description,received_at\n" + "".join(
        f"REF-{i},Imported {i},What happened {i},2025-10-{10 + i:02d}\n" for i in range(3))
    import_csv(rows.encode(), users["intake"])
    db.session.commit()
    fig = metrics.received_by_channel(f)
    assert sum(sum(int(v or 0) for v in row) for row in fig.values) == before + 3
    assert fig.values[fig.rows.index("2025-10")][fig.cols.index(Channel.CSV.label)] == 3


def test_the_current_month_is_stored_too_and_follows_new_cases(clock: Any) -> None:
    make_case(Channel.WEB, title="Early March", received_at=datetime(2026, 3, 1, 8, 0))
    f = _period(start=date(2026, 1, 1), end=date(2026, 3, 2))  # ends today (the clock: 2 March 2026, 09:00)
    rollup.refresh_months(["2026-01", "2026-02", "2026-03"])  # the job
    db.session.commit()
    fig = metrics.received_by_channel(f)
    assert fig.values[fig.rows.index("2026-03")][fig.cols.index(Channel.WEB.label)] == 1
    assert "2026-03" in set(db.session.scalars(sa.select(DashboardMonth.month)))
    make_case(Channel.WEB, title="This morning", received_at=datetime(2026, 3, 2, 8, 30))
    fig = metrics.received_by_channel(f)
    assert fig.values[fig.rows.index("2026-03")][fig.cols.index(Channel.WEB.label)] == 2
    # a case dated after the period's end (a letter entered with tomorrow's date) keeps the month live
    make_case(Channel.LETTER, title="Dated tomorrow", received_at=datetime(2026, 3, 3, 10, 0))
    fig = metrics.received_by_channel(f)
    assert Channel.LETTER.label not in fig.cols  # not counted: received after the period
    assert sum(int(v or 0) for v in fig.values[fig.rows.index("2026-03")]) == 2


def test_a_page_counts_stale_months_live_and_writes_nothing(mixed: dict[str, Any]) -> None:
    f = _period()
    rollup.refresh_months(MONTHS)  # the job computed the months
    db.session.commit()
    make_case(Channel.LETTER, title="After the refresh", received_at=datetime(2025, 11, 20))
    stored_before = db.session.scalar(sa.select(sa.func.sum(DashboardCell.received)))
    fig = metrics.received_by_channel(f)
    assert fig.values[fig.rows.index("2025-11")][fig.cols.index(Channel.LETTER.label)] == 1  # counted live
    assert _shown_received(fig) == _expected_received(list(db.session.scalars(sa.select(Case))), f)
    assert db.session.scalar(sa.select(sa.func.sum(DashboardCell.received))) == stored_before  # nothing written
    assert set(db.session.scalars(sa.select(DashboardStale.month))) == {"2025-11"}  # still stale for the job
