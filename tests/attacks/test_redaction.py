"""Redaction attacked: the redacted PDF must hold none of the sealed identity and strike no common word."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from datetime import datetime
from pathlib import Path
from typing import Any

from caseflow.enums import CaseState, PartyRole
from caseflow.extensions import db
from caseflow.models import ConflictDeclaration, EvidenceItem, Interview
from caseflow.reports.folding import fold
from tests.factories import make_case

NAME = "Yusuf Amrani"
EMAIL = "y.amrani@example.org"
PHONE = "+32 470 12 34 56"
FREE_TEXT = "works at the Port security CCTV desk"
SUMMARY = ("The reporter saw the officer take cash at the gate. YUSUF AMRANI said so; Y. Amrani then wrote from "
           "y.amrani to the unit and called from 0470/12.34.56. Mr Amraní (the same man) also works at the Port "
           "security CCTV desk. The security cameras at the port recorded the gate.")


def _case(users: dict[str, Any], identity: dict[str, str], summary: str, filename: str) -> Any:
    case = make_case(title="Cash at the gate", summary=summary, identity=identity, commit=False,
                     channel="whistleblower", subject="Karim Benali")
    case.state = CaseState.INVESTIGATION
    case.lead_investigator_id = users["investigator"].id
    db.session.add(EvidenceItem(case_id=case.id, seq=1, number=f"{case.number}-E01", description="Written statement",
                                source="The reporter", storage_location="Safe 2", filename=filename,
                                sha256="ab" * 32))
    db.session.add(Interview(case_id=case.id, interviewee="Lucia Gomez", role=PartyRole.WITNESS,
                             held_at=datetime(2026, 2, 10, 9), location="HQ",
                             summary="She confirmed what the reporter said about the gate."))
    db.session.add(ConflictDeclaration(case_id=case.id, user_id=users["supervisor"].id, has_conflict=False))
    db.session.commit()
    return case


def _issue_redacted(client: Any, case: Any, **data: Any) -> tuple[str, bytes]:
    url = f"/cases/{case.number}/report"
    preview = client.post(url, data={"variant": "redacted", "action": "preview", **data})
    assert preview.status_code == 200
    page = preview.get_data(as_text=True)
    token = re.search(r'name="previewed"[^>]*value="([0-9a-f]+)"', page).group(1)
    response = client.post(url, data={"variant": "redacted", "action": "issue", "previewed": token, **data})
    assert response.mimetype == "application/pdf"
    return page, response.data


def _pdftotext(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "redacted.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return unicodedata.normalize("NFKC", out)  # Arabic is drawn in presentation forms


def test_the_redacted_pdf_holds_no_identity_value_and_strikes_no_common_word(clock: Any, users: dict[str, Any],
                                                                             login_as: Any, tmp_path: Path) -> None:
    identity = {"name": NAME, "contact": f"{EMAIL} / {PHONE}", "relationship": FREE_TEXT}
    case = _case(users, identity, SUMMARY, "statement_amrani.pdf")
    page, pdf = _issue_redacted(login_as(users["supervisor"]), case)
    text = _pdftotext(pdf, tmp_path)
    flat = fold(" ".join(text.split()))
    for value in (NAME, "Yusuf", "Amrani", "Y. Amrani", EMAIL, "y.amrani", FREE_TEXT):
        assert fold(value) not in flat, value
    assert "470123456" not in re.sub(r"\D", "", text) and "12.34.56" not in text
    assert "statement_[REDACTED].pdf" in text.replace("\n", "")
    # the free text is struck as a whole where it appears, never word by word
    assert "[REDACTED] security" not in flat.replace("[redacted]", "[REDACTED]")
    assert "security cameras at the port" in flat and "saw the officer take cash at the gate" in flat
    for common in ("the", "at", "security", "port", "cctv", "desk", "works"):
        assert f"[redacted] {common} " not in flat or common not in fold(FREE_TEXT).split(), common
    assert not re.search(r"\[REDACTED\]\s*(?:the|at|security)\b", text)
    # the preview said what it strikes and why, without showing the sealed values themselves
    assert "reporter&#39;s name" in page or "reporter's name" in page
    assert "reporter&#39;s phone number" in page or "reporter's phone number" in page
    preview_table = page.split('id="h-preview"')[1].split("</section>")[0]
    assert "Amrani" not in preview_table.replace("[REDACTED]", "") and EMAIL not in preview_table
    kept = preview_table.split("Not struck, but looks like a name")[1]
    assert "<strong>port</strong>" in kept  # a name-like word of the identity left in clear is pointed out


def test_arabic_names_with_and_without_diacritics_are_struck(clock: Any, users: dict[str, Any], login_as: Any,
                                                             tmp_path: Path) -> None:
    identity = {"name": "يوسف العمراني", "contact": "0470 12 34 56", "relationship": ""}
    summary = ("قال يُوسُف العَمْرَانِي إن الموظف طلب المال. ثم كتب العمـــراني رسالة، "
               "وذكر عمراني البوابة. The gate officer took cash from Yusuf's truck driver.")
    case = _case(users, identity, summary, "شهادة_العمراني.pdf")
    _page, pdf = _issue_redacted(login_as(users["supervisor"]), case)
    text = fold(_pdftotext(pdf, tmp_path))
    for value in ("يوسف", "العمراني", "عمراني"):
        assert fold(value) not in text, value
    assert fold("الموظف") in text and fold("البوابة") in text  # the rest of the Arabic text stays
    assert "gate officer took cash" in text


def test_a_given_name_that_is_a_common_word_leaves_no_initial_or_file_name_behind(
        clock: Any, users: dict[str, Any], login_as: Any, tmp_path: Path) -> None:
    """An outside tester's finding: "W. [REDACTED]", "will_[REDACTED]" and an escaped name in the appendix."""
    identity = {"name": "Will Kovačević", "contact": "will.kovacevic.77@example.org", "relationship": "employee"}
    summary = "W. Kovačević saw it; Kovacevic W. wrote it down; the others will say so too."
    case = _case(users, identity, summary, "Kovačević-will-notes.txt")
    from caseflow import audit

    audit.record("evidence.register", users["investigator"], case,
                 {"evidence": 1, "name_uploaded": "Kova\\u010devi\\u0107-will-notes.txt"})
    db.session.commit()
    _page, pdf = _issue_redacted(login_as(users["supervisor"]), case)
    text = " ".join(_pdftotext(pdf, tmp_path).split())
    for left in ("Kovač", "Kovac", "u010d", "W. [REDACTED]", "[REDACTED] W.", "will_[REDACTED]", "-will-notes"):
        assert left.lower() not in text.lower(), left
    assert "the others will say so too" in text  # the common word itself is not struck


def test_a_given_name_that_is_a_common_word_is_struck_alone_where_written_as_a_name(
        clock: Any, users: dict[str, Any], login_as: Any, tmp_path: Path) -> None:
    """An outside tester's finding: "Will" alone mid-sentence survived; the word "will" must stay."""
    identity = {"name": "Will Kovačević", "contact": "+32 470 99 88 77", "relationship": "employee"}
    summary = "The driver said that Will took the envelope. Will was there at night. The others will say so."
    case = _case(users, identity, summary, "notes.txt")
    client = login_as(users["supervisor"])
    page, pdf = _issue_redacted(client, case)
    text = " ".join(_pdftotext(pdf, tmp_path).split())
    assert "said that [REDACTED] took the envelope" in text
    assert "The others will say so" in text  # the word itself is never struck
    # A capital that opens a sentence says nothing: left, but shown to the lead before issuing ...
    shown = page.split("Not struck, but looks like a name", 1)[1].split("</table>", 1)[0]
    assert "<strong>Will</strong>" in shown and "was there at night" in shown
    # ... who types it, and then it is gone wherever it is written with a capital.
    _page, pdf = _issue_redacted(client, case, terms="Will")
    text = " ".join(_pdftotext(pdf, tmp_path).split())
    assert "Will" not in text and "[REDACTED] was there at night" in text and "others will say so" in text
