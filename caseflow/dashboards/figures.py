"""A dashboard figure's numbers and how they are shown: exact for supervisors, suppressed for managers."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

from caseflow.dashboards.suppression import is_small, suppress_grid, suppress_series
from caseflow.i18n import number

GRID = "grid"  # counts by two dimensions, with row and column totals
SERIES = "series"  # counts of one distribution, with its total
VALUES = "values"  # rates, medians and the like, each row resting on a base count


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


@dataclass
class Shown:
    """A figure ready to show: display strings, numbers safe to chart, and the totals if any."""

    figure: Figure
    header: list[str]
    body: list[list[str]]
    chart_values: list[list[float]]
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


def format_value(value: float | int | None, unit: str = "", localise: bool = True) -> str:
    """Format a figure's number: for the reader's language on screen and in PDFs, plain in exports."""
    if value is None:
        return "–"
    if isinstance(value, float):
        return (number(value, 1) if localise else f"{value:.1f}") + unit
    return number(value) if localise else f"{value:d}"


def present(fig: Figure, exact: bool, threshold: int, localise: bool = True) -> Shown:
    """Return the figure for a viewer: exact numbers, or small cells and what betrays them hidden."""
    small = f"<{threshold}"

    def _fmt(value: float | int | None, unit: str = "") -> str:
        return format_value(value, unit, localise)

    if fig.kind == GRID:
        grid = suppress_grid([[int(v or 0) for v in row] for row in fig.values], 0 if exact else threshold,
                             n_cols=len(fig.cols))
        n_rows, n_cols = len(fig.rows), len(fig.cols)

        def cell(r: int, c: int) -> str:
            return small if (r, c) in grid.hidden else _fmt(grid.value(r, c))

        body = [[fig.rows[r], *[cell(r, c) for c in range(n_cols + 1)]] for r in range(n_rows)]
        footer = [_("Total"), *[cell(n_rows, c) for c in range(n_cols + 1)]]
        chart = [[0.0 if (r, c) in grid.hidden else float(grid.value(r, c)) for c in range(n_cols)]
                 for r in range(n_rows)]
        return Shown(fig, [fig.row_header, *fig.cols, _("Total")], body, chart, bool(grid.hidden), footer)
    if fig.kind == SERIES:
        counts = [int(row[0] or 0) for row in fig.values]
        hidden = set() if exact else suppress_series(counts, threshold)
        body = [[label, small if i in hidden else _fmt(v)]
                for i, (label, v) in enumerate(zip(fig.rows, counts, strict=True))]
        total = sum(counts)
        footer = [_("Total"), small if len(counts) in hidden else _fmt(total)]
        chart = [[0.0 if i in hidden else float(v)] for i, v in enumerate(counts)]
        return Shown(fig, [fig.row_header, *fig.cols], body, chart, bool(hidden), footer)
    body, chart, suppressed = [], [], False
    bases = fig.bases or [0] * len(fig.rows)
    nums = fig.numerators or [None] * len(fig.rows)
    for label, row, base, num in zip(fig.rows, fig.values, bases, nums, strict=True):
        # A share betrays its numerator: hide it when the numerator or its complement is small.
        hide = not exact and (is_small(base, threshold) or (num is not None and (
            is_small(num, threshold) or is_small(base - num, threshold))))
        suppressed = suppressed or hide
        body.append([label, *[("–" if hide else _fmt(v, fig.unit)) for v in row]])
        chart.append([0.0 if hide or v is None else float(v) for v in row])
    return Shown(fig, [fig.row_header, *fig.cols], body, chart, suppressed)


def key_figures(shown: list[Shown]) -> list[tuple[str, str]]:
    """Return the headline numbers (as shown to this user, so suppression holds) for the tiles on top."""
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
