"""What a director asks: comparisons with earlier periods, trends over years, targets, the office x category
matrix, rates per 100 staff, substantiation by channel and anonymity, time from incident to report.

Every count comes with its records' key (caseflow/dashboards/protect.py) and is presented like the other
figures: perturbed for managers, exact for supervisors. Changes, rates and target statuses are computed in
caseflow/dashboards/figures.py from the counts as shown, never from the true ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext

from caseflow.dashboards.aggregates import CELL_COUNTS
from caseflow.dashboards.figures import GRID, SERIES, VALUES, Figure
from caseflow.dashboards.filters import DashboardFilters
from caseflow.dashboards.months import month_expr, next_key
from caseflow.dashboards.protect import combine, key_sum, record_key
from caseflow.dashboards.rollup import Inputs, scope_where, split_stored
from caseflow.enums import Channel, Finding
from caseflow.extensions import db
from caseflow.incident import BANDS
from caseflow.models import Allegation, Case, Category, Office
from caseflow.models.rollup import DashboardCell, DashboardFinding

Count = tuple[int, int]  # (count, key of its records)
YEARS = 5  # trends over this many calendar years
TARGETS = (("ack", "CASEFLOW_TARGET_ACK_PCT"), ("triage", "CASEFLOW_TARGET_TRIAGE_PCT"),
           ("feedback", "CASEFLOW_TARGET_FEEDBACK_PCT"))


def _add(a: Count, b: Count) -> Count:
    return a[0] + b[0], combine(a[1], b[1])


def _total(counts: list[Count]) -> Count:
    out: Count = (0, 0)
    for c in counts:
        out = _add(out, c)
    return out


@dataclass
class DirectorData:
    """The director's counts for one set of filters, read once (live, keyed)."""

    received: dict[tuple[str, bool], Count] = field(default_factory=dict)  # (month, anonymous)
    decided: dict[tuple[str, bool], Count] = field(default_factory=dict)  # (month, sustained)
    matrix: dict[tuple[int | None, int | None], Count] = field(default_factory=dict)  # (office, category)
    found: dict[tuple[int | None, str, bool, bool], Count] = field(default_factory=dict)  # office, channel, anon, sust
    delays: dict[int | None, Count] = field(default_factory=dict)  # incident band


def _keys(condition: Any, key: Any, keyed: bool) -> list[Any]:
    return [key_sum(condition, key)] if keyed else [sa.literal(0)]


def _text(value: Any) -> str:
    return value.value if hasattr(value, "value") else str(value)


def _months_back(key: str, n: int) -> str:
    year, month = int(key[:4]), int(key[5:7]) - n
    while month < 1:
        year, month = year - 1, month + 12
    return f"{year:04d}-{month:02d}"


def _period_months(f: DashboardFilters) -> list[str]:
    return [f"{y:04d}-{m:02d}" for y, m in f.months()]


def _stored_sums(table: Any, groups: tuple[Any, ...], count: Any, key: Any, where: list[Any],
                 keyed: bool) -> list[tuple[Any, ...]]:
    """Return (*groups, count, key) summed over stored rows (the key 0 when not keyed)."""
    sums = [sa.func.sum(count), sa.func.sum(key) if keyed else sa.literal(0)]
    return [tuple(row) for row in db.session.execute(sa.select(*groups, *sums).where(*where).group_by(*groups))]


def _put(target: dict[Any, Count], key: Any, n: Any, k: Any) -> None:
    target[key] = _add(target.get(key, (0, 0)), (int(n), int(k or 0)))


def load(f: DashboardFilters, keyed: bool) -> DirectorData:
    """Read the director's counts: months of the last YEARS years to the period's end, and the period's splits.

    Months the refresh keeps up to date are read from the monthly tables (their key sums included); the rest
    (a period's edges, stale months, a reporting unit) is counted live over the cases, with the same keys.
    """
    out, scope = DirectorData(), f.scope()
    months = _period_months(f)
    first = min(f"{f.end.year - YEARS + 1:04d}-01", _months_back(months[0], 12))
    years_stored, years_live = split_stored(replace(f, start=date(int(first[:4]), int(first[5:7]), 1)).whole_months())
    stored, live = split_stored(f)
    cell, finding = DashboardCell, DashboardFinding
    sustained, stored_sustained = Allegation.finding == Finding.SUSTAINED, finding.finding == Finding.SUSTAINED.value
    case_key, allegation_key = record_key(Case.id), record_key(Allegation.id, 1)
    if years_stored:
        for m, anonymous, n, k in _stored_sums(
                cell, (cell.month, cell.is_anonymous), cell.received, cell.key_received,
                [cell.month.in_(years_stored), cell.by_office.is_(bool(f.office)), *scope_where(cell, f)], keyed):
            _put(out.received, (m, bool(anonymous)), n, k)
        for m, is_sustained, n, k in _stored_sums(
                finding, (finding.month, stored_sustained), finding.n, finding.key_sum,
                [finding.month.in_(years_stored), finding.finding.is_not(None), *scope_where(finding, f)], keyed):
            _put(out.decided, (m, bool(is_sustained)), n, k)
    if stored:
        for office, category, n, k in _stored_sums(
                cell, (cell.office_id, cell.category_id), cell.received, cell.key_received,
                [cell.month.in_(stored), cell.by_office.is_(True), *scope_where(cell, f)], keyed):
            _put(out.matrix, (office, category), n, k)
        for office, channel, anonymous, is_sustained, n, k in _stored_sums(
                finding, (finding.office_id, finding.channel, finding.is_anonymous, stored_sustained), finding.n,
                finding.key_sum, [finding.month.in_(stored), finding.finding.is_not(None),
                                  *scope_where(finding, f)], keyed):
            _put(out.found, (office, _text(channel), bool(anonymous), bool(is_sustained)), n, k)
    for start, end in years_live:
        month = month_expr(Case.received_at, start, end)
        stmt = (sa.select(month, Case.is_anonymous, sa.func.count(), *_keys(sa.true(), case_key, keyed))
                .where(Case.received_at >= start, Case.received_at < end, *scope).group_by(month, Case.is_anonymous))
        for m, anonymous, n, k in db.session.execute(stmt):
            _put(out.received, (m, bool(anonymous)), n, k)
        found_month = month_expr(Allegation.finding_at, start, end)
        stmt = (sa.select(found_month, sustained, sa.func.count(), *_keys(sa.true(), allegation_key, keyed))
                .join(Case, Allegation.case_id == Case.id)
                .where(Allegation.finding_at >= start, Allegation.finding_at < end, Allegation.finding.is_not(None),
                       *scope).group_by(found_month, sustained))
        for m, is_sustained, n, k in db.session.execute(stmt):
            _put(out.decided, (m, bool(is_sustained)), n, k)
    for start, end in live:
        stmt = (sa.select(Case.office_id, Case.category_id, sa.func.count(), *_keys(sa.true(), case_key, keyed))
                .where(*scope, Case.received_at >= start, Case.received_at < end)
                .group_by(Case.office_id, Case.category_id))
        for office, category, n, k in db.session.execute(stmt):
            _put(out.matrix, (office, category), n, k)
        groups = (Case.office_id, Case.channel, Case.is_anonymous, sustained)
        stmt = (sa.select(*groups, sa.func.count(), *_keys(sa.true(), allegation_key, keyed))
                .join(Case, Allegation.case_id == Case.id)
                .where(Allegation.finding_at >= start, Allegation.finding_at < end,
                       Allegation.finding.is_not(None), *scope).group_by(*groups))
        for office, channel, anonymous, is_sustained, n, k in db.session.execute(stmt):
            _put(out.found, (office, _text(channel), bool(anonymous), bool(is_sustained)), n, k)
    stmt = (sa.select(Case.incident_band, sa.func.count(), *_keys(sa.true(), case_key, keyed))
            .where(*f.received()).group_by(Case.incident_band))
    for band, n, k in db.session.execute(stmt):
        out.delays[None if band is None else int(band)] = (int(n), int(k or 0))
    return out


def data_for(f: DashboardFilters, inputs: Inputs) -> DirectorData:
    """Return the director's counts for these inputs, read on first use and kept with them."""
    if inputs.director is None:
        inputs.director = load(f, keyed=inputs.protected)
    return inputs.director  # type: ignore[no-any-return]


def _sum_months(table: dict[tuple[str, bool], Count], months: list[str], flag: bool | None = None) -> Count:
    return _total([v for (m, fl), v in table.items() if m in months and (flag is None or fl == flag)])


def _label(months: list[str]) -> str:
    return months[0] if len(months) == 1 else f"{months[0]} – {months[-1]}"


def comparison(f: DashboardFilters, inputs: Inputs) -> Figure:
    """Key counts of the period's months against the months before and the same months a year earlier."""
    data = data_for(f, inputs)
    now = _period_months(f)
    before = [_months_back(m, len(now)) for m in now]
    year_ago = [_months_back(m, 12) for m in now]
    lines = ((_("Cases received"), data.received, None), (_("Anonymous cases"), data.received, True),
             (_("Allegations decided"), data.decided, None), (_("Allegations sustained"), data.decided, True))
    rows: list[str] = []
    values: list[list[float | int | None]] = []
    keys: list[list[int | None]] = []
    for label, table, flag in lines:
        counts = [_sum_months(table, months, flag) for months in (now, before, year_ago)]
        rows.append(label)
        values.append([counts[0][0], counts[1][0], None, counts[2][0], None])
        keys.append([counts[0][1], counts[1][1], None, counts[2][1], None])
    cols = [_("This period (%(months)s)", months=_label(now)), _("Previous period (%(months)s)",
                                                                  months=_label(before)),
            _("Change"), _("A year earlier (%(months)s)", months=_label(year_ago)), _("Change")]
    return Figure("comparison", _("This period against the previous one and a year earlier"), VALUES, rows, cols,
                  values, row_header="", unit=" %", keys=keys, changes={2: (0, 1), 4: (0, 3)})


def trend_years(f: DashboardFilters, inputs: Inputs) -> Figure:
    """Cases received, allegations decided and sustained per calendar year, the last YEARS years."""
    data = data_for(f, inputs)
    last = _period_months(f)[-1]
    rows: list[str] = []
    values: list[list[float | int | None]] = []
    keys: list[list[int | None]] = []
    for year in range(f.end.year - YEARS + 1, f.end.year + 1):
        months, key = [], f"{year:04d}-01"
        while key <= min(last, f"{year:04d}-12"):
            months.append(key)
            key = next_key(key)
        counts = [_sum_months(data.received, months), _sum_months(data.decided, months),
                  _sum_months(data.decided, months, True)]
        rows.append(str(year) if months[-1].endswith("-12") else
                    _("%(year)s (to %(month)s)", year=str(year), month=months[-1]))
        values.append([c[0] for c in counts] + [None])
        keys.append([c[1] for c in counts] + [None])
    return Figure("trend_years", _("Trend over the years"), VALUES, rows,
                  [_("Cases received"), _("Allegations decided"), _("Allegations sustained"),
                   _("Substantiation rate")], values, row_header=_("Year"), unit=" %", keys=keys, rates={3: (2, 1)})


def targets(f: DashboardFilters, inputs: Inputs) -> Figure:
    """Each legal clock's target share on time, the share achieved in the period and whether it is met."""
    cfg = current_app.config
    labels = [ngettext("Acknowledged within %(n)d day", "Acknowledged within %(n)d days", cfg["CASEFLOW_ACK_DAYS"],
                       n=cfg["CASEFLOW_ACK_DAYS"]),
              ngettext("Triage decided within %(n)d day", "Triage decided within %(n)d days",
                       cfg["CASEFLOW_TRIAGE_DAYS"], n=cfg["CASEFLOW_TRIAGE_DAYS"]),
              ngettext("Feedback within %(n)d month", "Feedback within %(n)d months", cfg["CASEFLOW_FEEDBACK_MONTHS"],
                       n=cfg["CASEFLOW_FEEDBACK_MONTHS"])]
    values: list[list[float | int | None]] = []
    keys: list[list[int | None]] = []
    for clock, setting in TARGETS:
        counts = []
        for part in ("met", "late"):
            i = CELL_COUNTS.index(f"{clock}_{part}")
            counts.append(_total([(c.counts[i], c.keys[i] if c.keys else 0) for c in inputs.cells]))
        met, late = counts
        decided = _add(met, late)
        values.append([float(cfg[setting]), decided[0], met[0], None, None])
        keys.append([None, decided[1], met[1], None, None])
    return Figure("targets", _("Targets per legal clock"), VALUES, labels,
                  [_("Target"), _("Decided"), _("On time"), _("Actual"), _("Status")], values, row_header=_("Clock"),
                  unit=" %", keys=keys, rates={3: (2, 1)}, statuses={4: (3, 0)},
                  note=_("Targets are set by the administrator (CASEFLOW_TARGET_*_PCT)."))


def _offices() -> dict[int, Office]:
    return {o.id: o for o in db.session.scalars(sa.select(Office).order_by(Office.name))}


def office_category(f: DashboardFilters, inputs: Inputs) -> Figure:
    """Cases received in the period, by office and category."""
    data = data_for(f, inputs)
    offices = _offices()
    categories = list(db.session.scalars(sa.select(Category).order_by(Category.name)))
    office_ids: list[int | None] = [o for o in offices if any(k[0] == o for k in data.matrix)]
    if any(k[0] is None for k in data.matrix):
        office_ids.append(None)
    cat_ids: list[int | None] = [c.id for c in categories if any(k[1] == c.id for k in data.matrix)]
    if any(k[1] is None for k in data.matrix):
        cat_ids.append(None)
    labels = {c.id: c.label for c in categories}
    values: list[list[float | int | None]] = [[data.matrix.get((o, c), (0, 0))[0] for c in cat_ids]
                                              for o in office_ids]
    keys: list[list[int | None]] = [[data.matrix.get((o, c), (0, 0))[1] for c in cat_ids] for o in office_ids]
    return Figure("office_category", _("Cases received by office and category"), GRID,
                  [offices[o].name if o is not None else _("No office") for o in office_ids],
                  [labels[c] if c is not None else _("Not categorised") for c in cat_ids],
                  values, row_header=_("Office"), keys=keys)


def rates_per_staff(f: DashboardFilters, inputs: Inputs) -> Figure:
    """Cases received and allegations sustained per 100 staff of each office (offices with a headcount)."""
    data = data_for(f, inputs)
    rows: list[str] = []
    values: list[list[float | int | None]] = []
    keys: list[list[int | None]] = []
    for office_id, office in _offices().items():
        received = _total([v for (o, _c), v in data.matrix.items() if o == office_id])
        sustained = _total([v for (o, _ch, _a, s), v in data.found.items() if o == office_id and s])
        if not office.active and not received[0]:
            continue
        rows.append(office.name)
        values.append([office.headcount, received[0], None, sustained[0], None])
        keys.append([None, received[1], None, sustained[1], None])
    return Figure("rates_staff", _("Rates per 100 staff"), VALUES, rows,
                  [_("Staff"), _("Cases received"), _("Per 100 staff"), _("Allegations sustained"),
                   _("Per 100 staff")], values, row_header=_("Office"), keys=keys,
                  per_staff={2: (1, 0), 4: (3, 0)},
                  note=_("Rates are computed from the counts as shown; an office without a headcount has none."))


def substantiation_by(f: DashboardFilters, inputs: Inputs) -> Figure:
    """Share of allegations decided in the period that were sustained, by channel and by anonymity."""
    data = data_for(f, inputs)
    rows: list[str] = []
    values: list[list[float | int | None]] = []
    keys: list[list[int | None]] = []

    def line(label: str, match: Any) -> None:
        decided = _total([v for k, v in data.found.items() if match(k)])
        sustained = _total([v for k, v in data.found.items() if match(k) and k[3]])
        rows.append(label)
        values.append([decided[0], sustained[0], None])
        keys.append([decided[1], sustained[1], None])

    for channel in Channel:
        if any(k[1] == channel.value for k in data.found):
            line(channel.label, lambda k, ch=channel.value: k[1] == ch)
    line(_("Named reporters"), lambda k: not k[2])
    line(_("Anonymous reporters"), lambda k: k[2])
    return Figure("substantiation_by", _("Substantiation by channel and by anonymity"), VALUES, rows,
                  [_("Decided"), _("Sustained"), _("Rate")], values, row_header=_("Allegations of"),
                  unit=" %", keys=keys, rates={2: (1, 0)})


def band_label(band: int | None) -> str:
    """Return the label of an incident-to-report band."""
    if band is None:
        return _("Not known (no date given)")
    last = BANDS[band]
    if last is None:
        days = BANDS[band - 1] or 0
        return ngettext("More than %(n)d day", "More than %(n)d days", days, n=days)
    low = 0 if band == 0 else (BANDS[band - 1] or 0) + 1
    return ngettext("%(low)d to %(high)d day", "%(low)d to %(high)d days", last, low=low, high=last)


def incident_delay(f: DashboardFilters, inputs: Inputs) -> Figure:
    """Cases received in the period by the time from the incident to the report."""
    data = data_for(f, inputs)
    bands: list[int | None] = [*range(len(BANDS)), None]
    return Figure("incident_delay", _("Time from incident to report"), SERIES, [band_label(b) for b in bands],
                  [_("Cases")], [[data.delays.get(b, (0, 0))[0]] for b in bands], row_header=_("Reported after"),
                  keys=[[data.delays.get(b, (0, 0))[1]] for b in bands])


FIGURES = (comparison, targets, trend_years, office_category, rates_per_staff, substantiation_by, incident_delay)
