"""The dashboard's figures: one function per figure, computed from inputs read once (caseflow/dashboards/rollup.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext

from caseflow import deadlines
from caseflow.dashboards import director
from caseflow.dashboards.aggregates import AGE_BANDS, CELL_COUNTS, WORK_STATES, Cell
from caseflow.dashboards.figures import GRID, SERIES, VALUES, Figure
from caseflow.dashboards.filters import DashboardFilters
from caseflow.dashboards.protect import combine
from caseflow.dashboards.rollup import Inputs, load_inputs, load_protected_inputs, percentiles
from caseflow.enums import CaseState, Channel, Finding, Sanction
from caseflow.extensions import db
from caseflow.models import Category, User

__all__ = ["AGE_BANDS", "FIGURES", "all_figures"]



def _rows(stmt: sa.Select[Any]) -> list[Any]:
    return list(db.session.execute(stmt))


def _month_label(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def _by_month(f: DashboardFilters, inputs: Inputs, key: Callable[[Cell], Any],
              keys: list[Any]) -> tuple[list[list[int | float | None]], list[list[int | None]]]:
    """Return the received counts per month and column, and the record keys of each such cell."""
    index = {_month_label(*m): i for i, m in enumerate(f.months())}
    col_index = {k: i for i, k in enumerate(keys)}
    grid: list[list[int | float | None]] = [[0] * len(keys) for _m in index]
    kgrid: list[list[int | None]] = [[0] * len(keys) for _m in index]
    for cell in inputs.cells:
        i, j = index.get(cell.month), col_index.get(key(cell))
        if i is not None and j is not None:
            grid[i][j] = int(grid[i][j] or 0) + cell.counts[0]
            kgrid[i][j] = combine(kgrid[i][j] or 0, _cell_key(cell, 0))
    return grid, kgrid


def _cell_key(cell: Cell, i: int) -> int:
    return cell.keys[i] if cell.keys else 0


def _keyed(inputs: Inputs, name: str, only: Callable[[Cell], bool] = lambda _c: True) -> tuple[int, int]:
    """Return a count summed over the cells, and the key of the cases it counts."""
    i = CELL_COUNTS.index(name)
    cells = [c for c in inputs.cells if only(c)]
    return sum(c.counts[i] for c in cells), combine(*[_cell_key(c, i) for c in cells])


def _keep(values: list[list[Any]], keys: list[list[Any]], keep: list[int]) -> tuple[list[list[Any]], list[list[Any]]]:
    return [[row[j] for j in keep] for row in values], [[row[j] for j in keep] for row in keys]


def received_by_channel(f: DashboardFilters, inputs: Inputs | None = None) -> Figure:
    """Cases received per month and channel."""
    inputs = inputs or load_inputs(f)
    channels = list(Channel)
    values, keys = _by_month(f, inputs, lambda c: c.channel, [c.value for c in channels])
    keep = [j for j, _c in enumerate(channels) if any(row[j] for row in values)] or [0]
    values, keys = _keep(values, keys, keep)
    return Figure("received_channel", _("Cases received per month, by channel"), GRID,
                  [_month_label(*m) for m in f.months()], [channels[j].label for j in keep],
                  values, row_header=_("Month"), keys=keys)


def received_by_category(f: DashboardFilters, inputs: Inputs | None = None) -> Figure:
    """Cases received per month and category (uncategorised shown apart)."""
    inputs = inputs or load_inputs(f)
    categories = list(db.session.scalars(sa.select(Category).order_by(Category.name)))
    keys: list[int | None] = [c.id for c in categories] + [None]
    labels = [c.label for c in categories] + [_("Not categorised")]
    values, record_keys = _by_month(f, inputs, lambda c: c.category_id, keys)
    keep = [j for j in range(len(keys)) if any(row[j] for row in values)] or [len(keys) - 1]
    values, record_keys = _keep(values, record_keys, keep)
    return Figure("received_category", _("Cases received per month, by category"), GRID,
                  [_month_label(*m) for m in f.months()], [labels[j] for j in keep],
                  values, row_header=_("Month"), keys=record_keys)


def open_by_state_and_age(f: DashboardFilters, inputs: Inputs | None = None) -> Figure:
    """Open cases now, by state and age band since receipt (office, category and channel filters apply)."""
    inputs = inputs or load_inputs(f)
    states = list(deadlines.OPEN_STATES)
    values: list[list[int | float | None]] = [[0] * len(AGE_BANDS) for _s in states]
    keys: list[list[int | None]] = [[0] * len(AGE_BANDS) for _s in states]
    for row in inputs.open_rows:
        i = states.index(CaseState(row.state))
        values[i][row.band] = int(values[i][row.band] or 0) + row.count
        keys[i][row.band] = combine(keys[i][row.band] or 0, row.keys[0] if row.keys else 0)
    return Figure("open_age", _("Open cases now, by state and age (days since receipt)"), GRID,
                  [s.label for s in states], [label for *_r, label in AGE_BANDS], values, row_header=_("State"),
                  keys=keys)


def _share_row(met: int, late: int) -> list[float | int | None]:
    decided = met + late
    return [decided, met, late, (100.0 * met / decided) if decided else None]


def _share_keys(met: int, late: int) -> list[int | None]:
    return [combine(met, late), met, late, None]


def clock_compliance(f: DashboardFilters, inputs: Inputs | None = None) -> Figure:
    """Legal clocks of the cases received in the period: met on time vs late (pending ones left out)."""
    cfg = current_app.config
    inputs = inputs or load_inputs(f)
    keyed = [(_keyed(inputs, f"{clock}_met"), _keyed(inputs, f"{clock}_late"))
             for clock in ("ack", "triage", "feedback")]
    pairs = [(met[0], late[0]) for met, late in keyed]
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
                  note=_("Clocks still running and not yet due are left out."),
                  keys=[_share_keys(met[1], late[1]) for met, late in keyed], rates={3: (1, 0)},
                  parts={0: (1, 2)})


def overdue_counts(f: DashboardFilters, inputs: Inputs | None = None) -> Figure:
    """Open cases with a legal clock past due and not done, per clock and in all."""
    inputs = inputs or load_inputs(f)
    row = [sum(r.overdue[i] for r in inputs.open_rows) for i in range(5)]
    keys = [combine(*[r.keys[i + 1] for r in inputs.open_rows if r.keys]) for i in range(5)]
    labels = [str(deadlines.CLOCK_LABELS[k]) for k in ("acknowledgement", "triage", "feedback", "investigation")]
    labels.append(_("Any clock (cases)"))
    return Figure("overdue", _("Open cases overdue now, per clock"), VALUES, labels, [_("Overdue")],
                  [[v] for v in row], row_header=_("Clock"), bases=list(row), keys=[[k] for k in keys])


def durations(f: DashboardFilters, inputs: Inputs | None = None) -> Figure:
    """Median and 90th percentile, in whole days, from receipt to triage decision and to closure."""
    inputs = inputs or load_inputs(f)
    rows, values, bases, keys = [], [], [], []
    binned = not inputs.protected
    for label, kind in ((_("Receipt to triage decision"), "triage"), (_("Receipt to closure"), "close")):
        n, (median, p90) = percentiles(inputs.durations[kind], (0.5, 0.9), binned=binned)
        rows.append(label)
        values.append([n, median, p90])
        bases.append(n)
        keys.append([inputs.duration_keys.get(kind, 0), None, None])
    # Past 60 days the stored histogram has week (then 30-day) bins: a percentile is the last day of its bin.
    cols = [_("Cases"), _("Median (at most)"), _("90th percentile (at most)")] if binned else \
        [_("Cases"), _("Median"), _("90th percentile")]
    return Figure("durations", _("Time to triage and to close (cases received in the period)"), VALUES, rows,
                  cols, values, row_header=_("Interval"), bases=bases, unit=" " + _("days"), keys=keys,
                  depends={1: 0, 2: 0})


def _allegation_counts(inputs: Inputs, position: int) -> tuple[dict[str, int], dict[str, int]]:
    """Return the allegations per finding (position 0) or per decided sanction (position 1), and their keys."""
    counts: dict[str, int] = {}
    keys: dict[str, int] = {}
    for row in inputs.findings:
        key = cast(str | None, row[position])
        if key is not None:
            counts[key] = counts.get(key, 0) + row[2]
            keys[key] = combine(keys.get(key, 0), row[3] if len(row) > 3 else 0)
    return counts, keys


def findings(f: DashboardFilters, inputs: Inputs | None = None) -> Figure:
    """Findings recorded in the period, per allegation."""
    counts, keys = _allegation_counts(inputs or load_inputs(f), 0)
    return Figure("findings", _("Findings per allegation (recorded in the period)"), SERIES,
                  [x.label for x in Finding], [_("Allegations")], [[counts.get(x.value, 0)] for x in Finding],
                  row_header=_("Finding"), keys=[[keys.get(x.value, 0)] for x in Finding])


def substantiation(f: DashboardFilters, inputs: Inputs | None = None) -> Figure:
    """Share of allegations decided in the period that were sustained."""
    fig = findings(f, inputs)
    decided = sum(int(r[0] or 0) for r in fig.values)
    at = list(Finding).index(Finding.SUSTAINED)
    sustained = int(fig.values[at][0] or 0)
    rate = 100.0 * sustained / decided if decided else None
    return Figure("substantiation", _("Substantiation rate"), VALUES, [_("Allegations sustained")],
                  [_("Decided"), _("Sustained"), _("Rate")], [[decided, sustained, rate]],
                  row_header=_("Measure"), bases=[decided], numerators=[sustained], unit=" %",
                  keys=[[combine(*[int(k[0] or 0) for k in fig.keys]), fig.keys[at][0], None]], rates={2: (1, 0)})


def sanctions(f: DashboardFilters, inputs: Inputs | None = None) -> Figure:
    """Sanctions decided on allegations whose finding was recorded in the period."""
    counts, keys = _allegation_counts(inputs or load_inputs(f), 1)
    kinds = [s for s in Sanction if s != Sanction.NONE] + [Sanction.NONE]
    return Figure("sanctions", _("Sanctions decided"), SERIES, [s.label for s in kinds], [_("Allegations")],
                  [[counts.get(s.value, 0)] for s in kinds], row_header=_("Sanction"),
                  keys=[[keys.get(s.value, 0)] for s in kinds])


def workload(f: DashboardFilters, inputs: Inputs | None = None) -> Figure:
    """Open cases per lead investigator and state (office, category and channel filters apply)."""
    inputs = inputs or load_inputs(f)
    data: dict[int, list[int | float | None]] = {}
    keys: dict[int, list[int | None]] = {}
    for row in inputs.open_rows:
        state = CaseState(row.state)
        if row.lead is None or state not in WORK_STATES:
            continue
        counts = data.setdefault(int(row.lead), [0] * len(WORK_STATES))
        lead_keys = keys.setdefault(int(row.lead), [0] * len(WORK_STATES))
        at = WORK_STATES.index(state)
        counts[at] = int(counts[at] or 0) + row.count
        lead_keys[at] = combine(lead_keys[at] or 0, row.keys[0] if row.keys else 0)
    rows = db.session.execute(sa.select(User.id, User.full_name).where(User.id.in_(list(data)))).all()
    names: dict[int, str] = {int(uid): str(name) for uid, name in rows}
    ids = sorted(data, key=lambda i: (-sum(int(v or 0) for v in data[i]), names.get(i, "")))
    return Figure("workload", _("Investigator workload (open cases as lead)"), GRID, [names.get(i, "?") for i in ids],
                  [s.label for s in WORK_STATES], [data[i] for i in ids], row_header=_("Lead investigator"),
                  keys=[keys[i] for i in ids])


def anonymity(f: DashboardFilters, inputs: Inputs | None = None) -> Figure:
    """Anonymous and named complaints received in the period."""
    inputs = inputs or load_inputs(f)
    named = _keyed(inputs, "received", lambda c: not c.is_anonymous)
    anonymous = _keyed(inputs, "received", lambda c: c.is_anonymous)
    return Figure("anonymity", _("Anonymous and named complaints"), SERIES, [_("Named"), _("Anonymous")],
                  [_("Cases")], [[named[0]], [anonymous[0]]], row_header=_("Reporter"),
                  keys=[[named[1]], [anonymous[1]]])


def follow_up(f: DashboardFilters, inputs: Inputs | None = None) -> Figure:
    """Share of anonymous cases received in the period whose reporter came back (logged in or replied)."""
    inputs = inputs or load_inputs(f)
    total, total_key = _keyed(inputs, "received", lambda c: c.is_anonymous)
    back, back_key = _keyed(inputs, "followed_up")
    rate = 100.0 * back / total if total else None
    return Figure("follow_up", _("Anonymous reporters who followed up"), VALUES, [_("Anonymous cases")],
                  [_("Cases"), _("Followed up"), _("Rate")], [[total, back, rate]], row_header=_("Measure"),
                  bases=[total], numerators=[back],
                  unit=" %", keys=[[total_key, back_key, None]], rates={2: (1, 0)})


FIGURES = (open_by_state_and_age, clock_compliance, overdue_counts, durations, findings, substantiation, sanctions,
           workload, anonymity, follow_up, received_by_channel, received_by_category)


def all_figures(f: DashboardFilters, protected: bool = False) -> list[Figure]:
    """Compute every figure of the dashboard for the filters (their inputs read once; keyed when protected)."""
    inputs = load_protected_inputs(f) if protected else load_inputs(f)
    ordered = (*director.FIGURES[:2], *FIGURES, *director.FIGURES[2:])
    return [fn(f, inputs) for fn in ordered]
