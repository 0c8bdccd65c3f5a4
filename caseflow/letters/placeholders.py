"""Placeholders of letter templates: which exist for which letter, checked and filled without evaluating anything.

A template is parsed with string.Formatter().parse only; each field must be a bare known name (no attribute,
index, conversion or format spec), and the text is put together here, so a template can never reach an
object, call anything or run code. {{ and }} write a literal brace.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from string import Formatter

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from caseflow.errors import ValidationError
from caseflow.models.letters import LetterKind

COMMON = ("case_number", "office", "today", "investigator", "unit", "recipient_name")
BY_KIND: dict[LetterKind, tuple[str, ...]] = {
    LetterKind.SUBJECT_NOTICE: ("subject_name", "allegations"),
    LetterKind.INTERVIEW_INVITATION: ("interviewee_name", "interview_date", "interview_time", "interview_place"),
    LetterKind.REFERRAL: ("receiving_body", "referral_reference", "referral_date", "allegations"),
    LetterKind.ACKNOWLEDGEMENT: ("complainant_name", "received_date"),
}
DESCRIPTIONS = {
    "case_number": _l("the case number"),
    "office": _l("the office concerned"),
    "today": _l("the date of issue"),
    "investigator": _l("the name of the person issuing the letter"),
    "unit": _l("the name of the integrity unit"),
    "recipient_name": _l("the recipient's name"),
    "subject_name": _l("the subject's name"),
    "allegations": _l("the allegations, one per line"),
    "interviewee_name": _l("the interviewee's name"),
    "interview_date": _l("the date of the interview"),
    "interview_time": _l("the time of the interview"),
    "interview_place": _l("the place of the interview"),
    "receiving_body": _l("the receiving body"),
    "referral_reference": _l("the referral's reference"),
    "referral_date": _l("the date of the referral"),
    "complainant_name": _l("the complainant's name"),
    "received_date": _l("the date the complaint was received"),
}
MAX_SUBJECT, MAX_BODY = 300, 20000


def allowed(kind: LetterKind) -> tuple[str, ...]:
    """Return the placeholders a template of this kind may use."""
    return COMMON + BY_KIND[kind]


@dataclass(frozen=True)
class Piece:
    """A literal run of text, or a placeholder to fill."""

    text: str
    field: str | None = None


def parse(text: str, kind: LetterKind) -> list[Piece]:
    """Split a template into text and known placeholders; raise ValidationError naming what is wrong."""
    names = allowed(kind)
    try:
        parsed = list(Formatter().parse(text))
    except ValueError:
        raise ValidationError(_("A brace is not closed or not opened: write placeholders as {case_number}, and "
                                "a literal brace as {{ or }}.")) from None
    pieces: list[Piece] = []
    for literal, field, spec, conversion in parsed:
        if literal:
            pieces.append(Piece(literal))
        if field is None:
            continue
        if field not in names or spec or conversion:
            shown = "{" + field + ("!" + conversion if conversion else "") + (":" + spec if spec else "") + "}"
            raise ValidationError(_("Unknown placeholder %(found)s. This letter may use: %(names)s.",
                                    found=shown[:60], names=", ".join("{" + n + "}" for n in names)))
        pieces.append(Piece("", field))
    return pieces


def check(subject: str, body: str, kind: LetterKind) -> None:
    """Validate a template's subject line and body (lengths and placeholders)."""
    if not subject.strip() or not body.strip():
        raise ValidationError(_("A letter needs a subject line and a text."))
    if len(subject) > MAX_SUBJECT:
        raise ValidationError(ngettext("The subject line may have at most %(num)d character.",
                                       "The subject line may have at most %(num)d characters.", MAX_SUBJECT))
    if len(body) > MAX_BODY:
        raise ValidationError(ngettext("The text may have at most %(num)d character.",
                                       "The text may have at most %(num)d characters.", MAX_BODY))
    if "\n" in subject.strip():
        raise ValidationError(_("The subject line is a single line."))
    parse(subject, kind)
    parse(body, kind)


def fill(text: str, kind: LetterKind, values: Mapping[str, str]) -> str:
    """Return the template with each placeholder replaced by its value as plain text (never re-parsed)."""
    return "".join(p.text if p.field is None else str(values.get(p.field, "")) for p in parse(text, kind))
