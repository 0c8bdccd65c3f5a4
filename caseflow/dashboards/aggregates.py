"""The dashboard's aggregate queries over the case tables, grouped by month, office, category and channel.

The same queries fill the materialised tables (caseflow/dashboards/rollup.py, whole months) and answer the
partial months at the edges of a period live, so both paths give the same numbers by construction.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app

from caseflow import deadlines
from caseflow.dashboards.filters import not_after, plus_days, plus_months
from caseflow.dashboards.months import month_expr
from caseflow.dashboards.protect import key_sum, record_key
from caseflow.enums import CaseState
from caseflow.extensions import db
from caseflow.models import Allegation, Case
from caseflow.sqlcompat import is_postgres

AGE_BANDS = ((0, 30, "0–30"), (31, 90, "31–90"), (91, 180, "91–180"), (181, None, ">180"))
WORK_STATES = (CaseState.TRIAGE, CaseState.INVESTIGATION, CaseState.ON_HOLD, CaseState.REPORTING)

CELL_COUNTS = ("received", "ack_met", "ack_late", "triage_met", "triage_late", "feedback_met", "feedback_late",
               "followed_up")
DURATION_KINDS = ("triage", "close")
# Which dimensions a histogram row is split by (bit mask); 0 is all cases of the month.
OFFICE, CATEGORY, CHANNEL = 1, 2, 4
DIM_SETS = (0, OFFICE, CATEGORY, CHANNEL)


@dataclass
class Cell:
    """Counts of the cases received in one month for one office, category, channel and anonymity."""

    month: str
    office_id: int | None
    category_id: int | None
    channel: str
    is_anonymous: bool
    counts: list[int]
    valid_until: datetime | None = None  # the first moment a still-running clock of these cases falls due
    keys: list[int] = field(default_factory=list)  # per count, the sum of its records' keys (protected views)


@dataclass
class OpenRow:
    """Open cases now of one state, age band and lead investigator, and how many have each clock overdue."""

    state: str
    band: int
    lead: int | None
    count: int
    overdue: list[int]  # acknowledgement, triage, feedback, investigation, any clock
    keys: list[int] = field(default_factory=list)  # protected views: keys of count, then of each overdue


def query_open(scope: list[Any], now: datetime, keyed: bool = False) -> list[OpenRow]:
    """Return the open cases now grouped by state, age band and lead, with overdue counts (one scan)."""
    whens = [(Case.received_at <= now - timedelta(days=lo), i) for i, (lo, _hi, _l) in enumerate(AGE_BANDS)][1:]
    band = sa.case(*reversed(whens), else_=0)
    windows = deadlines._windows(None, now)  # noqa: SLF001 - the per-clock conditions of overdue_clause()
    parts = [windows[0], windows[1], windows[2], sa.or_(*windows[3:]) if len(windows) > 3 else sa.false(),
             sa.or_(*windows)]
    # Each condition and the record key are computed once per case in a fenced subquery (OFFSET 0 keeps the
    # planner from inlining it), then summed: inlined, PostgreSQL evaluated them once per aggregate.
    row = sa.select(Case.state.label("state"), band.label("band"), Case.lead_investigator_id.label("lead"),
                    *[sa.case((cond, 1), else_=0).label(f"due{i}") for i, cond in enumerate(parts)],
                    *([record_key(Case.id).label("key")] if keyed else [])) \
        .where(Case.state.in_(deadlines.OPEN_STATES), *scope).offset(0).subquery()
    flags = [row.c[f"due{i}"] for i in range(len(parts))]
    keys = [key_sum(cond, row.c.key) for cond in (sa.true(), *[flag == 1 for flag in flags])] if keyed else []
    stmt = (sa.select(row.c.state, row.c.band, row.c.lead, sa.func.count(), *[sa.func.sum(f) for f in flags], *keys)
            .group_by(row.c.state, row.c.band, row.c.lead))
    return [OpenRow(_text(r[0]) or "", int(r[1]), r[2], int(r[3]), [int(v or 0) for v in r[4:9]],
                    [int(v or 0) for v in r[9:]]) for r in db.session.execute(stmt)]


def whole_days(start: Any, end: Any) -> sa.ColumnElement[int]:
    """Return a SQL expression: whole days from one timestamp column to another (rounded down)."""
    if is_postgres():
        return sa.cast(sa.func.floor(sa.extract("epoch", end - start) / 86400.0), sa.Integer)
    return sa.cast(sa.func.julianday(end) - sa.func.julianday(start), sa.Integer)


def bucket(days: int) -> int:
    """Return the histogram bucket of a duration: exact days to 60, then weeks to a year, then 30-day blocks."""
    days = max(0, int(days))
    if days <= 60:
        return days
    if days <= 365:
        return 61 + (days - 61) // 7 * 7
    return 366 + (days - 366) // 30 * 30


def bucket_top(start: int) -> int:
    """Return the last day a histogram bucket holds (a percentile falling in it is at most that)."""
    if start <= 60:
        return start
    if start <= 365:
        return min(365, start + 6)
    return start + 29


def settings_key() -> str:
    """Return the clock settings the compliance counts depend on (a change makes every month stale)."""
    cfg = current_app.config
    return f"v1 ack={cfg['CASEFLOW_ACK_DAYS']} triage={cfg['CASEFLOW_TRIAGE_DAYS']} " \
           f"feedback={cfg['CASEFLOW_FEEDBACK_MONTHS']} tz={cfg.get('BABEL_DEFAULT_TIMEZONE') or 'UTC'}"


def _followed_up() -> sa.ColumnElement[bool] | None:
    """Return 'the reporter came back' (logged in or wrote) from the reporting tables, if they exist."""
    tables = db.metadata.tables
    conds = []
    messages = tables.get("reporter_messages")
    if messages is not None and "direction" in messages.c:
        conds.append(sa.exists().where(messages.c.case_id == Case.id, messages.c.direction == "reporter"))
    submissions = tables.get("report_submissions")
    if submissions is not None and "last_reporter_login_at" in submissions.c:
        conds.append(sa.exists().where(submissions.c.case_id == Case.id,
                                       submissions.c.last_reporter_login_at.is_not(None)))
    return sa.or_(*conds) if conds else None


def _as_datetime(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def _received_in(start: datetime, end: datetime) -> list[sa.ColumnElement[bool]]:
    return [Case.received_at >= start, Case.received_at < end]


def query_cells(start: datetime, end: datetime, scope: list[Any], now: datetime,
                by_office: bool = True, keyed: bool = False) -> list[Cell]:
    """Return the cells of the cases received in [start, end) within the scope, clocks judged at now.

    Without by_office, offices are added up (office_id empty): what a view needs once its filters are applied.
    Keyed, each count comes with the sum of its records' keys (what the protected figures perturb with).
    """
    cfg = current_app.config
    ack_due = plus_days(Case.received_at, cfg["CASEFLOW_ACK_DAYS"])
    triage_due = plus_days(Case.received_at, cfg["CASEFLOW_TRIAGE_DAYS"])
    feedback_due = plus_months(sa.func.coalesce(Case.acknowledged_at, ack_due), cfg["CASEFLOW_FEEDBACK_MONTHS"])
    came_back = _followed_up()
    back_cond = sa.and_(Case.is_anonymous.is_(True), came_back) if came_back is not None else sa.false()
    # Each case's due dates, follow-up and key are computed once in a fenced subquery (OFFSET 0: not inlined),
    # then compared and summed; inlined, every aggregate recomputed them.
    per_case = sa.select(
        month_expr(Case.received_at, start, end).label("month"),
        (Case.office_id if by_office else sa.null()).label("office"), Case.category_id.label("category"),
        Case.channel.label("channel"), Case.is_anonymous.label("anonymous"),
        Case.acknowledged_at.label("ack"), ack_due.label("ack_due"), Case.triaged_at.label("triage"),
        triage_due.label("triage_due"), Case.feedback_given_at.label("feedback"),
        feedback_due.label("feedback_due"), sa.case((back_cond, 1), else_=0).label("back"),
        *([record_key(Case.id).label("key")] if keyed else []),
    ).where(*_received_in(start, end), *scope).offset(0).subquery()
    now_sql = sa.literal(now, sa.DateTime)
    cols: list[Any] = []
    running: list[Any] = []
    conds: list[Any] = [sa.true()]
    for done, due in ((per_case.c.ack, per_case.c.ack_due), (per_case.c.triage, per_case.c.triage_due),
                      (per_case.c.feedback, per_case.c.feedback_due)):
        on_time = sa.and_(done.is_not(None), not_after(done, due))
        late = sa.or_(sa.and_(done.is_not(None), sa.not_(not_after(done, due))),
                      sa.and_(done.is_(None), sa.not_(not_after(now_sql, due))))
        conds += [on_time, late]
        cols += [sa.func.sum(sa.case((on_time, 1), else_=0)), sa.func.sum(sa.case((late, 1), else_=0))]
        running.append(sa.func.min(sa.case((sa.and_(done.is_(None), not_after(now_sql, due)), due))))
    conds.append(per_case.c.back == 1)
    followed = sa.func.sum(per_case.c.back) if came_back is not None else sa.literal(0)
    keys = [key_sum(cond, per_case.c.key) for cond in conds] if keyed else []
    groups = (per_case.c.month, per_case.c.office, per_case.c.category, per_case.c.channel, per_case.c.anonymous)
    stmt = (sa.select(*groups, sa.func.count(), *cols, followed, *running, *keys)
            .group_by(*groups))  # without by_office the office is one NULL: grouping by it splits nothing
    cells = []
    for row in db.session.execute(stmt):
        dues = [d for d in (_as_datetime(v) for v in row[13:16]) if d is not None]
        channel = row[3].value if hasattr(row[3], "value") else str(row[3])
        cells.append(Cell(row[0], row[1], row[2], channel, bool(row[4]), [int(v or 0) for v in row[5:13]],
                          min(dues) if dues else None, [int(v or 0) for v in row[16:]]))
    return cells


def query_durations(start: datetime, end: datetime, scope: list[Any]) -> list[tuple[Any, ...]]:
    """Return (month, office, category, channel, kind, bucket, n) for cases received in [start, end)."""
    out: Counter[tuple[Any, ...]] = Counter()
    month = month_expr(Case.received_at, start, end)
    for kind, column in (("triage", Case.triaged_at), ("close", Case.closed_at)):
        days = whole_days(Case.received_at, column)
        keys = (month, Case.office_id, Case.category_id, Case.channel, days)
        stmt = (sa.select(*keys, sa.func.count()).where(*_received_in(start, end), column.is_not(None), *scope)
                .group_by(*keys))
        for m, office, category, channel, d, n in db.session.execute(stmt):
            out[(m, office, category, _text(channel), kind, bucket(d or 0))] += int(n)
    return [(*key, n) for key, n in out.items()]


def count_durations(start: datetime, end: datetime, scope: list[Any],
                    exact_days: bool = False) -> dict[str, Counter[int]]:
    """Return the histogram of each duration for the cases received in [start, end) within the scope.

    exact_days keeps whole days unbinned (a live count needs no bins).
    """
    out: dict[str, Counter[int]] = {kind: Counter() for kind in DURATION_KINDS}
    for kind, column in (("triage", Case.triaged_at), ("close", Case.closed_at)):
        days = whole_days(Case.received_at, column)
        stmt = (sa.select(days, sa.func.count()).where(*_received_in(start, end), column.is_not(None), *scope)
                .group_by(days))
        for d, n in db.session.execute(stmt):
            out[kind][max(0, int(d or 0)) if exact_days else bucket(d or 0)] += int(n)
    return out


def duration_keys(start: datetime, end: datetime, scope: list[Any]) -> dict[str, int]:
    """Return, per duration, the sum of the keys of the cases it was measured on (protected views)."""
    key = record_key(Case.id)
    stmt = sa.select(key_sum(Case.triaged_at.is_not(None), key), key_sum(Case.closed_at.is_not(None), key)) \
        .where(*_received_in(start, end), *scope)
    triage, close = db.session.execute(stmt).one()
    return {"triage": int(triage or 0), "close": int(close or 0)}


def query_findings(start: datetime, end: datetime, scope: list[Any]) -> list[tuple[Any, ...]]:
    """Return (month, office, category, channel, anonymous, finding, sanction, n, key) for the findings recorded
    in [start, end); the key is the sum of the allegations' record keys."""
    month = month_expr(Allegation.finding_at, start, end)
    keys = (month, Case.office_id, Case.category_id, Case.channel, Case.is_anonymous, Allegation.finding,
            Allegation.decided_sanction)
    stmt = (sa.select(*keys, sa.func.count(), key_sum(sa.true(), record_key(Allegation.id, 1)))
            .join(Case, Allegation.case_id == Case.id)
            .where(Allegation.finding_at >= start, Allegation.finding_at < end, *scope).group_by(*keys))
    return [(m, office, category, _text(channel), bool(anonymous), _text(finding), _text(sanction), int(n),
             int(key or 0))
            for m, office, category, channel, anonymous, finding, sanction, n, key in db.session.execute(stmt)]


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value.value if hasattr(value, "value") else str(value)


def split_histogram(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Return (month, dims, office, category, channel, kind, bucket, n) rows: all cases and each single dimension."""
    out: Counter[tuple[Any, ...]] = Counter()
    for month, office, category, channel, kind, days, n in rows:
        out[(month, 0, None, None, None, kind, days)] += n
        out[(month, OFFICE, office, None, None, kind, days)] += n
        out[(month, CATEGORY, None, category, None, kind, days)] += n
        out[(month, CHANNEL, None, None, channel, kind, days)] += n
    return [(*key, n) for key, n in out.items()]
