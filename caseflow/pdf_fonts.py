"""Fonts and Arabic shaping for ReportLab PDFs and charts.

ReportLab draws glyphs in the order it is given and does not join Arabic letters by itself, so Arabic text is
shaped here (arabic-reshaper picks the joined presentation forms, python-bidi puts each line in visual
order). The font, DejaVu Sans, is shipped in ``caseflow/data/fonts`` (it covers Latin, Greek, Cyrillic and
Arabic with its presentation forms), so PDFs never depend on the system's fonts.

Use: ``register_fonts()`` once, then ``FONT`` / ``FONT_BOLD`` as font names; ``shape(text, locale)`` for a
single line drawn on a canvas, in a table cell or on a chart rendered to PDF/PNG; ``paragraph(text, style,
locale)`` for running text that wraps; ``alignment(locale)`` and ``mirror(cells, locale)`` for right-to-left
layout. Do not shape text of an SVG chart shown in a browser: the browser shapes it itself.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar
from xml.sax.saxutils import escape

import arabic_reshaper
from bidi.algorithm import get_display  # the pure-Python UBA: it mirrors brackets (the Rust one does not)
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Paragraph

FONT_DIR = Path(__file__).resolve().parent / "data" / "fonts"
FONT = "CaseFlowSans"
FONT_BOLD = "CaseFlowSans-Bold"
RTL_LANGUAGES = {"ar", "fa", "he", "ur"}
T = TypeVar("T")


def register_fonts() -> tuple[str, str]:
    """Register the shipped fonts with ReportLab (idempotent); return (regular, bold) font names."""
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)
    return FONT, FONT_BOLD


def is_rtl(locale: object) -> bool:
    """Tell whether a locale (a code such as 'ar' or a babel Locale) is written right to left."""
    return str(locale or "").replace("-", "_").split("_")[0].lower() in RTL_LANGUAGES


def _needs_shaping(text: str) -> bool:
    return any("\u0590" <= ch <= "\u08ff" or "\ufb1d" <= ch <= "\ufeff" for ch in text)


def shape(text: str, locale: object = "ar", within_rtl: bool = False) -> str:
    """Return text ready to draw: Arabic letters joined and each line in visual order (others unchanged).

    within_rtl: the line is part of a right-to-left paragraph, so it is ordered right to left even with no
    Arabic letter of its own (a wrapped last line "CaseFlow (verify-report)." keeps its full stop at the left).
    """
    if not text or not (_needs_shaping(text) or (within_rtl and is_rtl(locale))):
        return text
    base_dir = "R" if is_rtl(locale) else "L"
    return "\n".join(get_display(_isolate_latin(arabic_reshaper.reshape(line)), base_dir=base_dir)
                     .replace(EMBED_LTR, "").replace(POP_EMBED, "") for line in text.split("\n"))


EMBED_LTR, POP_EMBED = "\u202a", "\u202c"  # LRE and PDF: the pure-Python UBA knows embeddings, not isolates
LATIN_RUN = re.compile(r"\(?[A-Za-z][^\u0590-\u08ff\ufb1d-\ufeff]*")


def _isolate_latin(line: str) -> str:
    """Wrap each run of Latin words in a left-to-right embedding, so the bidi algorithm keeps it whole.

    Without it a closing bracket or full stop after a Latin word at the end of an Arabic sentence takes the
    sentence's direction and lands inside the Latin run ("(CaseFlow (verify-report" instead of
    ".(verify-report) CaseFlow"); the full stop itself stays outside, on the left.
    """
    def isolate(match: re.Match[str]) -> str:
        run = match.group(0)
        end = max(i for i, ch in enumerate(run) if ch.isalnum()) + 1
        core, rest = run[:end], run[end:]
        if rest.startswith(")") and core.count("(") > core.count(")"):
            core, rest = core + ")", rest[1:]
        return f"{EMBED_LTR}{core}{POP_EMBED}{rest}"
    return LATIN_RUN.sub(isolate, line)


def alignment(locale: object) -> int:
    """Return the ReportLab paragraph alignment for a language (right for right-to-left)."""
    return TA_RIGHT if is_rtl(locale) else TA_LEFT


def mirror(cells: Sequence[T], locale: object) -> list[T]:
    """Return a table row (or column widths) in reading order: reversed for right-to-left languages."""
    return list(reversed(cells)) if is_rtl(locale) else list(cells)


def _wrap_logical(text: str, font: str, size: float, width: float) -> list[str]:
    """Break text into lines (logical order) that fit the width once shaped."""
    lines: list[str] = []
    for raw in text.split("\n"):
        current = ""
        for word in raw.split():
            candidate = f"{current} {word}" if current else word
            if current and pdfmetrics.stringWidth(arabic_reshaper.reshape(candidate), font, size) > width:
                lines.append(current)
                current = word
            else:
                current = candidate
        lines.append(current)
    return lines


class ShapedParagraph(Flowable):
    """A paragraph of right-to-left text: wrapped in logical order, then each line shaped and reordered."""

    def __init__(self, text: str, style: ParagraphStyle, locale: object = "ar") -> None:
        super().__init__()
        self.text, self.locale = text, locale
        self.style = ParagraphStyle(f"{style.name}-rtl", parent=style, alignment=alignment(locale))
        self._para: Paragraph | None = None

    def _build(self, avail_width: float) -> Paragraph:
        inner = avail_width - self.style.leftIndent - self.style.rightIndent
        lines = _wrap_logical(self.text, self.style.fontName, self.style.fontSize, inner * 0.98)
        rtl = _needs_shaping(self.text)  # the paragraph's direction, decided once for all its lines
        self._para = Paragraph("<br/>".join(escape(shape(line, self.locale, within_rtl=rtl)) for line in lines),
                               self.style)
        return self._para

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - ReportLab API
        """Lay the text out for the available width."""
        return self._build(availWidth).wrap(availWidth, availHeight)

    def split(self, availWidth: float, availHeight: float) -> list[Any]:  # noqa: N803 - ReportLab API
        """Split across frames/pages like a Paragraph."""
        return self._build(availWidth).split(availWidth, availHeight)

    def draw(self) -> None:
        """Draw the laid-out paragraph."""
        assert self._para is not None
        self._para.drawOn(self.canv, 0, 0)


def paragraph(text: str, style: ParagraphStyle, locale: object) -> Flowable:
    """Return a flowable for plain (unescaped) text in a language: shaped right-to-left where needed."""
    if is_rtl(locale) or _needs_shaping(text):
        return ShapedParagraph(text, style, locale)
    return Paragraph(escape(text).replace("\n", "<br/>"), style)
