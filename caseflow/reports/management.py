"""The management report: the dashboard for a period as a printable PDF, charts as vector drawings."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, PageBreak, Spacer

from caseflow.dashboards.charts import drawing_for
from caseflow.dashboards.figures import Shown, key_figures
from caseflow.dashboards.protect import NOISE_BOUND
from caseflow.reports.pdf import DocMeta, build, key_values, para, stamp, styles, table
from caseflow.reports.summary import summary_page


def _figure_table(s: Shown) -> Any:
    rows = [list(map(str, s.header))] + [list(map(str, r)) for r in s.body]
    if s.footer:
        rows.append(list(map(str, s.footer)))
    first = 26 * mm if len(s.header) > 6 else 60 * mm
    rest = (170 * mm - first) / max(1, len(s.header) - 1)
    return table(rows, [first] + [rest] * (len(s.header) - 1))


def render_management(shown: list[Shown], meta: DocMeta, unit: str, scope: list[tuple[str, str]],
                      suppressed: bool, threshold: int, period: str = "") -> bytes:
    """Return the management report PDF for figures already presented (suppressed for managers): a one-page
    summary, then every figure with its chart and table."""
    st = styles()
    story: list[Any] = [
        para(unit, st["center"]), para(_("Management report"), st["title"]), stamp(meta.classification),
        *summary_page(shown, period), Spacer(1, 3 * mm),
    ]
    if suppressed:
        story.append(para(_("These figures are protected: every count is shown with a small fixed deviation (at "
                            "most %(b)s either way) and as “<%(t)s” when the deviated number is below %(t)s (so a "
                            "“<%(t)s” stands for 0 to %(n)s), and values resting on them show as “hidden”; charts "
                            "leave such cells out. Periods are whole months. Totals are protected on their own, so "
                            "parts need not add up to them exactly.",
                            b=str(NOISE_BOUND), n=str(threshold - 1 + NOISE_BOUND), t=str(threshold)), st["small"]))
    story += [PageBreak(), key_values(scope), Spacer(1, 4 * mm), para(_("Key figures"), st["h2"]),
              key_values(key_figures(shown)), Spacer(1, 4 * mm)]
    for i, s in enumerate(shown, start=1):
        block: list[Any] = [para(f"{i}. {s.title}", st["h1"])]
        drawing = drawing_for(s, for_pdf=True)
        if drawing is not None:
            block.append(drawing)
        items = [*block, _figure_table(s)]
        story.append(CondPageBreak(90 * mm))
        story.extend([KeepTogether(items)] if len(s.body) < 14 else items)
        if s.figure.note:
            story.append(para(s.figure.note, st["small"]))
    return build(story, meta)
