"""A letter as PDF: letterhead, date, references, recipient, subject line, text; laid out like the reports.

Called inside force_locale(letter language): labels, shaping and the mirrored layout follow the letter's
language, not the page's.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import get_locale
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from caseflow.pdf_fonts import is_rtl, mirror
from caseflow.reports.pdf import RULE, DocMeta, build, para, styles


@dataclass
class LetterText:
    """What goes on the letter, all plain text (placeholders already filled)."""

    unit: str
    office: str
    date: str
    references: list[tuple[str, str]]
    recipient: list[str]
    subject: str
    body: str


def _letterhead(text: LetterText) -> Table:
    """Return the unit and office on the reading side, the date on the other (mirrored right to left)."""
    st = styles()
    rtl = is_rtl(get_locale())
    head = ParagraphStyle("letterhead", parent=st["h1"], spaceBefore=0, spaceAfter=1)
    side = TA_LEFT if rtl else TA_RIGHT
    date = para(text.date, ParagraphStyle("letterdate", parent=st["body"], alignment=side))
    date.style.alignment = side  # a right-to-left paragraph is right-aligned by default; the date faces the unit
    left = [para(text.unit, head), para(text.office, st["small"])] if text.office else [para(text.unit, head)]
    width = 170 * mm - 12  # the frame's width inside its 6 pt padding, so the rule lines up with the text
    t = Table([mirror([left, date], get_locale())], colWidths=mirror([width - 60 * mm, 60 * mm], get_locale()))
    t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, 0), 0.6, RULE),
                           ("BOTTOMPADDING", (0, 0), (-1, -1), 6), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                           ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return t


def _paragraphs(body: str) -> list[Flowable]:
    """Return the text's paragraphs (a blank line separates them; single line breaks are kept)."""
    st = styles()
    style = ParagraphStyle("letterbody", parent=st["body"], fontSize=10.5, leading=15, spaceAfter=8)
    blocks = [b.strip("\n") for b in body.replace("\r\n", "\n").split("\n\n")]
    return [para(b, style) for b in blocks if b.strip()]


def render_letter(text: LetterText, meta: DocMeta) -> bytes:
    """Return the letter's PDF."""
    st = styles()
    refs = [para(f"{label}: {value}", st["small"]) for label, value in text.references if value]
    story: list[Flowable] = [_letterhead(text), Spacer(1, 6 * mm), *refs, Spacer(1, 8 * mm)]
    story += [para("\n".join(line for line in text.recipient if line), st["body"]), Spacer(1, 8 * mm)]
    subject = ParagraphStyle("lettersubject", parent=st["h2"], fontSize=11, leading=15, spaceAfter=8)
    story += [para(text.subject, subject), *_paragraphs(text.body)]
    return build(story, meta)
