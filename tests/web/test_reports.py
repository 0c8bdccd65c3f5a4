"""Investigation and management reports: they render, redaction really removes text, verify-report works."""

from __future__ import annotations

import io
import re
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from pypdf import PdfReader
from pypdf.generic import StreamObject

from caseflow.enums import CaseState, Finding, PartyRole, Sanction
from caseflow.extensions import db
from caseflow.models import Allegation, AuditEvent, ConflictDeclaration, CustodyEvent, EvidenceItem, Interview
from caseflow.models.reports import IssuedReport
from tests.factories import make_case

PLATE = "AB-123-CD"


@pytest.fixture
def case(clock: Any, users: dict[str, Any]) -> Any:
    """A case in reporting with a subject, a finding, an evidence item with custody and an interview."""
    case = make_case(title="Cash demanded at gate 4", subject="Karim Benali", commit=False,
                     summary=f"Karim Benali stopped the truck {PLATE} and asked Lucia Gomez for 200 euros.")
    case.state = CaseState.REPORTING
    case.lead_investigator_id = users["investigator"].id
    party = next(p for p in case.parties if p.role == PartyRole.SUBJECT)
    db.session.add(Allegation(case_id=case.id, subject_party_id=party.id, conduct="Solicited a bribe",
                              finding=Finding.SUSTAINED, finding_reasoning="Karim Benali admitted it in interview.",
                              finding_at=datetime(2026, 2, 20), recommended_sanction=Sanction.SUSPENSION))
    item = EvidenceItem(case_id=case.id, seq=1, number=f"{case.number}-E01", description="CCTV of gate 4",
                        source="Port security", storage_location="Safe 2", filename="gate4.mp4", sha256="ab" * 32)
    db.session.add(item)
    db.session.flush()
    db.session.add(CustodyEvent(evidence_id=item.id, from_holder="Port security", to_holder="Ivan Petrov",
                                occurred_at=datetime(2026, 2, 1, 10), reason="Seized for the investigation"))
    db.session.add(Interview(case_id=case.id, interviewee="Karim Benali", role=PartyRole.SUBJECT,
                             held_at=datetime(2026, 2, 10, 9), location="HQ", summary="Admitted taking cash."))
    for who in ("investigator", "investigator2", "supervisor"):  # opened before: no conflict declared
        db.session.add(ConflictDeclaration(case_id=case.id, user_id=users[who].id, has_conflict=False))
    db.session.commit()
    return case


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _decompressed(pdf: bytes) -> bytes:
    reader = PdfReader(io.BytesIO(pdf))
    out = [pdf]
    for num in range(1, len(reader.xref_objStm) + 2000):
        try:
            obj = reader.get_object(num)
        except Exception:  # noqa: BLE001 - past the last object
            obj = None
        if isinstance(obj, StreamObject):
            out.append(obj.get_data())
    return b"\n".join(out)


def _issue(client: Any, case: Any, **data: Any) -> bytes:
    """Issue a report as the page does: a redacted one is previewed first, then issued as previewed."""
    url = f"/cases/{case.number}/report"
    if data.get("variant") != "full":
        preview = client.post(url, data={**data, "action": "preview"})
        assert preview.status_code == 200 and "Redaction preview" in preview.get_data(as_text=True)
        data = {**data, "previewed": re.search(r'name="previewed"[^>]*value="([0-9a-f]+)"',
                                               preview.get_data(as_text=True)).group(1)}
    response = client.post(url, data={**data, "action": "issue"})
    assert response.status_code == 200, response.data[:300]
    assert response.mimetype == "application/pdf"
    return response.data


def test_full_report_renders_with_every_section(case: Any, users: dict[str, Any], login_as: Any,
                                                tmp_path: Path) -> None:
    pdf = _issue(login_as(users["supervisor"]), case, variant="full")
    text = _text(pdf)
    for expected in (case.number, "CONFIDENTIAL", "Investigation report", "Analysis per allegation", "Sustained",
                     "CCTV of gate 4", "ab" * 16, "Seized for the investigation", "Interviews", "timeline of the case",
                     "Sign-off", "Karim Benali"):
        assert expected in text.replace("\n", " "), expected
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "2", str(path), str(tmp_path / "p")],
                   check=True)
    pngs = sorted(tmp_path.glob("p-*.png"))
    assert len(pngs) == 2 and all(p.stat().st_size > 2000 for p in pngs)
    issued = db.session.scalar(sa.select(IssuedReport))
    assert issued.variant.value == "full" and issued.case_id == case.id
    assert issued.report_id in text
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "report.issue"))
    assert issued.sha256 in event.detail


def test_redacted_report_contains_none_of_the_redacted_strings(case: Any, users: dict[str, Any],
                                                              login_as: Any) -> None:
    subject = next(p for p in case.parties if p.role == PartyRole.SUBJECT)
    pdf = _issue(login_as(users["supervisor"]), case, variant="redacted", parties=[subject.id],
                 terms=f"{PLATE}\nLucia Gomez")
    text = _text(pdf)
    raw = _decompressed(pdf)
    assert "[REDACTED]" in text and "CCTV of gate 4" in text
    for secret in ("Karim Benali", "Benali", "Karim", PLATE, "Lucia Gomez", "Gomez"):
        assert secret not in text, secret
        assert secret.encode() not in raw, secret
        assert secret.encode("utf-16-be") not in raw, secret


def test_team_member_gets_only_the_redacted_version(case: Any, users: dict[str, Any], login_as: Any) -> None:
    from caseflow.models import CaseTeamMember

    db.session.add(CaseTeamMember(case_id=case.id, user_id=users["investigator2"].id))
    db.session.commit()
    client = login_as(users["investigator2"])
    page = client.get(f"/cases/{case.number}/report").get_data(as_text=True)
    assert 'value="full"' not in page
    asked_full = client.post(f"/cases/{case.number}/report", data={"variant": "full", "action": "issue"})
    assert asked_full.mimetype == "text/html" and "Redaction preview" in asked_full.get_data(as_text=True)
    _issue(client, case, variant="redacted")
    assert db.session.scalar(sa.select(IssuedReport)).variant.value == "redacted"


def test_who_may_not_issue(case: Any, users: dict[str, Any], login_as: Any) -> None:
    for who in ("manager", "investigator2", "intake"):
        client = login_as(users[who])
        assert client.post(f"/cases/{case.number}/report", data={"variant": "redacted"}).status_code == 403
        client.post("/logout")


def test_verify_report_accepts_an_issued_pdf_and_rejects_a_modified_one(case: Any, users: dict[str, Any],
                                                                        login_as: Any, runner: Any,
                                                                        tmp_path: Path) -> None:
    pdf = _issue(login_as(users["supervisor"]), case, variant="full")
    good = tmp_path / "good.pdf"
    good.write_bytes(pdf)
    result = runner.invoke(args=["caseflow", "verify-report", str(good)])
    assert result.exit_code == 0, result.output
    assert "VALID" in result.output and case.number in result.output and "full" in result.output
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(pdf.replace(b"CaseFlow", b"CaseFlaw", 1))
    result = runner.invoke(args=["caseflow", "verify-report", str(bad)])
    assert result.exit_code == 1
    assert "ALTERED" in result.output
    other = tmp_path / "other.pdf"
    other.write_bytes(b"%PDF-1.4 not ours")
    result = runner.invoke(args=["caseflow", "verify-report", str(other)])
    assert result.exit_code == 1 and "UNKNOWN" in result.output


def test_verify_page(case: Any, users: dict[str, Any], login_as: Any) -> None:
    client = login_as(users["supervisor"])
    pdf = _issue(client, case, variant="full")
    page = client.post("/reports/verify", data={"file": (io.BytesIO(pdf), "r.pdf")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "Valid: issued by CaseFlow and unaltered" in page


def test_management_report_is_suppressed_for_managers(case: Any, users: dict[str, Any], login_as: Any) -> None:
    client = login_as(users["manager"])
    response = client.post("/reports/management", data={"start": "2026-01-01", "end": "2026-03-31"})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = _text(response.data)
    assert "Management report" in text and "<5" in text
    assert "Karim" not in text and case.title not in text
    issued = db.session.scalar(sa.select(IssuedReport))
    assert issued.kind.value == "management" and issued.variant.value == "redacted"


def test_management_report_is_exact_for_supervisors(case: Any, users: dict[str, Any], login_as: Any) -> None:
    client = login_as(users["supervisor"])
    response = client.post("/reports/management", data={"start": "2026-01-01", "end": "2026-03-31"})
    text = _text(response.data)
    assert "<5" not in text and "Legal-clock compliance" in text


def test_redacted_report_strikes_the_sealed_reporter_identity(clock: Any, users: dict[str, Any],
                                                              login_as: Any) -> None:
    from caseflow.intake.confidential import IDENTITY_FIELDS

    identity = dict.fromkeys(IDENTITY_FIELDS, "")
    identity[IDENTITY_FIELDS[0]] = "Paula Whistler"
    case = make_case(title="Tip from a broker", summary="Paula Whistler saw the payment at gate 2.",
                     identity=identity, commit=False)
    case.lead_investigator_id = users["investigator"].id
    db.session.add(ConflictDeclaration(case_id=case.id, user_id=users["supervisor"].id, has_conflict=False))
    db.session.commit()
    pdf = _issue(login_as(users["supervisor"]), case, variant="redacted")
    text = _text(pdf)
    assert "saw the payment" in text
    assert "Paula" not in text and "Whistler" not in text
    assert b"Whistler" not in _decompressed(pdf)
