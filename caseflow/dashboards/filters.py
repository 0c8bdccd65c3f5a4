"""Dashboard filters (period, office, category, channel, unit) and the dialect-aware SQL pieces the figures share."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any, cast

import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from caseflow import access
from caseflow.cases.queries import _int_or_none
from caseflow.dashboards.months import day_start
from caseflow.deadlines import add_months, local_date
from caseflow.enums import Channel
from caseflow.inputs import MIN_RECEIVED, parse_date
from caseflow.models import Case
from caseflow.sqlcompat import is_postgres


def _date_or_none(value: str | None) -> date | None:
    """Return the date typed if it lies between 1990 and next year (a dashboard period), else None."""
    today = local_date()
    return parse_date(value, MIN_RECEIVED, date(today.year + 1, 12, 31))


@dataclass
class DashboardFilters:
    """The period (inclusive dates) and the optional office, category, channel and reporting unit of a dashboard."""

    start: date
    end: date
    office: int | None = None
    category: int | None = None
    channel: Channel | None = None
    unit: int | None = None
    walled: tuple[int, ...] | None = None  # the viewer's units (cases with no unit count too); None: every case

    @classmethod
    def default_period(cls) -> tuple[date, date]:
        """Return the last twelve calendar months, this one included (local dates)."""
        today = local_date()
        start = add_months(datetime(today.year, today.month, 1), -11).date()
        return start, today

    @classmethod
    def from_args(cls, args: MultiDict[str, str] | dict[str, Any]) -> DashboardFilters:
        """Parse filters from query-string arguments; malformed values fall back to the defaults."""
        start, end = cls.default_period()
        start = _date_or_none(args.get("start")) or start
        end = _date_or_none(args.get("end")) or end
        if end < start:
            start, end = end, start
        if (end - start).days > 366 * 10:
            start = end - timedelta(days=366 * 10)
        try:
            channel = Channel(str(args.get("channel"))) if args.get("channel") else None
        except ValueError:
            channel = None
        return cls(start=start, end=end, office=_int_or_none(args.get("office")),
                   category=_int_or_none(args.get("category")), channel=channel, unit=_int_or_none(args.get("unit")))

    def whole_months(self) -> DashboardFilters:
        """Return the filters with the period widened to whole calendar months (what managers may ask for)."""
        last = add_months(datetime(self.end.year, self.end.month, 1), 1).date() - timedelta(days=1)
        return replace(self, start=self.start.replace(day=1), end=last)

    def as_args(self) -> dict[str, str]:
        """Return the filters as query-string arguments."""
        out = {"start": self.start.isoformat(), "end": self.end.isoformat()}
        for name in ("office", "category", "unit"):
            if getattr(self, name):
                out[name] = str(getattr(self, name))
        if self.channel:
            out["channel"] = self.channel.value
        return out

    @property
    def start_at(self) -> datetime:
        """Return the first moment of the period (local midnight, as naive UTC)."""
        return day_start(self.start)

    @property
    def end_at(self) -> datetime:
        """Return the first moment after the period (local midnight, as naive UTC)."""
        return day_start(self.end + timedelta(days=1))

    def scope(self) -> list[sa.ColumnElement[bool]]:
        """Return the office, category, channel and unit conditions (no period)."""
        conds: list[sa.ColumnElement[bool]] = []
        if self.office:
            conds.append(Case.office_id == self.office)
        if self.category:
            conds.append(Case.category_id == self.category)
        if self.channel:
            conds.append(Case.channel == self.channel)
        if self.unit:
            conds.append(Case.unit_id == self.unit)
        if self.walled is not None:
            conds.append(access.units_wall_clause(self.walled))
        return conds

    def received(self) -> list[sa.ColumnElement[bool]]:
        """Return the scope conditions plus 'received during the period'."""
        return [*self.scope(), Case.received_at >= self.start_at, Case.received_at < self.end_at]

    def months(self) -> list[tuple[int, int]]:
        """Return the (year, month) pairs the period touches, in order."""
        out, year, month = [], self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            out.append((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return out


def days_between(start: Any, end: Any) -> sa.ColumnElement[float]:
    """Return a SQL expression: the days (fractional) from one timestamp column to another."""
    if is_postgres():
        return cast(sa.ColumnElement[float], sa.extract("epoch", end - start) / 86400.0)
    return cast(sa.ColumnElement[float], sa.func.julianday(end) - sa.func.julianday(start))


def not_after(first: Any, second: Any) -> sa.ColumnElement[bool]:
    """Return a SQL condition: the first timestamp is at or before the second (days_between(first, second) >= 0).

    PostgreSQL compares timestamps directly (no per-row interval arithmetic); SQLite stores them as text in
    another format than its date functions return, so it compares Julian days.
    """
    if is_postgres():
        return cast(sa.ColumnElement[bool], first <= second)
    return cast(sa.ColumnElement[bool], days_between(first, second) >= 0)


def plus_months(column: Any, months: int) -> sa.ColumnElement[Any]:
    """Return a SQL expression: a timestamp some months later, comparable with days_between()."""
    if is_postgres():  # PostgreSQL clamps to the month's last day: 31 Aug + 3 months = 30 Nov
        return column + sa.func.make_interval(0, int(months))
    # SQLite's '+N months' overflows into the next month (31 Aug + 3 months = 1 Dec): when the day changed,
    # take the last day of the target month instead, at the same time of day, as add_months() does.
    months = int(months)
    naive = sa.func.datetime(column, f"{months:+d} months")
    last_day = sa.func.date(column, "start of month", f"{months + 1:+d} months", "-1 day")
    clamped = sa.func.datetime(last_day, sa.func.time(column))
    return sa.case((sa.func.strftime("%d", naive) == sa.func.strftime("%d", column), naive), else_=clamped)


def plus_days(column: Any, days: int) -> sa.ColumnElement[Any]:
    """Return a SQL expression: a timestamp some days later."""
    if is_postgres():
        return column + sa.func.make_interval(0, 0, 0, int(days))
    return sa.func.datetime(column, f"+{int(days)} days")


def as_julian(column: Any) -> sa.ColumnElement[Any]:
    """Return a value that orders and compares timestamps the same way on both databases."""
    if is_postgres():
        return column
    return sa.func.julianday(column)
