"""A dashboard figure's numbers and how they are shown: exact for supervisors, perturbed for managers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _

from caseflow.dashboards.protect import HIDDEN, NOISE_BOUND, SMALL, combine, perturb
from caseflow.i18n import number

GRID = "grid"  # counts by two dimensions, with row and column totals
SERIES = "series"  # counts of one distribution, with its total
VALUES = "values"  # rates, medians and the like, each row resting on a base count

Shownish = int | float | str | None  # a number, SMALL or HIDDEN, or None (nothing to show)


@dataclass
class Figure:
    """One dashboard figure as computed from the database."""

    key: str
    title: str
    kind: str
    rows: list[str]
    cols: list[str]
    values: list[list[float | int | None]]
    row_header: str = ""
    bases: list[int] = field(default_factory=list)  # VALUES: the count each row rests on
    numerators: list[int] = field(default_factory=list)  # VALUES that are shares: the count of the share
    unit: str = ""
    note: str = ""
    keys: list[list[int | None]] = field(default_factory=list)  # per value: its records' key; None: not a count
    rates: dict[int, tuple[int, int]] = field(default_factory=dict)  # VALUES column -> (numerator, base) columns
    depends: dict[int, int] = field(default_factory=dict)  # VALUES column -> the count column it rests on
    changes: dict[int, tuple[int, int]] = field(default_factory=dict)  # column -> (now, earlier) count columns
    per_staff: dict[int, tuple[int, int]] = field(default_factory=dict)  # column -> (count, headcount) columns
    statuses: dict[int, tuple[int, int]] = field(default_factory=dict)  # column -> (share, target) columns
    parts: dict[int, tuple[int, ...]] = field(default_factory=dict)  # VALUES count column -> columns counting parts


@dataclass
class Shown:
    """A figure ready to show: display strings, numbers safe to chart (None: not drawn), and the totals if any."""

    figure: Figure
    header: list[str]
    body: list[list[str]]
    chart_values: list[list[float | None]]
    suppressed: bool = False
    footer: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        """Return the figure's key."""
        return self.figure.key

    @property
    def title(self) -> str:
        """Return the figure's title."""
        return self.figure.title


def format_value(value: Shownish, unit: str = "", localise: bool = True, threshold: int = 0) -> str:
    """Format a figure's number: for the reader's language on screen and in PDFs, plain in exports."""
    if value is None:
        return "–"
    if value == SMALL:
        return f"<{threshold}"
    if value == HIDDEN:
        return _("hidden")
    if isinstance(value, str):  # a status word
        return value
    if isinstance(value, float):
        return (number(value, 1) if localise else f"{value:.1f}") + unit
    return number(int(value)) if localise else f"{int(value):d}"


def _chart(value: Shownish) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def _key(fig: Figure, r: int, c: int) -> int:
    return int(fig.keys[r][c] or 0) if fig.keys else 0


def _not_below_parts(whole: Shownish, parts: list[Shownish]) -> Shownish:
    """Return a total as shown: if its own perturbed value is small while a part of it is shown, the largest part
    shown (a function of shown numbers only, so it tells nothing new), never "<t" above a part of 5 or more."""
    if whole != SMALL:
        return whole
    shown = [p for p in parts if isinstance(p, int)]
    return max(shown) if shown else whole


def _grid(fig: Figure, count: Any) -> tuple[list[list[Shownish]], list[Shownish]]:
    """Return the cells with their row totals, and the totals line: each a cell of its own (keys summed)."""
    n_cols = len(fig.cols)
    cells = [[int(v or 0) for v in row] for row in fig.values]
    out: list[list[Shownish]] = []
    for r, row in enumerate(cells):
        keys = [_key(fig, r, c) for c in range(n_cols)]
        shown = [count(v, k) for v, k in zip(row, keys, strict=True)]
        out.append([*shown, _not_below_parts(count(sum(row), combine(*keys)), shown)])
    footer: list[Shownish] = []
    for c in range(n_cols):
        total = count(sum(row[c] for row in cells), combine(*[_key(fig, r, c) for r in range(len(cells))]))
        footer.append(_not_below_parts(total, [row[c] for row in out]))
    every = [_key(fig, r, c) for r in range(len(cells)) for c in range(n_cols)]
    grand = count(sum(map(sum, cells)), combine(*every))
    footer.append(_not_below_parts(grand, [v for row in out for v in row] + footer))
    return out, footer


def _values_row(fig: Figure, r: int, row: list[Any], count: Any, threshold: int) -> list[Shownish]:
    """Return one VALUES row: counts through `count`, shares recomputed from the shown counts."""
    out: list[Shownish] = []
    keys = fig.keys[r] if fig.keys else [None] * len(row)
    for c, v in enumerate(row):
        out.append(count(int(v or 0), int(keys[c] or 0)) if keys[c] is not None else v)
    wholes = {base_at: (num_at,) for num_at, base_at in fig.rates.values()} | fig.parts
    for whole_at, parts_at in wholes.items():
        out[whole_at] = _not_below_parts(out[whole_at], [out[p] for p in parts_at])
    for c, (num_at, base_at) in fig.rates.items():
        num, base = out[num_at], out[base_at]
        exact = threshold <= 1 and isinstance(base, int) and base > 0  # supervisors: every share as it is
        if isinstance(num, int) and isinstance(base, int) and (exact or base >= threshold and
                                                                base - num >= threshold and
                                                                (num == 0 or num >= threshold)):
            out[c] = min(100.0, 100.0 * num / base) if base else None
        elif base == 0:
            out[c] = None
        else:
            out[c] = HIDDEN
    for c, base_at in fig.depends.items():  # a median is not a function of shown counts: it needs a base shown
        base = out[base_at]  # so high that its true count is at least the threshold whatever its noise
        if not isinstance(base, int) or (threshold > 1 and base < threshold + NOISE_BOUND):
            out[c] = HIDDEN
    _derived(fig, out)
    return out


def _derived(fig: Figure, out: list[Shownish]) -> None:
    """Fill the changes, rates per 100 staff and target statuses of a row, from its counts as shown."""
    for c, (now_at, then_at) in fig.changes.items():
        now, then = out[now_at], out[then_at]
        if isinstance(now, int) and isinstance(then, int):
            out[c] = 100.0 * (now - then) / then if then else None
        else:
            out[c] = HIDDEN if SMALL in (now, then) else None
    for c, (count_at, staff_at) in fig.per_staff.items():
        count, staff = out[count_at], out[staff_at]
        if not isinstance(staff, int) or staff <= 0:
            out[c] = None
        elif isinstance(count, int):
            out[c] = 100.0 * count / staff
        else:
            out[c] = HIDDEN
    for c, (share_at, target_at) in fig.statuses.items():
        share, target = out[share_at], out[target_at]
        if isinstance(share, float) and isinstance(target, int | float):
            out[c] = _("Met") if share >= target else _("Not met")
        else:
            out[c] = HIDDEN if share == HIDDEN else None


def present(fig: Figure, exact: bool, threshold: int, localise: bool = True) -> Shown:
    """Return the figure for a viewer: exact numbers, or every count perturbed by its cell key (managers)."""
    def count(value: int, key: int) -> Shownish:
        return value if exact or threshold <= 1 else perturb(value, key, threshold)

    def fmt(value: Shownish) -> str:
        return format_value(value, fig.unit if isinstance(value, float) else "", localise, threshold)

    if fig.kind in (GRID, SERIES):
        if fig.kind == SERIES:  # one column: the totals line is the series' total
            fig_cols = fig.cols[:1]
            cells, footer = _grid(Figure(fig.key, fig.title, GRID, fig.rows, fig_cols, fig.values, keys=fig.keys),
                                  count)
            cells = [row[:1] for row in cells]
            footer = footer[-1:]
            header = [fig.row_header, *fig.cols]
        else:
            cells, footer = _grid(fig, count)
            header = [fig.row_header, *fig.cols, _("Total")]
        body = [[label, *map(fmt, row)] for label, row in zip(fig.rows, cells, strict=True)]
        chart = [[_chart(v) for v in row[:len(fig.cols)]] for row in cells]
        hidden = any(not isinstance(v, int) for row in cells for v in row) or \
            any(not isinstance(v, int) for v in footer)
        return Shown(fig, header, body, chart, hidden, [_("Total"), *map(fmt, footer)])
    rows = [_values_row(fig, r, list(row), count, 1 if exact else threshold) for r, row in enumerate(fig.values)]

    def cell(c: int, value: Shownish) -> str:
        text = fmt(value)
        signed = localise and c in fig.changes and isinstance(value, float) and value > 0  # exports: no '+'
        return f"+{text}" if signed else text

    body = [[label, *[cell(c, v) for c, v in enumerate(row)]] for label, row in zip(fig.rows, rows, strict=True)]
    chart = [[_chart(v) for v in row] for row in rows]
    suppressed = any(v in (SMALL, HIDDEN) for row in rows for v in row)
    return Shown(fig, [fig.row_header, *fig.cols], body, chart, suppressed)


def key_figures(shown: list[Shown]) -> list[tuple[str, str]]:
    """Return the headline numbers (as shown to this user, so the protection holds) for the tiles on top."""
    by_key = {s.key: s for s in shown}

    def footer_total(key: str) -> str:
        s = by_key.get(key)
        return s.footer[-1] if s is not None and s.footer else "–"

    def cell(key: str, row: int, col: int) -> str:
        s = by_key.get(key)
        return s.body[row][col] if s is not None and len(s.body) > row else "–"

    return [(_("Received in the period"), footer_total("received_channel")),
            (_("Open now"), footer_total("open_age")),
            (_("Open with a clock overdue"), cell("overdue", 4, 1)),
            (_("Acknowledged within the legal time"), cell("compliance", 0, 4)),
            (_("Median days to close"), cell("durations", 1, 2)),
            (_("Substantiation rate"), cell("substantiation", 0, 3))]
