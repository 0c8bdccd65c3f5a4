"""Materialised dashboard aggregates, refreshed incrementally, and the figures' inputs read from them.

Whole calendar months of a period are read from the dashboard_* tables; a month is recomputed when a change
marked it stale (caseflow/dashboards/stale.py), when a clock that was still running in it falls due, when the
clock settings change, or when it was never computed. The partial months at the edges of a period are
computed live with the same queries (caseflow/dashboards/aggregates.py).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from caseflow.clock import utcnow
from caseflow.dashboards import aggregates as agg
from caseflow.dashboards.filters import DashboardFilters
from caseflow.dashboards.months import month_end, month_key, month_start, next_key
from caseflow.extensions import db
from caseflow.models.rollup import DashboardCell, DashboardDuration, DashboardFinding, DashboardMonth, DashboardStale
from caseflow.sqlcompat import is_postgres

PARTS = ("cases", "findings")
KEY_COLUMNS = tuple(f"key_{name}" for name in agg.CELL_COUNTS)  # each count's sum of record keys
CELL_COLUMNS = agg.CELL_COUNTS + KEY_COLUMNS
LOCK_KEY = 0x0CA5EF10  # PostgreSQL advisory lock: one refresh at a time


def _runs(months: list[str]) -> list[tuple[datetime, datetime]]:
    """Return contiguous [start, end) ranges covering the months."""
    out: list[tuple[datetime, datetime]] = []
    for key in sorted(set(months)):
        start, end = month_start(key), month_end(key)
        if out and out[-1][1] == start:
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def _needing_refresh(months: list[str], now: datetime) -> dict[str, set[str]]:
    """Return, per part, the months that must be recomputed before they are read."""
    if not months:
        return {}
    settings = agg.settings_key()
    done = {(r.month, r.part): r for r in db.session.scalars(
        sa.select(DashboardMonth).where(DashboardMonth.month.in_(months)))}
    stale = set(db.session.execute(sa.select(DashboardStale.month, DashboardStale.part).distinct()
                                   .where(DashboardStale.month.in_(months))).tuples())
    out: dict[str, set[str]] = {}
    for part in PARTS:
        for m in months:
            row = done.get((m, part))
            if row is None or (m, part) in stale or row.settings != settings or \
                    (row.valid_until is not None and row.valid_until <= now):
                out.setdefault(part, set()).add(m)
    return out


def _lock() -> None:
    """Serialise refreshes: an advisory lock on PostgreSQL, the database write lock on SQLite."""
    if is_postgres():
        db.session.execute(sa.select(sa.func.pg_advisory_xact_lock(LOCK_KEY)))
    else:
        db.session.execute(sa.update(DashboardMonth).where(sa.false()).values(settings=DashboardMonth.settings))


def _write_month_rows(part: str, months: set[str], now: datetime, valid: dict[str, datetime | None]) -> None:
    settings = agg.settings_key()
    db.session.execute(sa.delete(DashboardMonth).where(DashboardMonth.part == part,
                                                       DashboardMonth.month.in_(months)))
    db.session.execute(sa.insert(DashboardMonth), [
        {"month": m, "part": part, "refreshed_at": now, "valid_until": valid.get(m), "settings": settings}
        for m in sorted(months)])


def _refresh_cases(months: set[str], now: datetime) -> None:
    db.session.execute(sa.delete(DashboardCell).where(DashboardCell.month.in_(months)))
    db.session.execute(sa.delete(DashboardDuration).where(DashboardDuration.month.in_(months)))
    valid: dict[str, datetime | None] = {}
    for start, end in _runs(list(months)):
        cells = agg.query_cells(start, end, [], now, keyed=True)
        if cells:
            width = len(CELL_COLUMNS)
            all_offices: dict[tuple[Any, ...], list[int]] = {}
            for c in cells:
                total = all_offices.setdefault((c.month, c.category_id, c.channel, c.is_anonymous), [0] * width)
                total[:] = [a + b for a, b in zip(total, c.counts + c.keys, strict=True)]
            rows = [{"month": c.month, "by_office": True, "office_id": c.office_id, "category_id": c.category_id,
                     "channel": c.channel, "is_anonymous": c.is_anonymous,
                     **dict(zip(CELL_COLUMNS, c.counts + c.keys, strict=True))} for c in cells]
            rows += [{"month": m, "by_office": False, "office_id": None, "category_id": cat, "channel": ch,
                      "is_anonymous": anon, **dict(zip(CELL_COLUMNS, values, strict=True))}
                     for (m, cat, ch, anon), values in all_offices.items()]
            db.session.execute(sa.insert(DashboardCell), rows)
        for c in cells:
            first = valid.get(c.month)
            if c.valid_until is not None and (first is None or c.valid_until < first):
                valid[c.month] = c.valid_until
        histogram = agg.split_histogram(agg.query_durations(start, end, []))
        if histogram:
            names = ("month", "dims", "office_id", "category_id", "channel", "kind", "days", "n")
            db.session.execute(sa.insert(DashboardDuration), [dict(zip(names, r, strict=True)) for r in histogram])
    _write_month_rows("cases", months, now, valid)


def _refresh_findings(months: set[str], now: datetime) -> None:
    db.session.execute(sa.delete(DashboardFinding).where(DashboardFinding.month.in_(months)))
    for start, end in _runs(list(months)):
        rows = agg.query_findings(start, end, [])
        if rows:
            names = ("month", "office_id", "category_id", "channel", "is_anonymous", "finding", "sanction", "n",
                     "key_sum")
            db.session.execute(sa.insert(DashboardFinding), [dict(zip(names, r, strict=True)) for r in rows])
    _write_month_rows("findings", months, now, {})


def refresh_months(months: list[str], force: bool = False) -> int:
    """Recompute the months that need it (all given months if force); return how many (the caller commits)."""
    now = utcnow()
    if not force and not _needing_refresh(months, now):
        return 0
    _lock()
    # after the lock: another request may have refreshed them meanwhile
    todo = {part: set(months) for part in PARTS} if force else _needing_refresh(months, now)
    last_stale = db.session.scalar(sa.select(sa.func.max(DashboardStale.id))) or 0
    if todo.get("cases"):
        _refresh_cases(todo["cases"], now)
    if todo.get("findings"):
        _refresh_findings(todo["findings"], now)
    for part, done in todo.items():
        db.session.execute(sa.delete(DashboardStale).where(DashboardStale.part == part,
                                                           DashboardStale.month.in_(done),
                                                           DashboardStale.id <= last_stale))
    return sum(len(v) for v in todo.values())


def refresh_all_stale() -> int:
    """Recompute every computed month that became stale or whose running clocks fell due; return the count."""
    months = set(db.session.scalars(sa.select(DashboardMonth.month).distinct()))
    months |= set(db.session.scalars(sa.select(DashboardStale.month).distinct()))
    return refresh_months(sorted(months))


def rebuild_all() -> int:
    """Recompute every month that has cases or findings; return the number of months."""
    first = db.session.scalar(sa.select(sa.func.min(agg.Case.received_at)))
    first_finding = db.session.scalar(sa.select(sa.func.min(agg.Allegation.finding_at)))
    starts = [d for d in (first, first_finding) if d is not None]
    if not starts:
        return 0
    months, key, last = [], month_key(min(starts)), month_key(utcnow())
    while key <= last:
        months.append(key)
        key = next_key(key)
    db.session.execute(sa.delete(DashboardStale))
    return refresh_months(months, force=True)


@dataclass
class Inputs:
    """What the period-based figures are computed from, for one set of filters."""

    cells: list[agg.Cell] = field(default_factory=list)
    durations: dict[str, Counter[int]] = field(default_factory=dict)
    findings: list[tuple[Any, ...]] = field(default_factory=list)  # (finding, sanction, count[, key])
    open_rows: list[agg.OpenRow] = field(default_factory=list)  # open cases now (not period-based)
    duration_keys: dict[str, int] = field(default_factory=dict)  # protected: keys of the cases measured
    protected: bool = False  # read live with record keys: exact days, every count keyed (protect.py)
    director: Any = None  # the director's counts (caseflow/dashboards/director.py), read on first use


def load_protected_inputs(f: DashboardFilters) -> Inputs:
    """Return the inputs of a manager's figures: every count with its records' key, durations in exact days."""
    return load_inputs(f, keyed=True)


def _nothing_after(end: datetime, key: str) -> bool:
    """Tell whether a period ending inside month `key` covers all of it: the end is not in the past and no case
    or finding of that month is dated after it (so the current month is read from the tables too)."""
    if end <= utcnow():
        return False
    later = sa.or_(
        sa.exists().where(agg.Case.received_at >= end, agg.Case.received_at < month_end(key)),
        sa.exists().where(agg.Allegation.finding_at >= end, agg.Allegation.finding_at < month_end(key)))
    return not db.session.scalar(sa.select(later))


def _split_period(f: DashboardFilters) -> tuple[list[str], list[tuple[datetime, datetime]]]:
    """Return the whole months inside the period and the partial ranges at its edges."""
    start, end = f.start_at, f.end_at
    keys = [f"{y:04d}-{m:02d}" for y, m in f.months()]
    whole = [k for k in keys if month_start(k) >= start and (month_end(k) <= end or _nothing_after(end, k))]
    if not whole:
        return [], [(start, end)]
    edges = []
    if start < month_start(whole[0]):
        edges.append((start, month_start(whole[0])))
    if month_end(whole[-1]) < end:
        edges.append((month_end(whole[-1]), end))

    return whole, edges


def _dims(f: DashboardFilters) -> int:
    return (agg.OFFICE if f.office else 0) | (agg.CATEGORY if f.category else 0) | (agg.CHANNEL if f.channel else 0)


def scope_where(model: Any, f: DashboardFilters) -> list[Any]:
    conds = []
    if f.office:
        conds.append(model.office_id == f.office)
    if f.category:
        conds.append(model.category_id == f.category)
    if f.channel:
        conds.append(model.channel == f.channel.value)
    return conds


def split_stored(f: DashboardFilters) -> tuple[list[str], list[tuple[datetime, datetime]]]:
    """Return the months of the period read from the tables and the ranges counted live (edges, stale months)."""
    # The stored monthly tables are not kept by reporting unit: a unit's (or a walled viewer's) figures are live.
    whole, edges = ([], [(f.start_at, f.end_at)]) if f.unit or f.walled is not None else _split_period(f)
    # A page never writes: months the refresh job has not brought up to date yet are counted live.
    todo = set().union(*_needing_refresh(whole, utcnow()).values())
    edges += [(month_start(m), month_end(m)) for m in sorted(todo)]
    return [m for m in whole if m not in todo], edges


def _stored_cells(whole: list[str], f: DashboardFilters, keyed: bool) -> list[agg.Cell]:
    """Return the period's stored cells, offices added up (or the one office filtered), keys summed if keyed."""
    keys = (DashboardCell.month, DashboardCell.category_id, DashboardCell.channel, DashboardCell.is_anonymous)
    names = CELL_COLUMNS if keyed else agg.CELL_COUNTS
    sums = [sa.func.sum(getattr(DashboardCell, name)) for name in names]
    stmt = (sa.select(*keys, *sums).where(DashboardCell.month.in_(whole), *scope_where(DashboardCell, f),
                                          DashboardCell.by_office.is_(bool(f.office))).group_by(*keys))
    width = len(agg.CELL_COUNTS)
    return [agg.Cell(month, f.office, category, channel, bool(anonymous), [int(v) for v in values[:width]],
                     keys=[int(v) for v in values[width:]])
            for month, category, channel, anonymous, *values in db.session.execute(stmt)]


def stored_findings(months: list[str], f: DashboardFilters) -> list[tuple[Any, ...]]:
    """Return (month, office, category, channel, anonymous, finding, sanction, n, key) rows of stored months."""
    if not months:
        return []
    t = DashboardFinding
    groups = (t.month, t.office_id, t.category_id, t.channel, t.is_anonymous, t.finding, t.sanction)
    stmt = (sa.select(*groups, sa.func.sum(t.n), sa.func.sum(t.key_sum))
            .where(t.month.in_(months), *scope_where(t, f)).group_by(*groups))
    return [(*row[:4], bool(row[4]), *row[5:7], int(row[7]), int(row[8])) for row in db.session.execute(stmt)]


def load_inputs(f: DashboardFilters, keyed: bool = False) -> Inputs:
    """Return the figures' inputs for the filters: whole months from the tables, edges and stale months live.

    Keyed (a manager's view), every count comes with its records' key and durations are counted live in exact
    days (the tables bin them).
    """
    whole, edges = split_stored(f)
    now, scope, out = utcnow(), f.scope(), Inputs(protected=keyed)
    out.open_rows = agg.query_open(scope, now, keyed=keyed)
    if whole:
        out.cells = _stored_cells(whole, f, keyed)
    findings = stored_findings(whole, f)
    for start, end in edges:
        out.cells += agg.query_cells(start, end, scope, now, by_office=False, keyed=keyed)
        findings += agg.query_findings(start, end, scope)
    out.findings = [(r[5], r[6], r[7], r[8]) if keyed else (r[5], r[6], r[7]) for r in findings]
    if keyed:
        out.durations = agg.count_durations(f.start_at, f.end_at, scope, exact_days=True)
        out.duration_keys = agg.duration_keys(f.start_at, f.end_at, scope)
        return out
    out.durations = {kind: Counter() for kind in agg.DURATION_KINDS}
    dims = _dims(f)
    if dims in agg.DIM_SETS and whole:
        stmt = (sa.select(DashboardDuration.kind, DashboardDuration.days, sa.func.sum(DashboardDuration.n))
                .where(DashboardDuration.month.in_(whole), DashboardDuration.dims == dims,
                       *scope_where(DashboardDuration, f))
                .group_by(DashboardDuration.kind, DashboardDuration.days))
        for kind, days, n in db.session.execute(stmt):
            out.durations[kind][int(days)] += int(n)
        live = edges
    else:  # two or more filters: few cases, count them directly over the whole period
        live = [(f.start_at, f.end_at)]
    for start, end in live:
        for kind, histogram in agg.count_durations(start, end, scope).items():
            out.durations[kind].update(histogram)
    return out


def percentiles(histogram: Counter[int], qs: tuple[float, ...],
                binned: bool = True) -> tuple[int, list[float | None]]:
    """Return (n, nearest-rank percentiles) of a histogram of whole days or bins (a bin gives its upper bound)."""
    n = sum(histogram.values())
    if n == 0:
        return 0, [None for _q in qs]
    out: list[float | None] = []
    ordered = sorted(histogram.items())
    for q in qs:
        rank, seen = max(1, math.ceil(round(q * n, 9))), 0
        for days, count in ordered:
            seen += count
            if seen >= rank:
                out.append(float(agg.bucket_top(days) if binned else days))
                break
    return n, out

