"""Attacks on letter templates: hostile placeholder text from an administrator's form, hostile values in a case.

A template is text an administrator types; the values are names typed by anyone who records a case. Neither
may reach an object, run code, blow up memory or answer with a 500: a bad placeholder is a clear error on the
form, and a value is printed as it is, never read as a placeholder or as PDF markup.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
import sqlalchemy as sa

from caseflow.enums import PartyRole
from caseflow.extensions import db
from caseflow.models import AuditEvent, Interview, Letter, LetterTemplate
from caseflow.models.letters import LetterKind
from tests.attacks.case_setup import investigation_case
from tests.web.test_letters import _read_kept, pdf_text

HOSTILE = [
    "{case_number.__class__.__mro__}",  # attribute access: the str.format route to any object
    "{investigator.__init__.__globals__[current_app]}",  # and from there to the application's secrets
    "{case_number[0]}",  # indexing
    "{0}", "{}",  # positional fields
    "{case_number!r}",  # conversion
    "{case_number:>999999999}",  # a format spec that would build a 1 GB string
    "{case_number", "case_number}", "{{case_number}",  # unbalanced braces
]


@pytest.mark.parametrize("text", HOSTILE)
def test_a_hostile_placeholder_is_refused_on_the_form(text: str, users: dict[str, Any], login_as: Any) -> None:
    admin = login_as(users["admin"])
    for action in ("preview", "pdf", "save"):
        page = admin.post("/admin/letters/subject_notice/en",
                          data={"subject": "Notice", "body": f"Dear {text},", "action": action})
        body = page.get_data(as_text=True)
        assert page.status_code == 400, (action, page.status_code)
        assert "placeholder" in body or "brace" in body
        assert "<class" not in body and "SECRET" not in body
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LetterTemplate)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "letter_template.update")) == 0


def test_a_value_that_looks_like_a_placeholder_or_markup_is_printed_as_typed(app: Any, users: dict[str, Any],
                                                                              clock: Any, tmp_path: Any) -> None:
    from caseflow.letters.operations import issue_letter

    case = investigation_case(users)
    name = "{investigator.__class__} <font size=90>Big</font> {{unit}}"
    db.session.add(Interview(case_id=case.id, interviewee=name, role=PartyRole.WITNESS,
                             held_at=datetime(2026, 3, 10, 10, 30), location="<a href='javascript:x'>HQ</a>"))
    db.session.commit()
    interview = db.session.scalar(sa.select(Interview).where(Interview.case_id == case.id))
    with app.test_request_context():
        issued, _letter = issue_letter(case, users["investigator"], LetterKind.INTERVIEW_INVITATION, "en",
                                       f"interview:{interview.id}")
    text = " ".join(pdf_text(_read_kept(issued), tmp_path).split())
    assert "{investigator.__class__} <font size=90>Big</font> {{unit}}" in text
    assert "<a href='javascript:x'>HQ</a>" in text and "<class" not in text


def test_a_stored_template_with_a_bad_placeholder_is_a_clear_refusal_when_issuing(users: dict[str, Any],
                                                                                  login_as: Any, clock: Any) -> None:
    """A row written past the form (an older version, a restored backup) still never gives a 500."""
    case = investigation_case(users)
    db.session.add(LetterTemplate(kind=LetterKind.SUBJECT_NOTICE, language="en", subject="Notice",
                                  body="Dear {subject_name.__class__},"))
    db.session.commit()
    party = next(p for p in case.parties if p.role == PartyRole.SUBJECT)
    client = login_as(users["investigator"])
    page = client.post(f"/cases/{case.number}/letters", data={
        "kind": "subject_notice", "language": "en", "recipient": f"party:{party.id}", "action": "issue"})
    assert page.status_code == 409 and "Unknown placeholder" in page.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Letter)) == 0
