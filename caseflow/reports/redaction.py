"""Redaction by value: what is struck from a report, matched on normalised text, before the PDF is drawn.

Struck are the reporter's identity values (the name, each name part, initials with the surname, the e-mail
address and its local part, phone numbers in any formatting, any other contact as a whole), the people ticked
and the phrases typed. Matching ignores case, accents and diacritics (Arabic harakat and tatweel too) and
finds a value inside a token ("statement_amrani.pdf") but never inside another word. A free-text field is
struck as a whole phrase, never word by word, and no common word is ever struck on its own.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from caseflow.enums import PartyRole
from caseflow.models import Case, CaseParty
from caseflow.reports.folding import fold, folded_with_map, is_common

MARK = "[REDACTED]"
LETTER_BEFORE = r"(?<![^\W\d_])"  # not preceded by a letter of any script (digits, _ . - and spaces are edges)
LETTER_AFTER = r"(?![^\W\d_])"
ARABIC_PROCLITIC = "وبلفك"  # "and", "with", "for", "so", "like": written attached to the next word
PHONE_RUN = re.compile(r"\+?\d[\d\s().\-/]{4,}\d")
EMAIL = re.compile(r"[^\s@/<>,;]+@[^\s@/<>,;]+\.[^\s@/<>,;]+")
MIN_PHONE_DIGITS = 6
PHONE_SUFFIX = 8  # "+32 470 12 34 56" and "0470 12 34 56" share their last eight digits
PARTICLES = frozenset("van von der den del della dos das bin ibn abu bint ben".split())
SENTENCE_END = ".!?\n"
ABBREVIATIONS = frozenset("mr mrs ms dr prof st sr sra srta mme mlle me eg ie cf vs no nr sgt lt col capt insp".split())


@dataclass(frozen=True)
class Term:
    """One value to strike and why; a value from the sealed identity is never shown in the preview."""

    value: str
    reason: str
    secret: bool = False
    initials_of: str | None = None  # set for "Y. Amrani": the surname (value is the given name's initial)
    capitalised: bool = False  # a given name that is also a word ("Will"): struck only as a name is written
    also_first: bool = False  # ... and at a sentence's start too (a phrase typed after the preview showed it)


def _name_parts(name: str) -> list[str]:
    parts = [p for p in re.split(r"[\s,;.'’\-]+", name) if p]
    out = [p for p in parts if len(fold(p)) >= 2 and not is_common(fold(p))]
    for p in list(out):  # "العمراني" is also written without its article
        folded = fold(p)
        if folded.startswith("ال") and len(folded) > 4:
            out.append(folded[2:])
    return out


def common_name_parts(name: str) -> list[str]:
    """Return the parts of a name that are also common words ("Will", "Rose"), particles left out."""
    parts = [p for p in re.split(r"[\s,;.'’\-]+", name) if len(fold(p)) >= 3]
    return [p for p in parts if is_common(fold(p)) and fold(p) not in PARTICLES]


def at_sentence_start(text: str, start: int) -> bool:
    """Return whether a word starting at `start` opens a sentence (its capital then says nothing)."""
    i = start - 1
    while i >= 0 and (text[i].isspace() or text[i] in "\"'«“‘(["):
        if text[i] == "\n":
            return True
        i -= 1
    if i < 0:
        return True
    if text[i] not in SENTENCE_END:
        return False
    return not (text[i] == "." and _abbreviation_before(text, i))


def _abbreviation_before(text: str, dot: int) -> bool:
    """Return whether the full stop at `dot` ends an abbreviation ("Mr.", "e.g.", "M.") rather than a sentence."""
    word = re.search(r"([^\W\d_]+(?:\.[^\W\d_]+)*)$", text[:dot])
    return word is not None and (len(word.group(1)) == 1 or fold(word.group(1)).replace(".", "") in ABBREVIATIONS)


def written_as_name(text: str, start: int, end: int, also_first: bool = False) -> bool:
    """Return whether a word of text is written as a name: capital first, lower case after, not opening a sentence."""
    word = text[start:end]
    capital = word[:1].isupper() and word[1:].lower() == word[1:]
    return capital and (also_first or not at_sentence_start(text, start))


def name_terms(name: str, reason_name: str, reason_part: str, reason_initials: str, secret: bool) -> list[Term]:
    """Return a name's terms: the whole name, each part (a common word only as a name), initials with the surname."""
    name = " ".join(name.split())
    if not name:
        return []
    terms = [Term(name, reason_name, secret)]
    words = [p for p in re.split(r"[\s,;.'’\-]+", name) if p]
    if len(words) > 1:  # the same name written surname first ("Amrani Yusuf", "amrani_yusuf.pdf")
        terms.append(Term(" ".join(words[1:] + words[:1]), reason_name, secret))
    parts = _name_parts(name)
    terms += [Term(p, reason_part, secret) for p in parts]
    # A given name that is also a common word ("Will", "Rose") is struck alone only where it is written as a
    # name ("then Will took it"), never as the word ("they will"); its initial is struck next to the surname.
    terms += [Term(p, reason_part, secret, capitalised=True) for p in common_name_parts(name)]
    for given in words:
        if given[:1].isascii() and given[:1].isalpha():  # initials are a Latin-script habit
            terms += [Term(given[0], reason_initials, secret, initials_of=s) for s in parts if s != given]
    return terms


def contact_terms(contact: str, secret: bool, whole_rest: bool = True) -> list[Term]:
    """Return a contact's terms: each e-mail address and its local part, each phone number, and the rest whole."""
    terms: list[Term] = []
    rest = contact
    for address in EMAIL.findall(contact):
        rest = rest.replace(address, " ")
        local = address.split("@", 1)[0]
        terms.append(Term(address, _("reporter's e-mail address"), secret))
        if len(fold(local)) >= 3 and not is_common(fold(local)):
            terms.append(Term(local, _("the local part of the reporter's e-mail address"), secret))
        terms += [Term(p, _("part of the reporter's e-mail address"), secret)
                  for p in re.split(r"[._\-+]+", local) if len(fold(p)) >= 3 and not is_common(fold(p))
                  and not p.isdigit()]
    for run in PHONE_RUN.findall(rest):
        if len(re.sub(r"\D", "", run)) >= MIN_PHONE_DIGITS:
            rest = rest.replace(run, " ")
            terms.append(Term(re.sub(r"\D", "", run), _("reporter's phone number"), secret))
    rest = " ".join(re.sub(r"[/|;,]+", " ", rest).split())
    if whole_rest and rest and not is_common(fold(rest)):
        terms.append(Term(rest, _("reporter's contact details (whole)"), secret))
    return terms


def looks_like_name(word: str) -> bool:
    """Return whether a word of free text looks like a name (capitalised or Arabic, not a common word)."""
    folded = fold(word)
    if len(folded) < 2 or is_common(folded) or folded.isdigit():
        return False
    return word[:1].isupper() or any("\u0600" <= c <= "\u06ff" for c in word)


@dataclass
class IdentityTerms:
    """The terms a sealed identity gives, and the name-like words of its free text that are NOT struck."""

    terms: list[Term]
    unstruck_names: list[str]


def identity_terms(identity: dict[str, str] | str) -> IdentityTerms:
    """Return the terms of one sealed identity (name, contact, free text as a whole phrase)."""
    if isinstance(identity, str):
        identity = {"text": identity}
    terms: list[Term] = []
    watch: list[str] = []
    for key, value in identity.items():
        value = " ".join(str(value or "").split())
        if not value:
            continue
        if key == "name":
            terms += name_terms(value, _("reporter's name"), _("part of the reporter's name"),
                                _("reporter's initials with the surname"), True)
            watch += common_name_parts(value)  # "Will" opening a sentence is left, and shown
        elif key == "contact":
            terms += contact_terms(value, True)
        else:  # free text: the whole phrase only, never its words one by one
            terms.append(Term(value, _("reporter's identity, free text (whole phrase)"), True))
            terms += contact_terms(value, True, whole_rest=False)  # an address or number inside it
            watch += [w for w in re.findall(r"[^\W\d_]+", value) if looks_like_name(w)]
    struck = {fold(t.value) for t in terms if t.initials_of is None and not t.capitalised}
    return IdentityTerms(terms, sorted({w for w in watch if fold(w) not in struck}, key=fold))


def reporter_identities(case: Case) -> list[dict[str, str] | str]:
    """Return the reporter's sealed identities, opened only to strike them out."""
    from caseflow.casekeys import open_text
    from caseflow.extensions import db
    from caseflow.models.intake import ReportSubmission

    blobs = [p.sealed_identity for p in case.parties if p.role == PartyRole.REPORTER and p.sealed_identity]
    submission = db.session.query(ReportSubmission).filter_by(case_id=case.id).one_or_none()
    if submission is not None and submission.identity_blob:
        blobs.append(submission.identity_blob)
    out: list[dict[str, str] | str] = []
    for blob in blobs:
        try:
            text = open_text(case, blob)
        except Exception:  # noqa: BLE001,S112 - an unreadable blob has nothing to strike
            continue
        try:
            data = json.loads(text)
        except ValueError:
            data = text
        if isinstance(data, dict):
            out.append({str(k): str(v) for k, v in data.items() if isinstance(v, str | int)})
        elif isinstance(data, str | int):
            out.append(str(data))
    out += [{"name": p.person.full_name} for p in case.parties if p.role == PartyRole.REPORTER and p.person]
    return out


def party_terms(party: CaseParty) -> list[Term]:
    """Return the terms of a person ticked for redaction: the name, its parts and initials, the badge."""
    if party.person is None:
        return []
    why = _("ticked: %(role)s", role=party.role.label)
    terms = name_terms(party.person.full_name, why, why, why, False)
    if party.person.badge_number:
        terms.append(Term(party.person.badge_number, why))
    return terms


def phrase_terms(phrases: Iterable[str]) -> list[Term]:
    """Return the phrases typed, each struck as a whole; a common word typed with a capital only where so written."""
    terms = []
    for phrase in (" ".join(x.split()) for x in phrases):
        if phrase and not is_common(fold(phrase)):
            terms.append(Term(phrase, _("typed phrase")))
        elif len(fold(phrase)) >= 3 and " " not in phrase and written_as_name(phrase, 0, len(phrase), True):
            terms.append(Term(phrase, _("typed phrase, where written with a capital"), capitalised=True,
                              also_first=True))
    return terms


def _pattern(term: Term) -> str:
    if term.initials_of is not None:
        initial, surname = re.escape(fold(term.value)), re.escape(fold(term.initials_of))
        return rf"{initial}\.?\s?{surname}|{surname},?\s{initial}\.?{LETTER_AFTER}"
    return r"[\s_\-.,]*".join(re.escape(w) for w in fold(term.value).split())  # also joined in file names


def _breadth(term: Term) -> int:
    return 2 if not term.capitalised else 1 if term.also_first else 0


class Redactor:
    """Finds and replaces every term in text by [REDACTED]."""

    def __init__(self, terms: Iterable[Term]) -> None:
        unique: dict[tuple[str, str | None], Term] = {}
        for t in terms:
            if fold(t.value) and (t.initials_of is not None or not t.value.isdigit() or len(t.value) >= 4):
                key = (fold(t.value), t.initials_of)
                kept = unique.setdefault(key, t)
                if _breadth(t) > _breadth(kept):  # one value, one alternative: the term striking most wins
                    unique[key] = t
        self.terms = list(unique.values())
        self.phones = [t for t in self.terms if t.value.isdigit() and len(t.value) >= MIN_PHONE_DIGITS]
        words = sorted((t for t in self.terms if t not in self.phones),
                       key=lambda t: (t.initials_of is None, -len(fold(t.value))))
        self._by_alt = words
        alts = [f"(?P<t{i}>{_pattern(t)})" for i, t in enumerate(words)]
        before = rf"(?:{LETTER_BEFORE}|(?<=(?<![^\W\d_])[{ARABIC_PROCLITIC}]))"
        self.pattern = re.compile(before + "(?:" + "|".join(alts) + ")" + LETTER_AFTER) if alts else None

    def spans(self, text: str) -> list[tuple[int, int, Term]]:
        """Return the (start, end, term) of every passage of the original text to strike, merged, in order."""
        folded, where = folded_with_map(text)
        found: list[tuple[int, int, Term]] = []
        if self.pattern is not None:
            for m in self.pattern.finditer(folded):
                if m.end() > m.start():
                    term = self._by_alt[int(str(m.lastgroup)[1:])]
                    start, end = where[m.start()], where[m.end() - 1] + 1
                    if not term.capitalised or written_as_name(text, start, end, term.also_first):
                        found.append((start, end, term))
        for m in PHONE_RUN.finditer(folded):
            digits = re.sub(r"\D", "", m.group())
            for phone in self.phones:
                n = min(PHONE_SUFFIX, len(phone.value))
                if len(digits) >= n and digits[-n:] == phone.value[-n:]:
                    found.append((where[m.start()], where[m.end() - 1] + 1, phone))
                    break
        found.sort(key=lambda s: (s[0], -s[1]))
        merged: list[tuple[int, int, Term]] = []
        for start, end, term in found:
            if merged and start < merged[-1][1]:
                if end > merged[-1][1]:
                    merged[-1] = (merged[-1][0], end, merged[-1][2])
                continue
            merged.append((start, end, term))
        return merged

    def text(self, value: Any) -> Any:
        """Return the value with every term replaced (non-strings are returned as they are)."""
        if not isinstance(value, str) or not value:
            return value
        out, last = [], 0
        for start, end, _term in self.spans(value):
            out += [value[last:start], MARK]
            last = end
        return "".join(out) + value[last:]

    def deep(self, value: Any) -> Any:
        """Return a copy of nested lists, tuples and dicts with every string redacted."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.deep(v) for v in value]
        if isinstance(value, tuple):
            return tuple(self.deep(v) for v in value)
        if isinstance(value, dict):
            return {k: self.deep(v) for k, v in value.items()}
        return value
