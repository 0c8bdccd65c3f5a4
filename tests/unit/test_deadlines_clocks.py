"""Clock arithmetic across month ends and time zones, with the clock moved."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from caseflow import deadlines
from caseflow.enums import Priority
from caseflow.extensions import db
from caseflow.intake.operations import acknowledge_case
from tests.factories import make_case
from tests.workspace_helpers import investigation_case


@pytest.fixture
def zone(app, monkeypatch):
    return lambda name: monkeypatch.setitem(app.config, "BABEL_DEFAULT_TIMEZONE", name)


def _clock(case, name):
    return next(c for c in deadlines.case_clocks(case) if c.name == name)


def test_feedback_three_months_after_acknowledgement_clamps_to_month_end(users, clock):
    clock.at = datetime(2026, 11, 30, 10, 0)
    case = make_case()
    acknowledge_case(case, users["intake"])
    assert _clock(case, "feedback").due_at == datetime(2027, 2, 28, 10, 0)
    clock.at = datetime(2027, 8, 31, 23, 30)
    case2 = make_case()
    acknowledge_case(case2, users["intake"])
    assert _clock(case2, "feedback").due_at == datetime(2027, 11, 30, 23, 30)


def test_leap_year_and_year_end(users, clock):
    clock.at = datetime(2027, 11, 29, 8, 0)
    case = make_case()
    acknowledge_case(case, users["intake"])
    assert _clock(case, "feedback").due_at == datetime(2028, 2, 29, 8, 0)
    clock.at = datetime(2026, 12, 28, 12, 0)
    late = make_case()
    assert _clock(late, "acknowledgement").due_at == datetime(2027, 1, 4, 12, 0)
    assert _clock(late, "triage").due_at == datetime(2027, 1, 11, 12, 0)


def test_clock_statuses_move_with_the_clock(users, clock, app):
    case = make_case()
    ack = lambda: _clock(case, "acknowledgement").status  # noqa: E731
    assert ack() == "open"
    clock.advance(days=5, hours=1)
    assert ack() == "due_soon"
    clock.advance(days=2)
    assert ack() == "overdue"
    acknowledge_case(case, users["intake"])
    assert ack() == "late"


def test_investigation_target_by_priority_is_configurable(users, clock, app, monkeypatch):
    case = investigation_case(users, priority=Priority.CRITICAL)
    start = case.investigation_started_at
    assert (_clock(case, "investigation").due_at - start).days == 30
    monkeypatch.setitem(app.config, "CASEFLOW_INVESTIGATION_DAYS",
                        dict(app.config["CASEFLOW_INVESTIGATION_DAYS"], critical=10))
    assert (_clock(case, "investigation").due_at - start).days == 10
    clock.advance(days=11)
    assert _clock(case, "investigation").status == "overdue"


def test_local_date_across_time_zones(clock, zone):
    clock.at = datetime(2026, 3, 31, 23, 30)  # UTC, last day of March
    zone("UTC")
    assert deadlines.local_date() == date(2026, 3, 31)
    zone("Asia/Tokyo")  # already 1 April
    assert deadlines.local_date() == date(2026, 4, 1)
    clock.at = datetime(2026, 4, 1, 2, 0)
    zone("America/Mexico_City")  # still 31 March
    assert deadlines.local_date() == date(2026, 3, 31)


def test_task_overdue_follows_local_day(clock, zone):
    due = date(2026, 3, 31)
    clock.at = datetime(2026, 3, 31, 23, 30)
    zone("UTC")
    assert deadlines.task_status(due, None) == "due_today"
    zone("Asia/Tokyo")
    assert deadlines.task_status(due, None) == "overdue"
    zone("America/Los_Angeles")
    assert deadlines.task_status(due, None) == "due_today"
    clock.advance(days=1)
    assert deadlines.task_status(due, None) == "overdue"
    assert deadlines.task_status(due, clock.at) == "done"
    assert deadlines.task_status(None, None) == "open"


def test_local_times_typed_are_stored_as_utc(zone):
    zone("Europe/Paris")
    winter, summer = datetime(2026, 1, 15, 10, 0), datetime(2026, 7, 15, 10, 0)
    assert deadlines.local_to_utc(winter) == datetime(2026, 1, 15, 9, 0)
    assert deadlines.local_to_utc(summer) == datetime(2026, 7, 15, 8, 0)
    assert deadlines.utc_to_local(datetime(2026, 7, 15, 8, 0)) == summer
    assert deadlines.end_of_local_day(date(2026, 7, 15)) == datetime(2026, 7, 15, 22, 0)


def test_retention_due_per_state(users, clock, app):
    from caseflow import workflow
    from caseflow.enums import CaseState

    case = make_case()
    assert deadlines.retention_due_at(case) is None
    workflow.transition_case(case, CaseState.TRIAGE, users["intake"])
    workflow.transition_case(case, CaseState.DISMISSED, users["supervisor"], reason="Out of scope")
    db.session.commit()
    days = app.config["CASEFLOW_RETENTION_DAYS"]["dismissed"]
    assert (deadlines.retention_due_at(case) - clock.at).days == days
