"""The dashboard's figures: one function per figure, each a GROUP BY in SQL (no case rows loaded)."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from caseflow import deadlines
from caseflow.clock import utcnow
from caseflow.dashboards.figures import GRID, SERIES, VALUES, Figure
from caseflow.dashboards.filters import DashboardFilters, days_between, plus_days, plus_months
from caseflow.enums import CaseState, Channel, Finding, Sanction
from caseflow.extensions import db
from caseflow.models import Allegation, Case, Category, User
from caseflow.sqlcompat import is_postgres

AGE_BANDS = ((0, 30, "0–30"), (31, 90, "31–90"), (91, 180, "91–180"), (181, None, ">180"))
WORK_STATES = (CaseState.TRIAGE, CaseState.INVESTIGATION, CaseState.ON_HOLD, CaseState.REPORTING)


def _rows(stmt: sa.Select[Any]) -> list[Any]:
    return list(db.session.execute(stmt))


def _month_label(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def _by_month(f: DashboardFilters, column: Any, keys: list[Any]) -> list[list[int | float | None]]:
    year, month = sa.extract("year", Case.received_at), sa.extract("month", Case.received_at)
    stmt = sa.select(year, month, column, sa.func.count()).where(*f.received()).group_by(year, month, column)
    months = f.months()
    index = {m: i for i, m in enumerate(months)}
    col_index = {k: i for i, k in enumerate(keys)}
    grid: list[list[int | float | None]] = [[0] * len(keys) for _m in months]
    for y, m, key, count in _rows(stmt):
        i, j = index.get((int(y), int(m))), col_index.get(key)
        if i is not None and j is not None:
            grid[i][j] = int(count)
    return grid


def received_by_channel(f: DashboardFilters) -> Figure:
    """Cases received per month and channel."""
    channels = list(Channel)
    values = _by_month(f, Case.channel, channels)
    keep = [j for j, _c in enumerate(channels) if any(row[j] for row in values)] or [0]
    return Figure("received_channel", _("Cases received per month, by channel"), GRID,
                  [_month_label(*m) for m in f.months()], [channels[j].label for j in keep],
                  [[row[j] for j in keep] for row in values], row_header=_("Month"))


def received_by_category(f: DashboardFilters) -> Figure:
    """Cases received per month and category (uncategorised shown apart)."""
    categories = list(db.session.execute(sa.select(Category.id, Category.code, Category.name)
                                         .order_by(Category.name)))
    keys: list[int | None] = [c.id for c in categories] + [None]
    labels = [Category(code=c.code, name=c.name).label for c in categories] + [_("Not categorised")]
    values = _by_month(f, Case.category_id, keys)
    keep = [j for j in range(len(keys)) if any(row[j] for row in values)] or [len(keys) - 1]
    return Figure("received_category", _("Cases received per month, by category"), GRID,
                  [_month_label(*m) for m in f.months()], [labels[j] for j in keep],
                  [[row[j] for j in keep] for row in values], row_header=_("Month"))


def open_by_state_and_age(f: DashboardFilters) -> Figure:
    """Open cases now, by state and age band since receipt (office, category and channel filters apply)."""
    now = utcnow()
    whens = []
    for i, (lo, _hi, _label) in enumerate(AGE_BANDS[1:], start=1):
        whens.append((Case.received_at <= now - timedelta(days=lo), i))
    band = sa.case(*reversed(whens), else_=0)
    stmt = (sa.select(Case.state, band, sa.func.count())
            .where(Case.state.in_(deadlines.OPEN_STATES), *f.scope()).group_by(Case.state, band))
    states = list(deadlines.OPEN_STATES)
    values: list[list[int | float | None]] = [[0] * len(AGE_BANDS) for _s in states]
    for state, b, count in _rows(stmt):
        values[states.index(CaseState(state))][int(b)] = int(count)
    return Figure("open_age", _("Open cases now, by state and age (days since receipt)"), GRID,
                  [s.label for s in states], [label for *_r, label in AGE_BANDS], values, row_header=_("State"))


def _share_row(met: int, late: int) -> list[float | int | None]:
    decided = met + late
    return [decided, met, late, (100.0 * met / decided) if decided else None]


def clock_compliance(f: DashboardFilters) -> Figure:
    """Legal clocks of the cases received in the period: met on time vs late (pending ones left out)."""
    cfg = current_app.config
    now = utcnow()
    ack_due = plus_days(Case.received_at, cfg["CASEFLOW_ACK_DAYS"])
    triage_due = plus_days(Case.received_at, cfg["CASEFLOW_TRIAGE_DAYS"])
    feedback_due = plus_months(sa.func.coalesce(Case.acknowledged_at, ack_due), cfg["CASEFLOW_FEEDBACK_MONTHS"])

    def met_late(done: Any, due: Any) -> tuple[Any, Any]:
        on_time = sa.and_(done.is_not(None), days_between(done, due) >= 0)
        late = sa.or_(sa.and_(done.is_not(None), days_between(done, due) < 0),
                      sa.and_(done.is_(None), days_between(sa.literal(now, sa.DateTime), due) < 0))
        return sa.func.sum(sa.case((on_time, 1), else_=0)), sa.func.sum(sa.case((late, 1), else_=0))

    cols = [*met_late(Case.acknowledged_at, ack_due), *met_late(Case.triaged_at, triage_due),
            *met_late(Case.feedback_given_at, feedback_due)]
    row = db.session.execute(sa.select(*cols).where(*f.received())).one()
    counts = [int(v or 0) for v in row]
    pairs = [(counts[0], counts[1]), (counts[2], counts[3]), (counts[4], counts[5])]
    labels = [_("Acknowledged within %(n)d days", n=cfg["CASEFLOW_ACK_DAYS"]),
              _("Triage decided within %(n)d days", n=cfg["CASEFLOW_TRIAGE_DAYS"]),
              _("Feedback within %(n)d months", n=cfg["CASEFLOW_FEEDBACK_MONTHS"])]
    return Figure("compliance", _("Legal-clock compliance (cases received in the period)"), VALUES, labels,
                  [_("Decided"), _("On time"), _("Late"), _("Share on time")],
                  [_share_row(m, late) for m, late in pairs], row_header=_("Clock"),
                  bases=[m + late for m, late in pairs], numerators=[m for m, _late in pairs], unit=" %",
                  note=_("Clocks still running and not yet due are left out."))


def overdue_counts(f: DashboardFilters) -> Figure:
    """Open cases with a legal clock past due and not done, per clock and in all."""
    windows = deadlines._windows(None, utcnow())  # noqa: SLF001 - the per-clock conditions of overdue_clause()
    inv = sa.or_(*windows[3:]) if len(windows) > 3 else sa.false()
    parts = [windows[0], windows[1], windows[2], inv, deadlines.overdue_clause()]
    cols = [sa.func.sum(sa.case((cond, 1), else_=0)) for cond in parts]
    row = db.session.execute(sa.select(*cols).where(*f.scope())).one()
    labels = [str(deadlines.CLOCK_LABELS[k]) for k in ("acknowledgement", "triage", "feedback", "investigation")]
    values: list[list[int | float | None]] = [[int(v or 0)] for v in row[:4]]
    fig = Figure("overdue", _("Open cases overdue now, per clock"), VALUES, labels, [_("Overdue")],
                 values, row_header=_("Clock"), bases=[int(v or 0) for v in row[:4]],
                 note=_("%(n)d open cases have at least one clock overdue.", n=int(row[4] or 0)))
    fig.values.append([int(row[4] or 0)])
    fig.rows.append(_("Any clock (cases)"))
    fig.bases.append(int(row[4] or 0))
    return fig


def percentiles(expr: Any, conditions: list[Any], qs: tuple[float, ...]) -> tuple[int, list[float | None]]:
    """Return (n, nearest-rank percentiles of expr) over the matching cases, computed in SQL.

    PostgreSQL: one percentile_disc aggregate; SQLite: the count, then one ORDER BY ... OFFSET per percentile.
    """
    if is_postgres():
        cols = [sa.func.percentile_disc(q).within_group(expr) for q in qs]
        row = db.session.execute(sa.select(sa.func.count(), *cols).select_from(Case).where(*conditions)).one()
        n = int(row[0] or 0)
        return n, [float(v) if v is not None else None for v in row[1:]]
    n = int(db.session.scalar(sa.select(sa.func.count()).select_from(Case).where(*conditions)) or 0)
    if n == 0:
        return 0, [None for _q in qs]
    out: list[float | None] = []
    for q in qs:
        k = max(0, math.ceil(q * n) - 1)
        value = db.session.scalar(sa.select(expr).where(*conditions).order_by(expr).limit(1).offset(k))
        out.append(float(value) if value is not None else None)
    return n, out


def durations(f: DashboardFilters) -> Figure:
    """Median and 90th percentile, in days, from receipt to triage decision and to closure."""
    rows, values, bases = [], [], []
    for label, column in ((_("Receipt to triage decision"), Case.triaged_at),
                          (_("Receipt to closure"), Case.closed_at)):
        expr = days_between(Case.received_at, column)
        conds = [*f.received(), column.is_not(None)]
        n, (median, p90) = percentiles(expr, conds, (0.5, 0.9))
        rows.append(label)
        values.append([n, median, p90])
        bases.append(n)
    return Figure("durations", _("Time to triage and to close (cases received in the period)"), VALUES, rows,
                  [_("Cases"), _("Median"), _("90th percentile")], values, row_header=_("Interval"), bases=bases,
                  unit=" " + _("days"))


def _allegations_in_period(f: DashboardFilters) -> list[Any]:
    return [*f.scope(), Allegation.finding_at >= f.start_at, Allegation.finding_at < f.end_at]


def findings(f: DashboardFilters) -> Figure:
    """Findings recorded in the period, per allegation."""
    stmt = (sa.select(Allegation.finding, sa.func.count()).join(Case, Allegation.case_id == Case.id)
            .where(Allegation.finding.is_not(None), *_allegations_in_period(f)).group_by(Allegation.finding))
    counts = {Finding(k): int(v) for k, v in _rows(stmt)}
    return Figure("findings", _("Findings per allegation (recorded in the period)"), SERIES,
                  [x.label for x in Finding], [_("Allegations")], [[counts.get(x, 0)] for x in Finding],
                  row_header=_("Finding"))


def substantiation(f: DashboardFilters) -> Figure:
    """Share of allegations decided in the period that were sustained."""
    fig = findings(f)
    decided = sum(int(r[0] or 0) for r in fig.values)
    sustained = int(fig.values[list(Finding).index(Finding.SUSTAINED)][0] or 0)
    rate = 100.0 * sustained / decided if decided else None
    return Figure("substantiation", _("Substantiation rate"), VALUES, [_("Allegations sustained")],
                  [_("Decided"), _("Sustained"), _("Rate")], [[decided, sustained, rate]],
                  row_header="", bases=[decided], numerators=[sustained], unit=" %")


def sanctions(f: DashboardFilters) -> Figure:
    """Sanctions decided on allegations whose finding was recorded in the period."""
    stmt = (sa.select(Allegation.decided_sanction, sa.func.count()).join(Case, Allegation.case_id == Case.id)
            .where(Allegation.decided_sanction.is_not(None), *_allegations_in_period(f))
            .group_by(Allegation.decided_sanction))
    counts = {Sanction(k): int(v) for k, v in _rows(stmt)}
    kinds = [s for s in Sanction if s != Sanction.NONE] + [Sanction.NONE]
    return Figure("sanctions", _("Sanctions decided"), SERIES, [s.label for s in kinds], [_("Allegations")],
                  [[counts.get(s, 0)] for s in kinds], row_header=_("Sanction"))


def workload(f: DashboardFilters) -> Figure:
    """Open cases per lead investigator and state (office, category and channel filters apply)."""
    stmt = (sa.select(Case.lead_investigator_id, Case.state, sa.func.count())
            .where(Case.state.in_(WORK_STATES), Case.lead_investigator_id.is_not(None), *f.scope())
            .group_by(Case.lead_investigator_id, Case.state))
    data: dict[int, list[int | float | None]] = {}
    for lead, state, count in _rows(stmt):
        data.setdefault(int(lead), [0] * len(WORK_STATES))[WORK_STATES.index(CaseState(state))] = int(count)
    names = dict(db.session.execute(sa.select(User.id, User.full_name).where(User.id.in_(list(data)))).all())
    ids = sorted(data, key=lambda i: (-sum(int(v or 0) for v in data[i]), names.get(i, "")))
    return Figure("workload", _("Investigator workload (open cases as lead)"), GRID, [names.get(i, "?") for i in ids],
                  [s.label for s in WORK_STATES], [data[i] for i in ids], row_header=_("Lead investigator"))


def anonymity(f: DashboardFilters) -> Figure:
    """Anonymous and named complaints received in the period."""
    stmt = sa.select(Case.is_anonymous, sa.func.count()).where(*f.received()).group_by(Case.is_anonymous)
    counts = {bool(k): int(v) for k, v in _rows(stmt)}
    return Figure("anonymity", _("Anonymous and named complaints"), SERIES, [_("Named"), _("Anonymous")],
                  [_("Cases")], [[counts.get(False, 0)], [counts.get(True, 0)]], row_header=_("Reporter"))


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


def follow_up(f: DashboardFilters) -> Figure:
    """Share of anonymous cases received in the period whose reporter came back (logged in or replied)."""
    came_back = _followed_up()
    title = _("Anonymous reporters who followed up")
    if came_back is None:
        return Figure("follow_up", title, VALUES, [_("Anonymous cases")], [_("Cases"), _("Followed up"), _("Rate")],
                      [[None, None, None]], bases=[0], note=_("Not available: no reporter follow-up data."))
    stmt = sa.select(sa.func.count(), sa.func.sum(sa.case((came_back, 1), else_=0))).where(
        Case.is_anonymous.is_(True), *f.received())
    total, back = (int(v or 0) for v in db.session.execute(stmt).one())
    rate = 100.0 * back / total if total else None
    return Figure("follow_up", title, VALUES, [_("Anonymous cases")], [_("Cases"), _("Followed up"), _("Rate")],
                  [[total, back, rate]], bases=[total], numerators=[back], unit=" %")


FIGURES = (open_by_state_and_age, clock_compliance, overdue_counts, durations, findings, substantiation, sanctions,
           workload, anonymity, follow_up, received_by_channel, received_by_category)


def all_figures(f: DashboardFilters) -> list[Figure]:
    """Compute every figure of the dashboard for the filters."""
    return [fn(f) for fn in FIGURES]
