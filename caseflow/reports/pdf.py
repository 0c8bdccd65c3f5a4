"""The look of CaseFlow's PDFs: A4 pages, styles, a classified header and a footer with the report id."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from flask_babel import get_locale
from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

from caseflow.pdf_fonts import is_rtl, mirror, paragraph, shape
from caseflow.pdf_fonts import register_fonts as pdf_fonts

INK = colors.HexColor("#1b1f24")
RULE = colors.HexColor("#8c96a0")
HEAD_FILL = colors.HexColor("#e6ebf0")
RED = colors.HexColor("#a4161a")


@dataclass
class DocMeta:
    """What each page and the PDF metadata carry."""

    title: str
    subject: str
    report_id: str
    chain_head: str
    classification: str
    issued: str
    id_label: str = ""  # what the id in the footer is called ("Report" unless said otherwise)


def styles() -> dict[str, ParagraphStyle]:
    """Return the paragraph styles, built on the one font choice."""
    font, bold = pdf_fonts()
    base = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=13, textColor=INK, spaceAfter=4)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8, leading=10, spaceAfter=0),
        "cellb": ParagraphStyle("cellb", parent=base, fontName=bold, fontSize=8, leading=10, spaceAfter=0),
        "h1": ParagraphStyle("h1", parent=base, fontName=bold, fontSize=13, leading=17, spaceBefore=10, spaceAfter=6),
        "h2": ParagraphStyle("h2", parent=base, fontName=bold, fontSize=10.5, leading=14, spaceBefore=8,
                             spaceAfter=4),
        "title": ParagraphStyle("title", parent=base, fontName=bold, fontSize=20, leading=26, alignment=TA_CENTER,
                                spaceAfter=10),
        "center": ParagraphStyle("center", parent=base, alignment=TA_CENTER),
        "stamp": ParagraphStyle("stamp", parent=base, fontName=bold, fontSize=14, leading=18, textColor=RED,
                                alignment=TA_CENTER, spaceBefore=6, spaceAfter=6),
    }


def para(text: Any, style: ParagraphStyle) -> Flowable:
    """Return a paragraph of plain text (escaped, line breaks kept; Arabic shaped by caseflow.pdf_fonts)."""
    text = str(text)
    locale = get_locale()
    if is_rtl(locale) or any("\u0590" <= ch <= "\u08ff" for ch in text):
        return paragraph(text, style, locale)
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def table(rows: list[list[Any]], widths: list[float], header: bool = True, zebra: bool = True) -> Table:
    """Return a ruled table; strings become wrapped paragraphs, the first row is the header."""
    st = styles()
    data = [[para(c, st["cellb"] if header and r == 0 else st["cell"]) if isinstance(c, str) else c for c in row]
            for r, row in enumerate(rows)]
    t = Table(data, colWidths=widths, repeatRows=1 if header else 0)
    commands: list[Any] = [("GRID", (0, 0), (-1, -1), 0.4, RULE), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                           ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5)]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL))
    if zebra:
        for r in range(2 if header else 1, len(rows), 2):
            commands.append(("BACKGROUND", (0, r), (-1, r), colors.HexColor("#f7f8fa")))
    t.setStyle(TableStyle(commands))
    return t


def stamp(text: str) -> Table:
    """Return the classification as a boxed red stamp, centred."""
    t = Table([[para(text, styles()["stamp"])]], colWidths=[125 * mm])
    t.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1.6, RED), ("TOPPADDING", (0, 0), (-1, -1), 2),
                           ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
    return t


def key_values(pairs: list[tuple[str, Any]], width: float = 170 * mm) -> Table:
    """Return a two-column label/value table; in a right-to-left language the labels are on the right."""
    st = styles()
    locale = get_locale()
    rows = [mirror([para(k, st["cellb"]), para(v, st["cell"])], locale) for k, v in pairs]
    t = Table(rows, colWidths=mirror([45 * mm, width - 45 * mm], locale))
    label_column = -1 if is_rtl(locale) else 0
    t.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                           ("BACKGROUND", (label_column, 0), (label_column, -1), HEAD_FILL)]))
    return t


def _page_canvas(meta: DocMeta) -> type[rl_canvas.Canvas]:
    """Return a canvas class that writes 'page n of m', the classification and the report id on each page."""
    font, bold = pdf_fonts()
    locale = get_locale()

    class PagedCanvas(rl_canvas.Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - ReportLab's API
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._decorate(total)
                super().showPage()
            super().save()

        def _decorate(self, total: int) -> None:
            width, height = A4
            self.saveState()
            self.setFillColor(RED)
            self.setFont(bold, 8.5)
            self.drawCentredString(width / 2, height - 12 * mm, shape(meta.classification, locale))
            self.setStrokeColor(RULE)
            self.setLineWidth(0.5)
            self.line(20 * mm, 15 * mm, width - 20 * mm, 15 * mm)
            self.setFillColor(INK)
            self.setFont(font, 7)
            footer = f"{meta.title} · {meta.id_label or _('Report')} {meta.report_id} · {meta.issued}"
            self.drawString(20 * mm, 11 * mm, shape(footer, locale))
            self.drawString(20 * mm, 7.5 * mm, shape(f"{_('Audit chain head at issue')}: {meta.chain_head}", locale))
            self.drawRightString(width - 20 * mm, 11 * mm,
                                 shape(_("Page %(n)s of %(total)s", n=str(self._pageNumber), total=str(total)), locale))
            self.restoreState()

    return PagedCanvas


def build(story: list[Any], meta: DocMeta) -> bytes:
    """Lay out the story on A4 pages and return the PDF bytes, with the metadata set."""
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=20 * mm,
                            bottomMargin=22 * mm, title=meta.title, subject=meta.subject, author="CaseFlow",
                            creator="CaseFlow", keywords=f"caseflow-report-id={meta.report_id} "
                                                         f"caseflow-chain-head={meta.chain_head}")
    doc.build(story, canvasmaker=_page_canvas(meta))
    return buf.getvalue()
