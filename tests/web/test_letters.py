"""Letters: every template renders in every language, an Arabic invitation reads in its PDF, the Report tab lists
what was issued with its hash, and an administrator's edit is used (and audited)."""

from __future__ import annotations

import hashlib
import re
import subprocess
import unicodedata
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from caseflow.enums import PartyRole
from caseflow.extensions import db
from caseflow.models import AuditEvent, Interview, Letter
from caseflow.models.letters import LetterKind
from caseflow.models.reports import IssuedReport
from tests.attacks.case_setup import investigation_case

SHOTS = Path(__file__).resolve().parents[2] / "instance" / "screenshots"


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    """Return the text pdftotext reads in a PDF, Arabic presentation forms folded to their letters."""
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return re.sub("[\u202a-\u202e]", "", unicodedata.normalize("NFKC", out))  # pdftotext's bidi embeddings


def render_page(pdf: bytes, name: str) -> Path:
    """Write page 1 of a PDF as a PNG under instance/screenshots (to look at the layout); return its path."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / f"{name}.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "1", "-singlefile", str(SHOTS / f"{name}.pdf"),
                    str(SHOTS / name)], check=True)
    return SHOTS / f"{name}.png"


@pytest.fixture
def case(users: dict[str, Any], clock: Any) -> Any:
    """A case in investigation led by Ivan (Iris on the team) with a subject, an allegation and an interview."""
    case = investigation_case(users)
    db.session.add(Interview(case_id=case.id, interviewee="Lucia Gomez", role=PartyRole.WITNESS,
                             held_at=datetime(2026, 3, 10, 10, 30), location="Headquarters, room 4"))
    db.session.commit()
    return case


def _interview(case: Any) -> Interview:
    return db.session.scalar(sa.select(Interview).where(Interview.case_id == case.id))


def test_arabic_interview_invitation_is_issued_and_its_text_is_in_the_pdf(case: Any, users: dict[str, Any],
                                                                           login_as: Any, tmp_path: Path) -> None:
    client = login_as(users["investigator"])
    url = f"/cases/{case.number}/letters"
    data = {"kind": "interview_invitation", "language": "ar", "recipient": f"interview:{_interview(case).id}"}
    preview = client.post(url, data={**data, "action": "preview"})
    assert preview.status_code == 200
    assert "دعوة إلى مقابلة" in preview.get_data(as_text=True)  # the Arabic text, before anything is issued
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Letter)) == 0
    issued = client.post(url, data={**data, "action": "issue"})
    assert issued.status_code == 302 and issued.headers["Location"].endswith("/report#issued")
    overview = client.get(f"/cases/{case.number}?lang=en").get_data(as_text=True)
    assert "Letter issued" in overview and "Invitation to an interview" in overview  # on the timeline, in words
    tab = client.get(f"/cases/{case.number}/report").get_data(as_text=True)
    row = db.session.scalar(sa.select(IssuedReport).where(IssuedReport.kind == "letter"))
    assert row.language == "ar" and row.sha256 in tab and "Invitation to an interview" in tab
    link = re.search(rf'href="(/cases/{case.number}/issued/{row.id})"', tab)
    assert link, "the Report tab has no download link for the letter"
    pdf = client.get(link.group(1))
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert hashlib.sha256(pdf.data).hexdigest() == row.sha256  # the file downloaded is the one recorded
    text = pdf_text(pdf.data, tmp_path)
    for words in ("دعوة إلى مقابلة", "التحقيق الإداري", "Lucia Gomez", case.number, "Ivan Petrov",
                  "Headquarters, room 4"):
        assert words in text, words
    render_page(pdf.data, "letter-invitation-ar")
    downloads = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "report.download")).all()
    assert len(downloads) == 1 and downloads[0].case_id == case.id
    letter = db.session.scalar(sa.select(Letter))
    stored = db.session.execute(sa.text("SELECT recipient FROM letters")).scalar()
    assert letter.recipient == "Lucia Gomez" and "Lucia" not in stored  # the name is sealed at rest


def _named_case(users: dict[str, Any]) -> Any:
    """The fixture case, plus a named complainant whose identity a second supervisor agreed to reveal."""
    from caseflow.intake.confidential import store_confidential_intake
    from caseflow.models.intake import IdentityReveal, RevealStatus

    c = investigation_case(users, title="Named complaint")
    store_confidential_intake(c, None, content="They asked for cash.",
                              identity={"name": "Nadia Haddad", "contact": "12 rue des Docks\nTanger"})
    db.session.add(IdentityReveal(case_id=c.id, status=RevealStatus.APPROVED, reason="Needed for the letter",
                                  requested_by_id=users["supervisor"].id, decided_by_id=users["supervisor2"].id))
    db.session.add(Interview(case_id=c.id, interviewee="Lucia Gomez", role=PartyRole.WITNESS,
                             held_at=datetime(2026, 3, 10, 10, 30), location="Headquarters, room 4"))
    db.session.commit()
    return c


# A phrase of each shipped text, per language, that must reach the PDF (the templates really are these).
FIRST_WORDS = {
    LetterKind.SUBJECT_NOTICE: {"en": "administrative investigation", "fr": "enquête administrative",
                                "es": "investigación administrativa", "pt": "investigação administrativa",
                                "ar": "تحقيق إداري"},
    LetterKind.INTERVIEW_INVITATION: {"en": "invited to an interview", "fr": "invitons à un entretien",
                                      "es": "invitamos a una entrevista", "pt": "para uma entrevista",
                                      "ar": "ندعوكم إلى مقابلة"},
    LetterKind.REFERRAL: {"en": "refer case", "fr": "renvoyons par la présente", "es": "le remitimos el expediente",
                          "pt": "remetemos a V. Ex.as", "ar": "نحيل إليكم"},
    LetterKind.ACKNOWLEDGEMENT: {"en": "acknowledge receipt", "fr": "accusons réception",
                                "es": "Acusamos recibo", "pt": "Acusamos a receção", "ar": "باستلام شكواكم"},
}
NAMES = {LetterKind.SUBJECT_NOTICE: "Solicited a bribe", LetterKind.INTERVIEW_INVITATION: "Lucia Gomez",
         LetterKind.REFERRAL: "City police", LetterKind.ACKNOWLEDGEMENT: "Nadia Haddad"}


def test_every_letter_renders_in_every_language(app: Any, users: dict[str, Any], clock: Any,
                                                 tmp_path: Path) -> None:
    from datetime import date

    from caseflow.investigation import operations as inv_ops
    from caseflow.letters import operations as ops

    c = _named_case(users)
    referral = inv_ops.add_referral(c, users["investigator"], "police", "City police", date(2026, 3, 1))
    db.session.commit()
    keys = {LetterKind.SUBJECT_NOTICE: f"party:{factories_subject(c).id}",
            LetterKind.INTERVIEW_INVITATION: f"interview:{_interview(c).id}",
            LetterKind.REFERRAL: f"referral:{referral.id}", LetterKind.ACKNOWLEDGEMENT: "complainant"}
    with app.test_request_context():
        offered = {r.key for r in ops.recipients(c, users["investigator"])}
        assert set(keys.values()) <= offered  # the lead sees every recipient, the complainant after the reveal
        for kind, key in keys.items():
            for lang in ("en", "fr", "es", "pt", "ar"):
                issued, _letter = ops.issue_letter(c, users["investigator"], kind, lang, key)
                pdf = _read_kept(issued)
                text = " ".join(pdf_text(pdf, tmp_path).split())
                assert FIRST_WORDS[kind][lang] in text, (kind, lang)
                assert NAMES[kind] in text and c.number in text, (kind, lang)
                assert "{" not in text, (kind, lang)  # every placeholder was filled
                if (kind, lang) == (LetterKind.SUBJECT_NOTICE, "fr"):
                    render_page(pdf, "letter-notice-fr")
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Letter)) == 20


def factories_subject(c: Any) -> Any:
    """Return the case's subject party."""
    return next(p for p in c.parties if p.role == PartyRole.SUBJECT)


def _read_kept(issued: IssuedReport) -> bytes:
    from caseflow.attachments import read_attachment
    from caseflow.models.intake import Attachment

    data = read_attachment(db.session.get(Attachment, issued.attachment_id))
    assert hashlib.sha256(data).hexdigest() == issued.sha256
    return data


def test_a_team_member_is_not_offered_the_complainant_and_the_reveal_is_audited(app: Any, users: dict[str, Any],
                                                                                clock: Any) -> None:
    from caseflow.letters import operations as ops

    c = _named_case(users)
    with app.test_request_context():
        assert "complainant" not in {r.key for r in ops.recipients(c, users["investigator2"])}
        ops.issue_letter(c, users["investigator"], LetterKind.ACKNOWLEDGEMENT, "en", "complainant")
    db.session.commit()
    views = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "identity.view",
                                                           AuditEvent.case_id == c.id)).all()
    issued = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "letter.issue")).all()
    assert len(views) == 1 and len(issued) == 1 and "Nadia" not in issued[0].detail


def test_the_report_tab_lists_an_investigation_report_with_its_hash(case: Any, users: dict[str, Any],
                                                                    login_as: Any) -> None:
    client = login_as(users["supervisor"])
    pdf = client.post(f"/cases/{case.number}/report", data={"variant": "full", "action": "issue"})
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    digest = hashlib.sha256(pdf.data).hexdigest()
    tab = client.get(f"/cases/{case.number}/report").get_data(as_text=True)
    assert digest in tab and "Investigation report" in tab
    row = db.session.scalar(sa.select(IssuedReport).where(IssuedReport.sha256 == digest))
    again = client.get(f"/cases/{case.number}/issued/{row.id}")
    assert again.status_code == 200 and again.data == pdf.data  # kept byte for byte
    client.post("/logout")
    member = login_as(users["investigator2"])  # on the team: issues redacted reports only
    assert member.get(f"/cases/{case.number}/issued/{row.id}").status_code == 403
    assert "Not for you" in member.get(f"/cases/{case.number}/report").get_data(as_text=True)


def test_an_administrator_edits_previews_and_resets_a_template(case: Any, users: dict[str, Any],
                                                               login_as: Any, tmp_path: Path) -> None:
    admin = login_as(users["admin"])
    url = "/admin/letters/interview_invitation/fr"
    assert "Invitation à un entretien" in admin.get(url).get_data(as_text=True)
    listing = admin.get("/admin/letters").get_data(as_text=True)
    assert url in listing and "/admin/letters/acknowledgement/ar" in listing
    body = ("Madame, Monsieur,\n\nVous êtes convoqué le {interview_date} pour le dossier {case_number}.\n\n"
            "{investigator}")
    preview = admin.post(url, data={"subject": "Convocation {case_number}", "body": body, "action": "preview"})
    assert preview.status_code == 200 and "Convocation IA-2026-00042" in preview.get_data(as_text=True)
    sample = admin.post(url, data={"subject": "Convocation {case_number}", "body": body, "action": "pdf"})
    assert sample.mimetype == "application/pdf" and "IA-2026-00042" in pdf_text(sample.data, tmp_path)
    saved = admin.post(url, data={"subject": "Convocation {case_number}", "body": body, "action": "save"})
    assert saved.status_code == 302
    edits = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "letter_template.update")).all()
    assert len(edits) == 1 and '"language":"fr"' in edits[0].detail
    admin.post("/logout")
    lead = login_as(users["investigator"])
    lead.post(f"/cases/{case.number}/letters", data={"kind": "interview_invitation", "language": "fr",
                                                     "recipient": f"interview:{_interview(case).id}",
                                                     "action": "issue"})
    issued = db.session.scalar(sa.select(IssuedReport).where(IssuedReport.kind == "letter"))
    text = " ".join(pdf_text(_read_kept(issued), tmp_path).split())
    assert f"Convocation {case.number}" in text and "Vous êtes convoqué le 10 mars 2026" in text
    lead.post("/logout")
    admin = login_as(users["admin"])
    assert admin.post(url, data={"subject": "x", "body": "y", "action": "reset"}).status_code == 302
    assert "Invitation à un entretien" in admin.get(url).get_data(as_text=True)


def test_an_unknown_placeholder_is_a_clear_error_on_the_form(users: dict[str, Any], login_as: Any) -> None:
    admin = login_as(users["admin"])
    url = "/admin/letters/subject_notice/en"
    page = admin.post(url, data={"subject": "Notice", "body": "Dear {subjet_name},", "action": "save"})
    text = page.get_data(as_text=True)
    assert page.status_code == 400 and "Unknown placeholder {subjet_name}" in text and "{subject_name}" in text
    # a placeholder of another letter is refused too: an interview date means nothing in a notice
    page = admin.post(url, data={"subject": "Notice", "body": "On {interview_date}", "action": "preview"})
    assert page.status_code == 400 and "Unknown placeholder {interview_date}" in page.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "letter_template.update")) == 0


def test_destroying_a_cases_content_takes_its_letters_names_and_files(app: Any, case: Any, users: dict[str, Any],
                                                                      login_as: Any) -> None:
    from caseflow.investigation.purge import destroy_case_content
    from caseflow.letters.operations import issue_letter

    with app.test_request_context():
        issued, _letter = issue_letter(case, users["investigator"], LetterKind.INTERVIEW_INVITATION, "fr",
                                       f"interview:{_interview(case).id}")
        destroy_case_content(case)
    db.session.commit()
    letter = db.session.scalar(sa.select(Letter))
    row = db.session.get(IssuedReport, issued.id)
    assert letter.recipient == "—" and row.attachment_id is None and row.sha256 == issued.sha256
    client = login_as(users["supervisor"])
    tab = client.get(f"/cases/{case.number}/report").get_data(as_text=True)
    assert row.sha256 in tab and "Not kept" in tab  # still listed and verifiable, no longer downloadable


def test_the_interview_page_leads_to_its_invitation_letter(case: Any, users: dict[str, Any], login_as: Any) -> None:
    client = login_as(users["investigator2"])  # a team member writes letters too
    page = client.get(f"/cases/{case.number}/investigation/interviews").get_data(as_text=True)
    link = re.search(r'href="([^"]*/letters\?[^"]*)"', page)
    assert link, "no letter link on the interviews page"
    form = client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    chosen = re.search(r'<option selected value="interview:(\d+)"|<option value="interview:(\d+)" selected', form)
    assert chosen and int(chosen.group(1) or chosen.group(2)) == _interview(case).id


def test_a_letter_is_verified_like_a_report(app: Any, case: Any, users: dict[str, Any]) -> None:
    from caseflow.letters.operations import issue_letter
    from caseflow.reports.verify import verify_pdf

    with app.test_request_context():
        issued, _letter = issue_letter(case, users["investigator"], LetterKind.INTERVIEW_INVITATION, "pt",
                                       f"interview:{_interview(case).id}")
    data = _read_kept(issued)
    verdict = verify_pdf(data)
    assert verdict.ok and verdict.issued.id == issued.id and verdict.claimed_id == issued.report_id
    altered = verify_pdf(data[:500] + bytes([data[500] ^ 1]) + data[501:])
    assert not altered.ok and altered.claimed_id == issued.report_id  # it still says which letter it claims to be
