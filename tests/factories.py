"""Factories that build realistic objects through CaseFlow's own operations."""

from __future__ import annotations

import itertools
from typing import Any

import sqlalchemy as sa

from caseflow.auth.operations import create_user
from caseflow.enums import Channel, PartyRole, Role
from caseflow.extensions import db
from caseflow.intake.operations import receive_complaint
from caseflow.models import Case, Category, Office, User
from caseflow.reference import ensure_categories

PASSWORD = "Correct-Horse-Battery-9"
_seq = itertools.count(1)


def make_user(role: Role | str = Role.INVESTIGATOR, username: str | None = None, **kw: Any) -> User:
    """Create and return a staff user with the test password."""
    role = Role(role)
    username = username or f"{role.value}{next(_seq)}"
    user = create_user(username, kw.pop("full_name", username.title()), role, kw.pop("password", PASSWORD), **kw)
    db.session.commit()
    return user


def category(code: str = "bribery") -> Category:
    """Return a default category by code (creating the default list if needed)."""
    ensure_categories()
    return db.session.scalar(sa.select(Category).where(Category.code == code))


def make_office(name: str = "North Seaport Customs House") -> Office:
    """Create and return an office."""
    office = Office(code=f"O{next(_seq)}", name=name)
    db.session.add(office)
    db.session.commit()
    return office


def make_case(channel: Channel = Channel.PHONE, title: str = "Officer asked for cash", commit: bool = True,
              subject: str | None = None, subject_user: User | None = None, **kw: Any) -> Case:
    """Create a case through receive_complaint(), optionally naming a subject."""
    subjects = []
    if subject or subject_user:
        subjects.append({"full_name": subject or subject_user.full_name,  # type: ignore[union-attr]
                         "user_id": subject_user.id if subject_user else None})
    case = receive_complaint(channel=channel, title=title, subjects=subjects, **kw).case
    if commit:
        db.session.commit()
    return case


def subject_party(case: Case) -> Any:
    """Return the first subject party of a case."""
    return next(p for p in case.parties if p.role == PartyRole.SUBJECT)


def approve_written_report(case: Case, lead: User, supervisor: User) -> None:
    """Have the lead write a version of the report and a supervisor approve it (it is issued), as closing needs."""
    from caseflow.reports import drafts
    from caseflow.reports.operations import approve_report_draft

    draft = drafts.save_report_draft(case, lead, {"background": "Complaint received and investigated.",
                                                  "conclusions": "See the findings."}, {})
    approve_report_draft(case, supervisor, draft.version)


def content_text(case: Case) -> str:
    """Return a case's sealed complaint text decrypted (what the staff page shows, without its audit event)."""
    from caseflow.casekeys import open_text
    from caseflow.models.intake import ReportSubmission

    blob = db.session.scalar(sa.select(ReportSubmission.content_blob).where(ReportSubmission.case_id == case.id))
    return open_text(case, blob) if blob else ""
