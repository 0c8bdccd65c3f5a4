"""Arabic PDFs read right to left: key/value tables mirrored, bidi right; page 1 rendered for a look."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from flask_babel import force_locale

from caseflow.reports.pdf import key_values
from tests.web.test_reports import _issue, case  # noqa: F401 - the fixture is used by name

SHOTS = Path(__file__).resolve().parents[2] / "instance" / "screenshots"


def _render(pdf: bytes, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", "-singlefile", str(path),
                    str(SHOTS / name)], check=True)
    return SHOTS / f"{name}.png"


def test_key_value_rows_put_the_label_on_the_right_in_arabic(app: Any) -> None:
    with app.test_request_context(), force_locale("ar"):
        arabic = key_values([("label", "value")])
    with app.test_request_context(), force_locale("fr"):
        french = key_values([("label", "value")])
    assert arabic._colWidths[0] > arabic._colWidths[1] and french._colWidths[0] < french._colWidths[1]
    assert arabic._cellvalues[0][1].style.name.startswith("cellb")  # the label cell is the right-hand one
    assert french._cellvalues[0][0].style.name.startswith("cellb")


def test_a_sentence_ending_in_a_latin_word_keeps_its_full_stop_at_the_left(app: Any) -> None:
    """A wrapped line holding only "CaseFlow (verify-report)." is still ordered right to left."""
    from caseflow.pdf_fonts import ShapedParagraph, shape
    from caseflow.reports.pdf import styles

    with app.test_request_context(), force_locale("ar"):
        text = "يمكن التحقق من صحتها باستخدام " + "CaseFlow verify-report."
        p = ShapedParagraph(text, styles()["body"], "ar")
        p.wrap(60, 1000)  # narrow: the Latin words land on their own line
        lines = [line for line in p._para.text.split("<br/>") if "report" in line]
    assert lines and lines[0].startswith(".")  # full stop on the left, the Latin words in their own order
    assert shape("باستخدام CaseFlow (verify-report).", "ar").startswith(".CaseFlow (verify-report) ")


def test_arabic_investigation_report_is_mirrored(case: Any, users: dict[str, Any], login_as: Any) -> None:  # noqa: F811
    client = login_as(users["supervisor"])
    client.set_cookie("caseflow_lang", "ar")
    pdf = _issue(client, case, variant="full")
    png = _render(pdf, "report-investigation-ar")
    assert png.stat().st_size > 5000


def test_arabic_management_report_renders(case: Any, users: dict[str, Any], login_as: Any) -> None:  # noqa: F811
    client = login_as(users["supervisor"])
    response = client.post("/reports/management?lang=ar", data={"start": "2026-01-01", "end": "2026-03-31"})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert _render(response.data, "report-management-ar").stat().st_size > 5000


def test_unit_name_is_shown_in_the_readers_language(app: Any, monkeypatch: Any) -> None:
    from caseflow.i18n import unit_name

    with app.test_request_context(), force_locale("ar"):
        assert unit_name() == "وحدة النزاهة والشؤون الداخلية"  # the default name ships translated
    monkeypatch.setitem(app.config, "CASEFLOW_UNIT_NAMES", {"fr": "Inspection générale des douanes"})
    monkeypatch.setitem(app.config, "CASEFLOW_UNIT_NAME", "Customs Inspectorate")
    with app.test_request_context(), force_locale("fr"):
        assert unit_name() == "Inspection générale des douanes"
    with app.test_request_context(), force_locale("es"):
        assert unit_name() == "Customs Inspectorate"  # renamed, no Spanish name: the configured one
