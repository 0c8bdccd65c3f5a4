"""Arabic in PDFs: the shipped font is used and Arabic letters are joined and laid out right to left."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import SimpleDocTemplate

from caseflow import pdf_fonts

PRESENTATION_FORMS = range(0xFB50, 0xFEFF)


def test_fonts_are_shipped_with_the_app_and_cover_arabic():
    regular, bold = pdf_fonts.register_fonts()
    assert pdf_fonts.register_fonts() == (regular, bold)  # idempotent
    assert (pdf_fonts.FONT_DIR / "DejaVuSans.ttf").is_file()
    assert (pdf_fonts.FONT_DIR / "LICENSE-DejaVu.txt").is_file()
    from reportlab.pdfbase import pdfmetrics

    face = pdfmetrics.getFont(regular).face
    assert str(face.filename).startswith(str(pdf_fonts.FONT_DIR))
    for char in "سلام" + "\ufe8d\ufef5":  # letters and joined presentation forms
        assert ord(char) in face.charToGlyph


def test_shape_joins_letters_and_reverses_to_visual_order():
    shaped = pdf_fonts.shape("سلام", "ar")
    assert shaped != "سلام"
    assert all(ord(ch) in PRESENTATION_FORMS for ch in shaped)
    # visual order: the first logical letter (seen) is drawn last, i.e. at the right
    assert shaped[-1] in "\ufeb3\ufeb1\ufeb2\ufeb4"


def test_shape_keeps_numbers_and_latin_readable_inside_arabic():
    shaped = pdf_fonts.shape("القضية IA-2026-0042", "ar")
    assert "IA-2026-0042" in shaped


def test_latin_text_is_untouched():
    assert pdf_fonts.shape("Rapport d'enquête", "fr") == "Rapport d'enquête"
    assert pdf_fonts.shape("Rapport", "ar") == "Rapport"


def test_rtl_layout_helpers():
    assert pdf_fonts.is_rtl("ar") and pdf_fonts.is_rtl("ar_EG") and not pdf_fonts.is_rtl("fr")
    assert pdf_fonts.mirror([1, 2, 3], "ar") == [3, 2, 1]
    assert pdf_fonts.mirror([1, 2, 3], "pt") == [1, 2, 3]
    assert pdf_fonts.alignment("ar") != pdf_fonts.alignment("es")


def test_a_wrapped_arabic_paragraph_reads_in_order_on_every_line():
    regular, _ = pdf_fonts.register_fonts()
    words = [f"كلمة{n}" for n in range(1, 41)]
    style = ParagraphStyle("body", fontName=regular, fontSize=11, leading=16)
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4).build([pdf_fonts.paragraph(" ".join(words), style, "ar")])
    reader = PdfReader(io.BytesIO(buffer.getvalue()))
    fonts = reader.pages[0]["/Resources"]["/Font"].get_object()
    assert any("DejaVuSans" in str(f.get_object()["/BaseFont"]) for f in fonts.values())
    lines = [line for line in reader.pages[0].extract_text().splitlines() if line.strip()]
    numbers = [[int(n) for n in re.findall(r"\d+", line)] for line in lines]
    assert len(numbers) > 1  # it wrapped
    # logical wrapping: line 1 holds the first words; visual order: they run right to left
    assert sorted(numbers[0]) == list(range(1, len(numbers[0]) + 1))
    assert numbers[0] == sorted(numbers[0], reverse=True)
    assert sorted(n for line in numbers for n in line) == list(range(1, 41))


def test_brackets_inside_arabic_are_mirrored():
    shaped = pdf_fonts.shape("القضايا (أيام منذ الاستلام)", "ar")
    # drawn left to right, the bracket that closes the Arabic phrase must look like "(" at the left end
    assert shaped.index("(") < shaped.index(")")
    assert shaped.startswith("(")
