"""The evidence register exported: a PDF (ReportLab, the reports' fonts and Arabic shaping) and a CSV (exports.py).

Both carry, per item, its number, description, when and from whom it was received or seized, where it is kept
and who holds it, the SHA-256 of its file, and every hand-over of its chain of custody.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import get_locale
from flask_babel import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import KeepTogether, SimpleDocTemplate, Spacer
from sqlalchemy.orm import selectinload

from caseflow import audit, deadlines, exports
from caseflow.clock import utcnow
from caseflow.extensions import db
from caseflow.models import Case, EvidenceItem, User
from caseflow.pdf_fonts import is_rtl, mirror, shape
from caseflow.pdf_fonts import register_fonts as pdf_fonts
from caseflow.reports.pdf import INK, RED, RULE, key_values, para, styles, table

FORMATS = ("pdf", "csv")
PDF_MIME = "application/pdf"
SUMMARY_CHARS = 300  # a description longer than this is cut in the summary table (it is whole in the item's part)


@dataclass(frozen=True)
class Custody:
    """One hand-over, as exported."""

    when: str
    from_holder: str
    to_holder: str
    reason: str
    recorded_by: str


@dataclass(frozen=True)
class RegisterRow:
    """One item of the register, as exported."""

    number: str
    description: str
    received: str
    source: str
    kept_at: str
    holder: str
    filename: str
    sha256: str
    check: str
    custody: list[Custody]


def _local(when: datetime | None) -> str:
    return deadlines.utc_to_local(when).strftime("%Y-%m-%d %H:%M") if when else ""


def _check(item: EvidenceItem) -> str:
    if item.last_check_ok is None:
        return _("not re-checked") if item.attachment_id else ""
    verdict = _("matches") if item.last_check_ok else _("HASH MISMATCH")
    return f"{verdict} ({_local(item.last_check_at)})"


def register_rows(case: Case) -> list[RegisterRow]:
    """Return the case's register in item order, each with its chain of custody (times in local time)."""
    items = db.session.scalars(sa.select(EvidenceItem).where(EvidenceItem.case_id == case.id)
                               .options(selectinload(EvidenceItem.custody)).order_by(EvidenceItem.seq))
    rows = []
    for item in items:
        chain = [Custody(_local(e.occurred_at), e.from_holder, e.to_holder, e.reason,
                         e.recorded_by.full_name if e.recorded_by else "") for e in item.custody]
        rows.append(RegisterRow(item.number, item.description, chain[0].when if chain else _local(item.created_at),
                                item.source, item.storage_location, item.holder, item.filename or "",
                                item.sha256 or "", _check(item), chain))
    return rows


def _tables(rows: list[RegisterRow]) -> list[tuple[str, list[str], list[list[Any]]]]:
    items = [[r.number, r.description, r.received, r.source, r.kept_at, r.holder, r.filename, r.sha256, r.check]
             for r in rows]
    chain = [[r.number, n, c.when, c.from_holder, c.to_holder, c.reason, c.recorded_by]
             for r in rows for n, c in enumerate(r.custody, start=1)]
    return [(_("Evidence register"), [_("Item"), _("Description"), _("Received or seized"), _("From"),
                                      _("Kept at"), _("Held by"), _("File"), _("SHA-256"), _("Last re-check")], items),
            (_("Chain of custody"), [_("Item"), _("Hand-over"), _("When"), _("From"), _("To"), _("Why"),
                                     _("Recorded by")], chain)]


def _page_canvas(case: Case, exported: str) -> type[rl_canvas.Canvas]:
    """Return a canvas class that heads every page with the case and numbers the pages 'n of m'."""
    font, bold = pdf_fonts()
    locale = get_locale()

    class RegisterCanvas(rl_canvas.Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - ReportLab's API
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            for state in self._pages:
                self.__dict__.update(state)
                self._decorate(len(self._pages))
                super().showPage()
            super().save()

        def _decorate(self, total: int) -> None:
            width, height = A4
            self.saveState()
            self.setFillColor(RED)
            self.setFont(bold, 8.5)
            self.drawCentredString(width / 2, height - 10 * mm, shape(_("CONFIDENTIAL"), locale))
            self.setFillColor(INK)
            self.setFont(bold, 9)
            head = f"{_('Evidence register')} · {case.number} · {case.title}"[:110]
            draw = self.drawRightString if is_rtl(locale) else self.drawString
            draw(width - 20 * mm if is_rtl(locale) else 20 * mm, height - 15 * mm, shape(head, locale))
            self.setStrokeColor(RULE)
            self.setLineWidth(0.5)
            self.line(20 * mm, height - 17 * mm, width - 20 * mm, height - 17 * mm)
            self.line(20 * mm, 15 * mm, width - 20 * mm, 15 * mm)
            self.setFont(font, 7)
            self.drawString(20 * mm, 11 * mm, shape(exported, locale))
            self.drawRightString(width - 20 * mm, 11 * mm,
                                 shape(_("Page %(n)s of %(total)s", n=str(self._pageNumber), total=str(total)), locale))
            self.restoreState()

    return RegisterCanvas


def _item_part(row: RegisterRow, locale: Any) -> list[Any]:
    st = styles()
    facts = [(_("Description"), row.description), (_("Received or seized"), row.received), (_("From"), row.source),
             (_("Kept at"), row.kept_at or "—"), (_("Held by"), row.holder or "—")]
    if row.sha256:
        facts += [(_("File"), row.filename), (_("SHA-256"), row.sha256), (_("Last re-check"), row.check)]
    chain = [mirror([_("When"), _("From"), _("To"), _("Why"), _("Recorded by")], locale)]
    chain += [mirror([c.when, c.from_holder, c.to_holder, c.reason, c.recorded_by], locale) for c in row.custody]
    widths = mirror([26 * mm, 32 * mm, 32 * mm, 48 * mm, 32 * mm], locale)
    return [KeepTogether([para(row.number, st["h2"]), key_values(facts)]), Spacer(1, 2 * mm),
            para(_("Chain of custody"), st["small"]), table(chain, widths), Spacer(1, 4 * mm)]


def register_pdf(case: Case, user: User, rows: list[RegisterRow]) -> bytes:
    """Return the register as a PDF: the list of items, then each item with its full chain of custody."""
    st = styles()
    locale = get_locale()
    when_who = _("%(when)s by %(who)s", when=_local(utcnow()), who=user.full_name)
    exported = _("Exported %(when_who)s", when_who=when_who)
    summary = [mirror([_("Item"), _("Description"), _("Received or seized"), _("From"), _("SHA-256")], locale)]
    for r in rows:
        text = r.description if len(r.description) <= SUMMARY_CHARS else r.description[:SUMMARY_CHARS] + "…"
        digest = f"{r.sha256[:16]}…" if r.sha256 else _("No file")
        summary.append(mirror([r.number, text, r.received, r.source, digest], locale))
    story: list[Any] = [para(_("Evidence register"), st["h1"]),
                        key_values([(_("Case number"), case.number), (_("Title"), case.title),
                                    (_("Items"), str(len(rows))), (_("Exported"), when_who)]),
                        Spacer(1, 4 * mm)]
    if rows:
        story.append(table(summary, mirror([34 * mm, 50 * mm, 24 * mm, 30 * mm, 32 * mm], locale)))
        story.append(Spacer(1, 6 * mm))
        for r in rows:
            story.extend(_item_part(r, locale))
    else:
        story.append(para(_("No evidence registered yet."), st["body"]))
    buf = io.BytesIO()
    title = f"{_('Evidence register')} {case.number}"
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=22 * mm,
                            bottomMargin=22 * mm, title=title, author="CaseFlow", creator="CaseFlow")
    doc.build(story, canvasmaker=_page_canvas(case, exported))
    return buf.getvalue()


def export_register(case: Case, user: User, fmt: str) -> tuple[bytes, str]:
    """Return the register as PDF or CSV bytes and their MIME type; audited (format, items, hand-overs)."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    rows = register_rows(case)
    if fmt == "pdf":
        data, mime = register_pdf(case, user, rows), PDF_MIME
    else:
        data, mime = exports.to_csv(_tables(rows)), exports.CSV_MIME
    audit.record("export.evidence_register", user, case, {"format": fmt, "items": len(rows),
                                                          "handovers": sum(len(r.custody) for r in rows)})
    db.session.flush()
    return data, mime
