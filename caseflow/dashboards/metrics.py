"""The dashboard's figures: one function per figure, computed from inputs read once (caseflow/dashboards/rollup.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext

from caseflow import deadlines
from caseflow.dashboards.aggregates import AGE_BANDS, CELL_COUNTS, WORK_STATES, Cell
from caseflow.dashboards.figures import GRID, SERIES, VALUES, Figure
from caseflow.dashboards.filters import DashboardFilters
from caseflow.dashboards.rollup import Inputs, load_inputs, percentiles
from caseflow.enums import CaseState, Channel, Finding, Sanction
from caseflow.extensions import db
from caseflow.models import Category, User

__all__ = ["AGE_BANDS", "FIGURES", "all_figures"]



def _rows(stmt: sa.Select[Any]) -> list[Any]:
    return list(db.session.execute(stmt))


def _month_label(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def _by_month(f: DashboardFilters, inputs: Inputs, key: Callable[[Cell], Any],
              keys: list[Any]) -> list[list[int | float | None]]:
    index = {_month_label(*m): i for i, m in enumerate(f.months())}
    col_index = {k: i for i, k in enumerate(keys)}
    grid: list[list[int | float | None]] = [[0] * len(keys) for _m in index]
    for cell in inputs.cells:
        i, j = index.get(cell.month), col_index.get(key(cell))
        if i is not None and j is not None:
            grid[i][j] = int(grid[i][j] or 0) + cell.counts[0]
    return grid


def _sum(inputs: Inputs, name: str, only: Callable[[Cell], bool] = lambda _c: True) -> int:
    i = CELL_COUNTS.index(name)
    return sum(c.counts[i] for c in inputs.cells if only(c))


def received_by_channel(f: DashboardFilters, inputs: Inputs | None = None) -> Figure:
    """Cases received per month and channel."""
    inputs = inputs or load_inputs(f)
    channels = list(Channel)
    values = _by_month(f, inputs, lambda c: c.channel, [c.value for c in channels])
    keep = [j for j, _c in enumerate(channels) if any(row[j] for row in values)] or [0]
    return Figure("received_channel", _("Cases received per month, by channel"), GRID,
                  [_month_label(*m) for m in f.months()], [channels[j].label for j in keep],
                  [[row[j] for j in keep] for row in values], row_header=_("Month"))


def received_by_category(f: DashboardFilters, inputs: Inputs | None = None) -> Figure:
    """Cases received per month and category (uncategorised shown apart)."""
    inputs = inputs or load_inputs(f)
    categories = list(db.session.execute(sa.select(Category.id, Category.code, Category.name)
                                         .order_by(Category.name)))
    keys: list[int | None] = [c.id for c in categories] + [None]
    labels = [Category(code=c.code, name=c.name).label for c in categories] + [_("Not categorised")]
    values = _by_month(f, inputs, lambda c: c.category_id, keys)
    keep = [j for j in range(len(keys)) if any(row[j] for row in values)] or [len(keys) - 1]
    return Figure("received_category", _("Cases received per month, by category"), GRID,
                  [_month_label(*m) for m in f.months()], [labels[j] for j in keep],
                  [[row[j] for j in keep] for row in values], row_header=_("Month"))


def open_by_state_and_age(f: DashboardFilters, inputs: Inputs | None = None) -> Figure:
    """Open cases now, by state and age band since receipt (office, category and channel filters apply)."""
    inputs = inputs or load_inputs(f)
    states = list(deadlines.OPEN_STATES)
    values: list[list[int | float | None]] = [[0] * len(AGE_BANDS) for _s in states]
    for row in inputs.open_rows:
        i = states.index(CaseState(row.state))
        values[i][row.band] = int(values[i][row.band] or 0) + row.count
    return Figure("open_age", _("Open cases now, by state and age (days since receipt)"), GRID,
                  [s.label for s in states], [label for *_r, label in AGE_BANDS], values, row_header=_("State"))


def _share_row(met: int, late: int) -> list[float | int | None]:
    decided = met + late
    return [decided, met, late, (100.0 * met / decided) if decided else None]


def clock_compliance(f: DashboardFilters, inputs: Inputs | None = None) -> Figure:
    """Legal clocks of the cases received in the period: met on time vs late (pending ones left out)."""
    cfg = current_app.config
    inputs = inputs or load_inputs(f)
    pairs = [(_sum(inputs, f"{clock}_met"), _sum(inputs, f"{clock}_late")) for clock in ("ack", "triage", "feedback")]
    labels = [ngettext("Acknowledged within %(n)d day", "Acknowledged within %(n)d days", cfg["CASEFLOW_ACK_DAYS"],
                       n=cfg["CASEFLOW_ACK_DAYS"]),
              ngettext("Triage decided within %(n)d day",
                       "Triage decided within %(n)d days", cfg["CASEFLOW_TRIAGE_DAYS"],
                       n=cfg["CASEFLOW_TRIAGE_DAYS"]),
              ngettext("Feedback within %(n)d month", "Feedback within %(n)d months", cfg["CASEFLOW_FEEDBACK_MONTHS"],
                       n=cfg["CASEFLOW_FEEDBACK_MONTHS"])]
    return Figure("compliance", _("Legal-clock compliance (cases received in the period)"), VALUES, labels,
                  [_("Decided"), _("On time"), _("Late"), _("Share on time")],
                  [_share_row(m, late) for m, late in pairs], row_header=_("Clock"),
                  bases=[m + late for m, late in pairs], numerators=[m for m, _late in pairs], unit=" %",
                  note=_("Clocks still running and not yet due are left out."))


def overdue_counts(f: DashboardFilters, inputs: Inputs | None = None) -> Figure:
    """Open cases with a legal clock past due and not done, per clock and in all."""
    inputs = inputs or load_inputs(f)
    row = [sum(r.overdue[i] for r in inputs.open_rows) for i in range(5)]
    labels = [str(deadlines.CLOCK_LABELS[k]) for k in ("acknowledgement", "triage", "feedback", "investigation")]
    values: list[list[int | float | None]] = [[v] for v in row[:4]]
    fig = Figure("overdue", _("Open cases overdue now, per clock"), VALUES, labels, [_("Overdue")],
                 values, row_header=_("Clock"), bases=list(row[:4]),
                 note=ngettext("%(n)d open case has at least one clock overdue.",
                               "%(n)d open cases have at least one clock overdue.", row[4], n=row[4]))
    fig.values.append([row[4]])
    fig.rows.append(_("Any clock (cases)"))
    fig.bases.append(row[4])
    return fig


def durations(f: DashboardFilters, inputs: Inputs | None = None) -> Figure:
    """Median and 90th percentile, in whole days, from receipt to triage decision and to closure."""
    inputs = inputs or load_inputs(f)
    rows, values, bases = [], [], []
    for label, kind in ((_("Receipt to triage decision"), "triage"), (_("Receipt to closure"), "close")):
        n, (median, p90) = percentiles(inputs.durations[kind], (0.5, 0.9))
        rows.append(label)
        values.append([n, median, p90])
        bases.append(n)
    return Figure("durations", _("Time to triage and to close (cases received in the period)"), VALUES, rows,
                  [_("Cases"), _("Median"), _("90th percentile")], values, row_header=_("Interval"), bases=bases,
                  unit=" " + _("days"))


def _allegation_counts(inputs: Inputs, position: int) -> dict[str, int]:
    """Return the allegations per finding (position 0) or per decided sanction (position 1)."""
    counts: dict[str, int] = {}
    for row in inputs.findings:
        key = row[position]
        if key is not None:
            counts[key] = counts.get(key, 0) + row[2]
    return counts


def findings(f: DashboardFilters, inputs: Inputs | None = None) -> Figure:
    """Findings recorded in the period, per allegation."""
    counts = _allegation_counts(inputs or load_inputs(f), 0)
    return Figure("findings", _("Findings per allegation (recorded in the period)"), SERIES,
                  [x.label for x in Finding], [_("Allegations")], [[counts.get(x.value, 0)] for x in Finding],
                  row_header=_("Finding"))


def substantiation(f: DashboardFilters, inputs: Inputs | None = None) -> Figure:
    """Share of allegations decided in the period that were sustained."""
    fig = findings(f, inputs)
    decided = sum(int(r[0] or 0) for r in fig.values)
    sustained = int(fig.values[list(Finding).index(Finding.SUSTAINED)][0] or 0)
    rate = 100.0 * sustained / decided if decided else None
    return Figure("substantiation", _("Substantiation rate"), VALUES, [_("Allegations sustained")],
                  [_("Decided"), _("Sustained"), _("Rate")], [[decided, sustained, rate]],
                  row_header="", bases=[decided], numerators=[sustained], unit=" %")


def sanctions(f: DashboardFilters, inputs: Inputs | None = None) -> Figure:
    """Sanctions decided on allegations whose finding was recorded in the period."""
    counts = _allegation_counts(inputs or load_inputs(f), 1)
    kinds = [s for s in Sanction if s != Sanction.NONE] + [Sanction.NONE]
    return Figure("sanctions", _("Sanctions decided"), SERIES, [s.label for s in kinds], [_("Allegations")],
                  [[counts.get(s.value, 0)] for s in kinds], row_header=_("Sanction"))


def workload(f: DashboardFilters, inputs: Inputs | None = None) -> Figure:
    """Open cases per lead investigator and state (office, category and channel filters apply)."""
    inputs = inputs or load_inputs(f)
    data: dict[int, list[int | float | None]] = {}
    for row in inputs.open_rows:
        state = CaseState(row.state)
        if row.lead is None or state not in WORK_STATES:
            continue
        counts = data.setdefault(int(row.lead), [0] * len(WORK_STATES))
        counts[WORK_STATES.index(state)] = int(counts[WORK_STATES.index(state)] or 0) + row.count
    names = dict(db.session.execute(sa.select(User.id, User.full_name).where(User.id.in_(list(data)))).all())
    ids = sorted(data, key=lambda i: (-sum(int(v or 0) for v in data[i]), names.get(i, "")))
    return Figure("workload", _("Investigator workload (open cases as lead)"), GRID, [names.get(i, "?") for i in ids],
                  [s.label for s in WORK_STATES], [data[i] for i in ids], row_header=_("Lead investigator"))


def anonymity(f: DashboardFilters, inputs: Inputs | None = None) -> Figure:
    """Anonymous and named complaints received in the period."""
    inputs = inputs or load_inputs(f)
    named = _sum(inputs, "received", lambda c: not c.is_anonymous)
    anonymous = _sum(inputs, "received", lambda c: c.is_anonymous)
    return Figure("anonymity", _("Anonymous and named complaints"), SERIES, [_("Named"), _("Anonymous")],
                  [_("Cases")], [[named], [anonymous]], row_header=_("Reporter"))


def follow_up(f: DashboardFilters, inputs: Inputs | None = None) -> Figure:
    """Share of anonymous cases received in the period whose reporter came back (logged in or replied)."""
    inputs = inputs or load_inputs(f)
    total = _sum(inputs, "received", lambda c: c.is_anonymous)
    back = _sum(inputs, "followed_up")
    rate = 100.0 * back / total if total else None
    return Figure("follow_up", _("Anonymous reporters who followed up"), VALUES, [_("Anonymous cases")],
                  [_("Cases"), _("Followed up"), _("Rate")], [[total, back, rate]], bases=[total], numerators=[back],
                  unit=" %")


FIGURES = (open_by_state_and_age, clock_compliance, overdue_counts, durations, findings, substantiation, sanctions,
           workload, anonymity, follow_up, received_by_channel, received_by_category)


def all_figures(f: DashboardFilters) -> list[Figure]:
    """Compute every figure of the dashboard for the filters (their inputs read once)."""
    inputs = load_inputs(f)
    return [fn(f, inputs) for fn in FIGURES]
