"""The first page of the management report: what a director reads in a minute.

Key figures against the previous period and a year earlier, the targets and their status, and the top
concerns. Every number is taken from the figures as presented to the reader (perturbed for managers), so the
page shows nothing the tables after it do not.
"""

from __future__ import annotations

from typing import Any

from flask_babel import get_locale
from flask_babel import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from caseflow.dashboards.figures import Shown
from caseflow.pdf_fonts import mirror
from caseflow.reports.pdf import para, styles, table

TOP_CONCERNS = 5


def _by_key(shown: list[Shown]) -> dict[str, Shown]:
    return {s.key: s for s in shown}


def _number(text: str) -> float | None:
    """Return the number a shown cell holds ("93.0 %", "1,234"), or None ("<5", "hidden", "–")."""
    cleaned = text.replace("\u00a0", "").replace("\u202f", "").replace(",", "").replace("%", "").strip()
    cleaned = cleaned.replace("\u066b", ".").replace("\u066c", "")
    try:
        return float(cleaned.split(" ")[0])
    except ValueError:
        return None


def _rows_table(rows: list[list[str]], widths: list[float]) -> Any:
    locale = get_locale()
    return table([mirror(r, locale) for r in rows], mirror(widths, locale))


def concerns(shown: list[Shown]) -> list[str]:
    """Return the top concerns, in words, from the figures as shown."""
    by_key, out = _by_key(shown), []
    targets = by_key.get("targets")
    if targets is not None:
        for row in targets.body:
            label, target, _decided, _on_time, actual, status = row
            if status == _("Not met"):
                out.append(_("%(clock)s: %(actual)s on time against a target of %(target)s.",
                             clock=label, actual=actual, target=target))
    overdue = by_key.get("overdue")
    if overdue is not None and overdue.body and _number(overdue.body[-1][1]):
        out.append(_("Open cases with a legal clock overdue now: %(n)s.", n=overdue.body[-1][1]))
    comparison = by_key.get("comparison")
    if comparison is not None and comparison.body:
        change = _number(comparison.body[0][5])
        if change is not None and change >= 20:
            out.append(_("Complaints received rose by %(change)s against a year earlier.",
                         change=comparison.body[0][5]))
    rates = by_key.get("rates_staff")
    if rates is not None:
        ranked = sorted(((_number(r[3]), r) for r in rates.body if _number(r[3]) is not None),
                        key=lambda pair: -(pair[0] or 0))
        if ranked and (ranked[0][0] or 0) > 0:
            row = ranked[0][1]
            out.append(_("Most complaints per 100 staff: %(office)s (%(rate)s).", office=row[0], rate=row[3]))
    by_reporter = by_key.get("substantiation_by")
    if by_reporter is not None:
        for row in by_reporter.body[-2:]:  # named, then anonymous reporters
            if _number(row[3]) == 0.0:
                out.append(_("No allegation sustained in the period: %(who)s.", who=row[0]))
    return out[:TOP_CONCERNS]


def summary_page(shown: list[Shown], period: str) -> list[Any]:
    """Return the flowables of the one-page summary."""
    st, by_key = styles(), _by_key(shown)
    story: list[Any] = [para(_("Summary for %(period)s", period=period), st["h1"])]
    comparison = by_key.get("comparison")
    if comparison is not None:
        story.append(para(_("Key figures"), st["h2"]))
        rows = [[_("Figure"), *comparison.header[1:]]] + [list(map(str, r)) for r in comparison.body]
        story.append(_rows_table(rows, [42 * mm, 30 * mm, 30 * mm, 19 * mm, 30 * mm, 19 * mm]))
    open_now = by_key.get("open_age")
    overdue = by_key.get("overdue")
    if open_now is not None and overdue is not None and open_now.footer and overdue.body:
        story.append(Spacer(1, 2 * mm))
        story.append(_rows_table([[_("Open cases now"), open_now.footer[-1],
                                   _("of which with a clock overdue"), overdue.body[-1][1]]],
                                 [50 * mm, 35 * mm, 50 * mm, 35 * mm]))
    targets = by_key.get("targets")
    if targets is not None:
        story.append(para(_("Targets"), st["h2"]))
        rows = [[targets.header[0], targets.header[1], targets.header[4], targets.header[5]]]
        rows += [[r[0], r[1], r[4], r[5]] for r in targets.body]
        story.append(_rows_table(rows, [80 * mm, 30 * mm, 30 * mm, 30 * mm]))
    story.append(para(_("Top concerns"), st["h2"]))
    items = concerns(shown) or [_("No target missed and nothing overdue.")]
    story += [para(f"• {item}", st["body"]) for item in items]
    return story
