"""The investigation report a head of internal affairs signs: written, versioned, approved, and readable."""

from __future__ import annotations

import json
import re
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from caseflow.cases import operations as case_ops
from caseflow.enums import CaseState
from caseflow.extensions import db
from caseflow.investigation import operations as inv_ops
from caseflow.models import AuditEvent, EvidenceItem, ReportDraft
from caseflow.models.reports import IssuedReport
from tests.attacks.case_setup import investigation_case

SECTIONS = {"background": "A whistleblower reported cash demanded at gate 4 in January.",
            "allegations": "One allegation of soliciting a bribe.",
            "evidence": "We rely on the CCTV recording E01 and the interview of the subject.",
            "findings": "The allegation is sustained.", "conclusions": "The officer solicited a bribe.",
            "recommendations": "Dismissal, and referral to the prosecutor."}


def _write(client: Any, case: Any, **changes: str) -> Any:
    data = {**SECTIONS, **changes, f"analysis-{case.allegations[0].id}": "The CCTV shows the cash changing hands."}
    return client.post(f"/cases/{case.number}/report/written", data=data)


def _as(client: Any, login_as: Any, user: Any) -> Any:
    client.post("/logout")
    return login_as(user)


def _pdftotext(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(path), str(tmp_path / "page")], check=True)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def test_a_case_closes_only_on_an_approved_version_and_the_pdf_reads_like_a_report(
        clock: Any, users: dict[str, Any], login_as: Any, tmp_path: Path) -> None:
    case = investigation_case(users, channel="whistleblower", identity={"name": "Paula Whistler", "contact": "",
                                                                         "relationship": ""})
    lead, sup, iris = users["investigator"], users["supervisor"], users["investigator2"]
    case.incident_date, case.location_detail = "14 January, around 10:00", "Gate 4, lane 2"
    db.session.add(EvidenceItem(case_id=case.id, seq=1, number=f"{case.number}-E01", description="CCTV of gate 4",
                                source="Port security", storage_location="Safe 2", filename="gate4.mp4",
                                sha256="ab" * 32))
    case_ops.add_team_member(case, users["supervisor2"], sup)
    case_ops.remove_team_member(case, users["supervisor2"], sup)
    inv_ops.add_referral(case, sup, "anti_corruption_commission", "National Anti-Corruption Commission",
                         date(2026, 3, 1), "NACC-7")
    case_ops.assign_lead_investigator(case, lead, sup)
    db.session.commit()
    client = login_as(lead)
    assert client.get(f"/cases/{case.number}").status_code == 200
    assert _write(client, case).status_code == 302
    _as(client, login_as, iris)  # a team member reads, but does not write
    assert client.get(f"/cases/{case.number}/report/written").status_code == 200
    assert _write(client, case).status_code == 403
    case.state = CaseState.REPORTING
    db.session.commit()
    _as(client, login_as, sup)
    # the old checkbox approves nothing
    r = client.post(f"/cases/{case.number}/transition",
                    data={"target": "closed", "t-closed-outcome": "Dismissed", "t-closed-approve_report": "y"})
    assert r.status_code == 409
    r = client.post(f"/cases/{case.number}/report/written/1/return", data={"review-comment": "Cite the CCTV time."})
    assert r.status_code == 302
    _as(client, login_as, lead)
    assert _write(client, case, evidence="We rely on the CCTV recording E01 (10:02) and the interview.").status_code \
        == 302
    _as(client, login_as, sup)
    r = client.post(f"/cases/{case.number}/report/written/2/approve", data={})
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    issued = db.session.scalar(sa.select(IssuedReport))
    draft = db.session.scalar(sa.select(ReportDraft).where(ReportDraft.version == 2))
    assert draft.status.value == "approved" and draft.issued_report_id == issued.id
    approval = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "report.approve"))
    assert json.loads(approval.detail)["sha256"] == issued.sha256
    r = client.post(f"/cases/{case.number}/transition", data={"target": "closed", "t-closed-outcome": "Dismissed"})
    assert r.status_code == 302
    db.session.refresh(case)
    assert case.state == CaseState.CLOSED

    reissued = client.post(f"/cases/{case.number}/report", data={"variant": "full", "action": "issue"})
    text = _pdftotext(reissued.data, tmp_path)
    flat = " ".join(text.split())
    for heading in ("Background", "Allegations", "Evidence relied on", "Analysis per allegation", "Findings",
                    "Conclusions", "Recommendations and sanctions", "Appendix: timeline of the case"):
        assert heading in flat, heading
    assert "(10:02)" in flat and "The CCTV shows the cash changing hands." in flat
    assert "Report version 2, approved by Sara Lindqvist" in flat
    assert "Anonymous report yes" in flat and "Sealed" in flat
    assert "14 January, around 10:00" in flat and "Gate 4, lane 2" in flat
    assert f"{case.number}-E01" in text  # the evidence number is not broken over two lines
    appendix = flat.split("Appendix: timeline of the case")[1]
    assert "['" not in appendix and "{" not in appendix and '":' not in appendix
    assert "Anti-corruption commission" in appendix and "anti_corruption_commission" not in appendix
    assert "Team member removed" in appendix and "Samuel Costa" in appendix
    assert re.search(r"Case opened: \d+ times? by \d+ (people|person)", appendix)
    assert "Case opened" not in appendix.split("Detail", 1)[1]  # reads are summarised, not listed
    assert len(list(tmp_path.glob("page-*.png"))) >= 4


def test_make_lead_is_not_ticked_by_default(clock: Any, users: dict[str, Any], login_as: Any) -> None:
    case = investigation_case(users)
    page = login_as(users["supervisor"]).get(f"/cases/{case.number}").get_data(as_text=True)
    box = re.search(r'<input[^>]*name="assign-as_lead"[^>]*>', page).group(0)
    assert "checked" not in box


def test_the_reporters_when_and_where_reach_the_case(portal_client: Any, clock: Any, users: dict[str, Any],
                                                     login_as: Any) -> None:
    from caseflow.models import Case
    from tests.reporting_support import submit

    r = submit(portal_client, "/whistleblow", when="14 January, around 10:00", where="Gate 4, lane 2")
    assert r.status_code in (200, 302)
    case = db.session.scalar(sa.select(Case))
    assert (case.incident_date, case.location_detail) == ("14 January, around 10:00", "Gate 4, lane 2")
    page = login_as(users["supervisor"]).get(f"/cases/{case.number}").get_data(as_text=True)
    assert "14 January, around 10:00" in page and "Gate 4, lane 2" in page
