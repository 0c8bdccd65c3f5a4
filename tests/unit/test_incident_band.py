"""The incident-to-report band is read from the "when" answer only when it is a date."""

from __future__ import annotations

from datetime import date, datetime

from caseflow.incident import incident_band, parse_incident_date

RECEIVED = datetime(2026, 3, 1, 10, 0)


def test_dates_in_common_forms_are_read() -> None:
    assert parse_incident_date("2026-02-27") == date(2026, 2, 27)
    assert parse_incident_date("on 27/02/2026 at the gate") == date(2026, 2, 27)
    assert parse_incident_date("27.2.2026") == date(2026, 2, 27)
    assert parse_incident_date("2025-11") == date(2025, 11, 1)
    assert parse_incident_date("29/02/2024") == date(2024, 2, 29)


def test_anything_else_is_unknown() -> None:
    for text in ("last Tuesday", "", None, "31/02/2026", "2026-13-01", "about three weeks ago"):
        assert incident_band(text, RECEIVED) is None, text
    assert incident_band("2026-03-05", RECEIVED) is None  # after receipt


def test_bands() -> None:
    assert [incident_band(d, RECEIVED) for d in ("2026-03-01", "2026-02-22", "2026-02-21", "2026-01-30",
                                                 "2025-12-01", "2025-03-01", "2025-02-28")] == [0, 0, 1, 1, 2, 3, 4]
