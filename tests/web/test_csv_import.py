"""CSV import: validation before writing, row-level report, modes, idempotence, encodings, formulas, volume."""

from __future__ import annotations

import csv
import io

import sqlalchemy as sa

from caseflow.channels.csvimport import NAMES, import_csv, template_csv
from caseflow.enums import Channel
from caseflow.extensions import db
from caseflow.models import AuditEvent, Case
from tests import factories


def _csv(rows, header=NAMES):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(h, "") for h in header])
    return out.getvalue().encode("utf-8")


def _row(n, **kw):
    return {"source_reference": f"REF-{n}", "title": f"Complaint {n}", "description": f"Details {n}", **kw}


def _count():
    return db.session.scalar(sa.select(sa.func.count(Case.id)))


def test_template_imports_cleanly_and_cases_have_the_csv_channel(runner, tmp_path):
    factories.category("bribery")
    path = tmp_path / "t.csv"
    path.write_text(template_csv(), encoding="utf-8")
    result = runner.invoke(args=["caseflow", "import-csv", str(path)])
    assert result.exit_code == 0, result.output
    assert "1 created" in result.output
    case = db.session.scalar(sa.select(Case))
    assert case.channel == Channel.CSV and case.source_reference == "HOTLINE-2026-0001"
    assert case.category.code == "bribery" and case.priority.value == "high"


def test_all_or_nothing_reports_every_bad_row_and_writes_nothing():
    data = _csv([_row(1), _row(2, title=""), _row(3, priority="urgent", received_at="yesterday"), _row(1)])
    report = import_csv(data, None)
    assert report.aborted and _count() == 0
    found = {(e.line, e.column) for e in report.errors}
    assert found == {(3, "title"), (4, "priority"), (4, "received_at"), (5, "source_reference")}


def test_skip_bad_rows_imports_the_good_ones_and_reimport_is_idempotent():
    data = _csv([_row(1), _row(2, category="nope"), _row(3)])
    report = import_csv(data, None, skip_bad_rows=True)
    assert report.created == 2 and report.bad_lines == {3} and _count() == 2
    again = import_csv(data, None, skip_bad_rows=True)
    assert again.created == 0 and again.skipped_existing == 2 and _count() == 2


def test_wrong_encoding_and_missing_columns_are_clear_errors(runner, tmp_path):
    latin = _csv([_row(1, description="Déclaration")]).decode().encode("latin-1")
    report = import_csv(latin, None)
    assert report.fatal and _count() == 0
    assert "not UTF-8" in report.errors[0].reason and "line 2" in report.errors[0].reason
    bom = b"\xef\xbb\xbf" + _csv([_row(1, description="Déclaration")])
    assert import_csv(bom, None).created == 1
    report = import_csv(_csv([{"title": "x"}], header=["title", "colour"]), None)
    assert report.fatal
    assert {e.column for e in report.errors} == {"source_reference, description", "colour"}
    path = tmp_path / "bad.csv"
    path.write_bytes(latin)
    result = runner.invoke(args=["caseflow", "import-csv", str(path)])
    assert result.exit_code == 1 and "not UTF-8" in result.output


def test_formula_looking_cells_are_neutralised():
    report = import_csv(_csv([_row(1, title="=HYPERLINK(\"http://evil\")", subject_name="@SUM(A1)",
                                   description="+cmd|' /C calc'!A0")]), None)
    assert report.created == 1
    case = db.session.scalar(sa.select(Case))
    assert case.title == "'=HYPERLINK(\"http://evil\")"
    assert case.parties[0].person.full_name == "'@SUM(A1)"
    from tests.factories import content_text
    assert content_text(case) == "'+cmd|' /C calc'!A0"


def test_ten_thousand_rows_are_all_validated_before_anything_is_written():
    rows = [_row(n) for n in range(10_000)]
    rows[-1]["priority"] = "urgent"
    report = import_csv(_csv(rows), None)
    assert report.total == 10_000 and report.aborted and _count() == 0
    assert [(e.line, e.column) for e in report.errors] == [(10_001, "priority")]


def test_big_import_shows_progress_and_audits_every_case(runner, tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(_csv([_row(n) for n in range(300)]))
    result = runner.invoke(args=["caseflow", "import-csv", str(path), "--skip-bad-rows"])
    assert result.exit_code == 0, result.output
    assert "300 created" in result.output and "100/300 rows" in result.output and "300/300 rows" in result.output
    assert _count() == 300
    receives = db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action == "case.receive"))
    assert receives == 300
