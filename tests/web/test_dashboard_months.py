"""Month arithmetic in SQL is clamped to the month's last day on both databases, as the case page does."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from caseflow.dashboards.filters import plus_months
from caseflow.deadlines import add_months
from caseflow.extensions import db

MOMENTS = [datetime(2025, 8, 31, 14, 30), datetime(2025, 5, 31, 0, 0), datetime(2023, 11, 30, 23, 59, 59),
           datetime(2023, 11, 29, 8, 0), datetime(2024, 1, 31, 12, 0), datetime(2025, 12, 31, 6, 0),
           datetime(2024, 2, 29, 10, 0), datetime(2025, 3, 15, 9, 45)]


def _as_datetime(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def test_three_months_after_a_month_end_is_the_last_day_not_the_next_month(app: Any) -> None:
    with app.app_context():
        for when in MOMENTS:
            for months in (1, 3, 12):
                got = _as_datetime(db.session.scalar(sa.select(plus_months(sa.literal(when, sa.DateTime), months))))
                assert got == add_months(when, months), (when, months)
        assert add_months(datetime(2025, 8, 31), 3) == datetime(2025, 11, 30)
        assert add_months(datetime(2023, 11, 30), 3) == datetime(2024, 2, 29)
        assert add_months(datetime(2024, 2, 29), 12) == datetime(2025, 2, 28)
