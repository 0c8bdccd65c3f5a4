"""PDF (the investigation report of a case with 200 events) and CSV import (channels) benchmarks."""

from __future__ import annotations

import csv
import io
import os
import random
import resource
import shutil
import time
from pathlib import Path

import sqlalchemy as sa

from bench.common import Table, make_app, median, pct_text, percentile, timed

# make_app() points DATABASE_URL at each bench database in turn (run_pdf at SQLite): remember PostgreSQL's.
if os.environ.get("DATABASE_URL", "").startswith("postgresql"):
    os.environ.setdefault("BENCH_PG_URL", os.environ["DATABASE_URL"])


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
                                 subjects=[{"full_name": "K. Brandt"}], actor=boss).case
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
    from bench.seed import FIRST, LAST
    from caseflow.channels.csvimport import NAMES

    rng = random.Random(start)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(NAMES)
    sample = dict(zip(NAMES, next(csv.reader(io.StringIO(_template_row()))), strict=False))
    # The subjects are drawn from a staff of 5,000 officers, each with one name and one badge, so names and
    # badges repeat across rows as they do in a real hotline export (two officers may share a name).
    officers = [(f"{rng.choice(FIRST)} {rng.choice(LAST)}", f"B-{10_000 + k}") for k in range(5_000)]
    for i in range(start, start + n):
        name, badge = rng.choice(officers)
        row = dict(sample, source_reference=f"HOTLINE-BENCH-{i:07d}", subject_name=name, subject_badge=badge,
                   received_at=f"2026-{rng.randint(1, 10):02d}-{rng.randint(1, 28):02d} 10:{rng.randint(10, 59)}")
        writer.writerow([row.get(name, "") for name in NAMES])  # optional trailing columns empty
    return out.getvalue().encode()


def _template_row() -> str:
    from caseflow.channels.csvimport import template_csv

    return template_csv().splitlines()[1]


def run_import(table: Table, work: Path, rows: int) -> None:
    """Time the CSV import of `rows` rows (files of at most MAX_ROWS rows each), all-or-nothing mode, on SQLite
    and, when DATABASE_URL (or BENCH_PG_URL) names one, on PostgreSQL; check the audit chain afterwards."""
    from bench.run import _pg_url
    from caseflow import uow
    from caseflow.audit import verify_chain
    from caseflow.channels.csvimport import MAX_ROWS, import_csv
    from caseflow.extensions import db
    from caseflow.models import Case
    from caseflow.reference import ensure_categories

    targets = [("sqlite", *_fresh_sqlite(work / "sqlite"))]
    pg_url = _pg_url("caseflow_bench_import")
    if pg_url:
        shutil.rmtree(work / "postgres", ignore_errors=True)
        (work / "postgres").mkdir(parents=True)
        targets.append(("postgres", pg_url, str(work / "postgres")))
    chunk = min(rows, MAX_ROWS)
    files = [_csv_rows(chunk, start) for start in range(0, rows, chunk)]
    for label, url, instance in targets:
        app = make_app(url, instance)
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
            uow.commit_step()  # as the import command's unit of work does; the verifier reads committed rows
            chain = verify_chain()
            cases = db.session.scalar(sa.select(sa.func.count(Case.id)))
            db.session.remove()
            db.engine.dispose()
        scaled = seconds * 100_000 / rows
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        load = os.getloadavg()[0]
        table.add("import", f"CSV import, {rows:,} rows in {len(files)} file(s) ({label})",
                  f"{seconds:,.1f} s, {rows / seconds:,.0f} rows/s",
                  f"{cases:,} cases, chain {'verifies' if chain.ok else 'BROKEN'}, peak RSS {peak_mb:,.0f} MB, "
                  f"load {load:.1f}", "100k rows <= 60 s", scaled <= 60 and chain.ok and cases == created == rows)
