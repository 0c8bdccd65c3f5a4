"""Letters: the templates in force, whom a letter may go to, composing, issuing and downloading it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from babel.dates import format_date, format_time
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from caseflow import access, audit
from caseflow.clock import utcnow
from caseflow.deadlines import utc_to_local
from caseflow.enums import PartyRole
from caseflow.errors import AccessDeniedError, ValidationError
from caseflow.extensions import db
from caseflow.i18n import unit_name
from caseflow.letters import placeholders
from caseflow.letters.defaults import DEFAULTS
from caseflow.letters.render import LetterText, render_letter
from caseflow.models import Case, CaseParty, Interview, Referral, User
from caseflow.models.letters import Letter, LetterKind, LetterTemplate
from caseflow.models.reports import IssuedReport, ReportKind, ReportVariant
from caseflow.reports.issued import reveal_approved as _reveal_approved
from caseflow.reports.operations import new_report_id, record_issue
from caseflow.reports.pdf import DocMeta

COMPLAINANT = "complainant"


def languages() -> list[str]:
    """Return the languages letters are written in (the interface's)."""
    return list(current_app.config["CASEFLOW_LANGUAGES"])


def stored_template(kind: LetterKind, language: str) -> LetterTemplate | None:
    """Return the administrator's version of a template, if there is one."""
    return db.session.scalar(sa.select(LetterTemplate).where(LetterTemplate.kind == kind,
                                                             LetterTemplate.language == language))


def template_text(kind: LetterKind, language: str) -> tuple[str, str]:
    """Return the (subject, body) in force: the administrator's version, else the shipped default."""
    row = stored_template(kind, language)
    return (row.subject, row.body) if row is not None else DEFAULTS[kind][language]


def save_template(kind: LetterKind, language: str, subject: str, body: str, actor: User) -> LetterTemplate:
    """Check and save an administrator's version of a template; audited (the text's length, not the text)."""
    if not access.can_edit_letter_templates(actor):
        raise AccessDeniedError(_("Only an administrator edits the letter templates."))
    subject, body = subject.strip(), body.replace("\r\n", "\n").strip()
    placeholders.check(subject, body, kind)
    row = stored_template(kind, language)
    if row is None:
        row = LetterTemplate(kind=kind, language=language)
        db.session.add(row)
    row.subject, row.body, row.updated_by_id, row.updated_at = subject, body, actor.id, utcnow()
    audit.record("letter_template.update", actor, None, {"kind": kind.value, "language": language,
                                                          "length": len(body)})
    db.session.flush()
    return row


def reset_template(kind: LetterKind, language: str, actor: User) -> None:
    """Bring the shipped default of a template back; audited."""
    if not access.can_edit_letter_templates(actor):
        raise AccessDeniedError(_("Only an administrator edits the letter templates."))
    row = stored_template(kind, language)
    if row is not None:
        db.session.delete(row)
    audit.record("letter_template.reset", actor, None, {"kind": kind.value, "language": language})
    db.session.flush()


@dataclass(frozen=True)
class Recipient:
    """Someone a letter of one kind may go to on this case."""

    key: str  # party:<id>, interview:<id>, referral:<id> or complainant
    kind: LetterKind
    label: str


def _has_identity(case: Case) -> bool:
    from caseflow.reporting.operations import submission_of

    submission = submission_of(case)
    return submission is not None and submission.identity_blob is not None


def recipients(case: Case, actor: User) -> list[Recipient]:
    """Return whom each kind of letter may go to: the case's subjects, interviews, referrals, the complainant."""
    out = [Recipient(f"party:{p.id}", LetterKind.SUBJECT_NOTICE, p.display_name)
           for p in case.parties if p.role == PartyRole.SUBJECT and p.person is not None]
    for i in db.session.scalars(sa.select(Interview).where(Interview.case_id == case.id).order_by(Interview.held_at)):
        out.append(Recipient(f"interview:{i.id}", LetterKind.INTERVIEW_INVITATION,
                             f"{i.interviewee} — {utc_to_local(i.held_at):%Y-%m-%d %H:%M}"))
    for r in db.session.scalars(sa.select(Referral).where(Referral.case_id == case.id).order_by(Referral.id)):
        out.append(Recipient(f"referral:{r.id}", LetterKind.REFERRAL, f"{r.body_name} ({r.body_kind.label})"))
    if _has_identity(case) and access.can_issue_acknowledgement(actor, case, _reveal_approved(case)):
        out.append(Recipient(COMPLAINANT, LetterKind.ACKNOWLEDGEMENT, _("The complainant (revealed identity)")))
    return out


@dataclass
class Composed:
    """A letter ready to be drawn: its text, the recipient's name and what it was written for."""

    text: LetterText
    recipient: str
    links: dict[str, int]


def _day(value: datetime, language: str) -> str:
    return format_date(value, format="long", locale=language)


def _allegations(case: Case, party_id: int | None = None) -> str:
    rows = [a for a in case.allegations if party_id is None or a.subject_party_id == party_id]
    if party_id is None:
        lines = [f"{n}. {a.subject.display_name}: {a.conduct}" if a.subject else f"{n}. {a.conduct}"
                 for n, a in enumerate(rows, 1)]
    else:
        lines = [f"{n}. {a.conduct}" for n, a in enumerate(rows, 1)]
    return "\n".join(lines) or "—"


def _resolve(case: Case, actor: User, kind: LetterKind, key: str,
             language: str) -> tuple[dict[str, str], list[str], dict[str, int], list[tuple[str, str]]]:
    """Return the placeholders' values, the address lines, the links and extra references for one recipient."""
    wanted, _sep, raw = key.partition(":")
    number = int(raw) if raw.isdigit() and len(raw) < 12 else None
    values: dict[str, str]
    if kind == LetterKind.SUBJECT_NOTICE and wanted == "party" and number is not None:
        party = db.session.get(CaseParty, number)
        if party is None or party.case_id != case.id or party.role != PartyRole.SUBJECT or party.person is None:
            raise ValidationError(_("Choose a subject of this case."))
        name = party.display_name
        values = {"subject_name": name, "allegations": _allegations(case, party.id)}
        lines = [name, party.person.position or ""]
        return values, lines, {"party_id": party.id}, []
    if kind == LetterKind.INTERVIEW_INVITATION and wanted == "interview" and number is not None:
        interview = db.session.get(Interview, number)
        if interview is None or interview.case_id != case.id:
            raise ValidationError(_("Choose an interview of this case."))
        held = utc_to_local(interview.held_at)  # stored in UTC; the letter gives the wall-clock time
        values = {"interviewee_name": interview.interviewee, "interview_date": _day(held, language),
                  "interview_time": format_time(held, format="short", locale=language),
                  "interview_place": interview.location or "—"}
        return values, [interview.interviewee], {"interview_id": interview.id}, []
    if kind == LetterKind.REFERRAL and wanted == "referral" and number is not None:
        referral = db.session.get(Referral, number)
        if referral is None or referral.case_id != case.id:
            raise ValidationError(_("Choose a referral of this case."))
        values = {"receiving_body": referral.body_name, "referral_reference": referral.reference or "—",
                  "referral_date": format_date(referral.referred_on, format="long", locale=language),
                  "allegations": _allegations(case)}
        return values, [referral.body_name], {"referral_id": referral.id}, [("your_reference", referral.reference)]
    if kind == LetterKind.ACKNOWLEDGEMENT and key == COMPLAINANT:
        if not _has_identity(case) or not access.can_issue_acknowledgement(actor, case, _reveal_approved(case)):
            raise AccessDeniedError(_("A letter to the complainant prints their sealed identity: it needs an "
                                      "approved reveal, and only a supervisor or the lead investigator may write it."))
        from caseflow.reporting.operations import read_identity

        identity = read_identity(case, actor)  # audited as a view of the identity
        name = str(identity.get("name") or "").strip() or _("Complainant")
        values = {"complainant_name": name, "received_date": _day(utc_to_local(case.received_at), language)}
        return values, [name, *str(identity.get("contact") or "").splitlines()], {}, []
    raise ValidationError(_("This recipient does not fit this letter: choose one listed for it."))


def compose(case: Case, actor: User, kind: LetterKind, language: str, key: str) -> Composed:
    """Fill the template in force for one recipient of the case, in the letter's language (no write)."""
    if not access.can_issue_letters(actor, case):
        raise AccessDeniedError(_("You may not issue letters on this case."))
    if language not in languages():
        raise ValidationError(_("Choose one of the languages offered."))
    values, lines, links, refs = _resolve(case, actor, kind, key, language)  # refusals in the reader's language
    with force_locale(language):
        unit = unit_name()
        labels = {"your_reference": _("Your reference")}
        references = [(_("Our reference"), case.number), *((labels[k], v) for k, v in refs)]
    office = case.office.name if case.office else ""
    today = _day(utc_to_local(utcnow()), language)
    values |= {"case_number": case.number, "office": office or "—", "today": today,
               "investigator": actor.full_name, "unit": unit, "recipient_name": lines[0]}
    subject, body = template_text(kind, language)
    text = LetterText(unit=unit, office=office, date=today, references=references, recipient=lines,
                      subject=placeholders.fill(subject, kind, values), body=placeholders.fill(body, kind, values))
    return Composed(text, lines[0], links)


def issue_letter(case: Case, actor: User, kind: LetterKind, language: str, key: str) -> tuple[IssuedReport, Letter]:
    """Compose, draw, hash, keep and record a letter on the case, like a report; audited."""
    composed = compose(case, actor, kind, language, key)
    with force_locale(language):
        meta = DocMeta(title=f"{case.number} — {kind_title(kind)}", subject=kind_title(kind),
                       report_id=new_report_id(), chain_head=audit.head_hash(), classification=_("CONFIDENTIAL"),
                       issued=utcnow().strftime("%Y-%m-%d %H:%M UTC"), id_label=_("Letter reference"))
        data = render_letter(composed.text, meta)
        issued = record_issue(data, ReportKind.LETTER, ReportVariant.FULL, meta, actor, case, case.number,
                              {"letter": kind.value, "language": language, **composed.links}, action="letter.issue",
                              filename=f"{case.number}-{kind.value}-{language}-{meta.report_id}.pdf")
    letter = Letter(case_id=case.id, issued_report_id=issued.id, kind=kind, recipient=composed.recipient[:300],
                    **composed.links)
    db.session.add(letter)
    db.session.flush()
    return issued, letter


def kind_title(kind: LetterKind) -> str:
    """Return a letter kind's name in the current language."""
    return kind.label
