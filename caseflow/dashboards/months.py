"""Calendar months in the installation's time zone (CASEFLOW_TIMEZONE): the dashboard's months and periods.

Timestamps are stored as naive UTC. A month is cut at local midnight of its first day, so a case received at
23:30 UTC on 31 January counts in February in Asia/Dubai. In SQL a timestamp's month is a comparison with the
UTC instants of the local month starts of the range asked (the same on both databases, daylight saving
included); in UTC it is the plain month of the timestamp.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from caseflow.deadlines import local_zone
from caseflow.sqlcompat import is_postgres


def zone() -> ZoneInfo:
    """Return the installation's time zone."""
    return local_zone()


def _utc(local: datetime) -> datetime:
    return local.replace(tzinfo=zone()).astimezone(UTC).replace(tzinfo=None)


def day_start(day: date) -> datetime:
    """Return the naive-UTC instant at which a local calendar day begins."""
    return _utc(datetime(day.year, day.month, day.day))


def month_key(when: datetime) -> str:
    """Return the local 'YYYY-MM' month of a naive-UTC moment."""
    local = when.replace(tzinfo=UTC).astimezone(zone())
    return f"{local.year:04d}-{local.month:02d}"


def next_key(key: str) -> str:
    """Return the month after a 'YYYY-MM' month."""
    year, month = int(key[:4]), int(key[5:7])
    return f"{year + month // 12:04d}-{month % 12 + 1:02d}"


def month_start(key: str) -> datetime:
    """Return the naive-UTC instant at which a local 'YYYY-MM' month begins."""
    return day_start(date(int(key[:4]), int(key[5:7]), 1))


def month_end(key: str) -> datetime:
    """Return the naive-UTC instant at which a local 'YYYY-MM' month ends (the next one begins)."""
    return month_start(next_key(key))


def _is_utc() -> bool:
    return zone().utcoffset(datetime(2000, 1, 1)) == timedelta(0) and \
        zone().utcoffset(datetime(2000, 7, 1)) == timedelta(0)


def month_expr(column: Any, start: datetime, end: datetime) -> sa.ColumnElement[str]:
    """Return a SQL expression: the local 'YYYY-MM' month of a timestamp column lying in [start, end)."""
    if _is_utc():
        if is_postgres():
            return sa.func.to_char(column, "YYYY-MM")
        return sa.func.strftime("%Y-%m", column)
    first, last = month_key(start), month_key(end - timedelta(microseconds=1))
    whens, key = [], first
    while key < last:
        following = next_key(key)
        whens.append((column < sa.literal(month_start(following), sa.DateTime), key))
        key = following
    if not whens:
        return sa.literal(first, sa.String)
    return sa.case(*whens, else_=sa.literal(last, sa.String))
