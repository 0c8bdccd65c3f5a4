"""PDF (the investigation report of a case with 200 events) and CSV import (channels) benchmarks."""

from __future__ import annotations

import csv
import io
import random
import shutil
import time
from pathlib import Path

from bench.common import Table, make_app, median, pct_text, percentile, timed


def _fresh_sqlite(work: Path) -> tuple[str, str]:
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    return f"sqlite:///{work / 'bench.db'}", str(work)


def _hello_pdf() -> bytes:
    """A one-paragraph ReportLab document: the floor of any PDF."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4).build([Paragraph("Hello", getSampleStyleSheet()["Normal"])])
    return out.getvalue()


def run_pdf(table: Table, work: Path, events: int = 200, repeat: int = 8) -> None:
    """Time the full investigation report of a case with `events` audit events."""
    from caseflow import audit
    from caseflow.auth.operations import create_user
    from caseflow.enums import Channel, Role
    from caseflow.extensions import db
    from caseflow.intake.operations import receive_complaint
    from caseflow.reference import ensure_categories
    from caseflow.reports.operations import issue_investigation_report

    url, instance = _fresh_sqlite(work)
    app = make_app(url, instance)
    with app.app_context():
        db.create_all()
        ensure_categories()
        boss = create_user("pdf-supervisor", "Pdf Supervisor", Role.SUPERVISOR, "Bench!CaseFlow-2026")
        case = receive_complaint(channel=Channel.PHONE, title="Cash demanded at gate 4",
                                 summary="The officer asked for cash before stamping the declaration. " * 5,
                                 subjects=[{"full_name": "K. Brandt"}], actor=boss)
        for i in range(events - 1):
            audit.record("case.note", boss, case, {"note": i, "text": "Called the witness back; no answer."})
        db.session.commit()
        durations = timed(lambda: issue_investigation_report(case, boss), repeat, warmup=1)
        _, data = issue_investigation_report(case, boss)
        db.session.rollback()
        db.engine.dispose()
    ref = timed(_hello_pdf, repeat, warmup=1)
    table.add("pdf", f"investigation report, {events} events ({len(data) // 1024} KB)", pct_text(durations),
              f"1-paragraph ReportLab PDF p50 {median(ref):.1f} ms", "<= 300 ms", percentile(durations, 50) <= 300)


def _csv_rows(n: int, start: int) -> bytes:
    """Return a CSV file of n realistic complaint rows in the import template's columns."""
    from caseflow.channels.csvimport import NAMES

    rng = random.Random(start)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(NAMES)
    sample = dict(zip(NAMES, next(csv.reader(io.StringIO(_template_row()))), strict=False))
    for i in range(start, start + n):
        row = dict(sample, source_reference=f"HOTLINE-BENCH-{i:07d}",
                   received_at=f"2026-{rng.randint(1, 10):02d}-{rng.randint(1, 28):02d} 10:{rng.randint(10, 59)}")
        writer.writerow([row[name] for name in NAMES])
    return out.getvalue().encode()


def _template_row() -> str:
    from caseflow.channels.csvimport import template_csv

    return template_csv().splitlines()[1]


def run_import(table: Table, work: Path, rows: int) -> None:
    """Time the CSV import of `rows` rows (files of at most MAX_ROWS rows each), all-or-nothing mode."""
    from caseflow.channels.csvimport import MAX_ROWS, import_csv
    from caseflow.extensions import db
    from caseflow.reference import ensure_categories

    url, instance = _fresh_sqlite(work)
    app = make_app(url, instance)
    chunk = min(rows, MAX_ROWS)
    files = [_csv_rows(chunk, start) for start in range(0, rows, chunk)]
    with app.app_context():
        db.create_all()
        ensure_categories()
        db.session.commit()
        t0 = time.perf_counter()
        created = 0
        for data in files:
            report = import_csv(data, actor=None)
            assert not report.errors, report.errors[:3]
            created += report.created
        seconds = time.perf_counter() - t0
        db.engine.dispose()
    scaled = seconds * 100_000 / rows
    table.add("import", f"CSV import, {rows:,} rows in {len(files)} file(s) (sqlite)",
              f"{seconds:,.1f} s, {rows / seconds:,.0f} rows/s", f"{created:,} cases created",
              "100k rows <= 60 s", scaled <= 60)
