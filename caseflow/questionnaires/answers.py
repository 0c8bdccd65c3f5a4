"""A reporter's answers: which questions are shown, what each kind accepts, and how answers are read back.

Conditions only look at answers of earlier steps, so a conditional question appears on the step after the
answer that enables it; an answer to a question not shown is never kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask import Flask
from flask_babel import gettext as _
from flask_babel import ngettext

from caseflow.inputs import ascii_digits, parse_date
from caseflow.models.people import BADGE_MAX, NAME_MAX, POSITION_MAX
from caseflow.models.questionnaires import Question, QuestionKind, Questionnaire, QuestionnaireStep
from caseflow.questionnaires import text_in

SHORT_MAX, LONG_MAX, NUMBER_MAX = 500, 10000, 30
CURRENCIES = ("AED", "AOA", "ARS", "BRL", "CHF", "CNY", "COP", "CVE", "DZD", "EGP", "EUR", "GBP", "GHS", "INR",
              "JOD", "JPY", "KES", "MAD", "MXN", "MZN", "NGN", "SAR", "TND", "TRY", "USD", "XAF", "XOF", "ZAR")
NUMBER = re.compile(r"^-?\d{1,18}([.,]\d{1,6})?$")
Answers = dict[str, Any]


def is_shown(question: Question, answers: Answers) -> bool:
    """Return whether a question is shown, given the answers so far."""
    if not question.condition_question_id:
        return True
    given = answers.get(str(question.condition_question_id))
    if isinstance(given, list):
        return question.condition_value in given
    return given is not None and given == question.condition_value


def shown_answers(questionnaire: Questionnaire, answers: Answers) -> Answers:
    """Return only the answers of questions shown (in step order, so a hidden enabler hides what it enables)."""
    kept: Answers = {}
    for step in questionnaire.steps:
        for question in step.questions:
            key = str(question.id)
            if is_shown(question, kept) and key in answers:
                kept[key] = answers[key]
    return kept


def shown_questions(step: QuestionnaireStep, answers: Answers) -> list[Question]:
    """Return the questions of a step that are shown, given the answers of earlier steps."""
    return [q for q in step.questions if is_shown(q, answers)]


def shown_steps(questionnaire: Questionnaire, answers: Answers) -> list[QuestionnaireStep]:
    """Return the steps that have at least one question shown."""
    kept = shown_answers(questionnaire, answers)
    return [s for s in questionnaire.steps if shown_questions(s, kept)]


def is_empty(value: Any) -> bool:
    """Return whether an answer says nothing."""
    if isinstance(value, dict):
        return not any(str(v).strip() for k, v in value.items() if k != "currency")
    return value in (None, "", [])


@dataclass
class Parsed:
    """One question's answer as posted: the value to keep, or the problem to show."""

    value: Any
    problem: str | None = None


def _too_long(limit: int) -> str:
    return ngettext("This answer is longer than %(n)d character.", "This answer is longer than %(n)d characters.",
                    limit, n=limit)


def _text(raw: str, limit: int, multiline: bool) -> Parsed:
    value = raw.replace("\r\n", "\n").strip() if multiline else " ".join(raw.split())
    return Parsed(value, _too_long(limit) if len(value) > limit else None)


def _number(raw: str) -> Parsed:
    value = ascii_digits(raw).replace(" ", "").replace("\u00a0", "")
    if value and (len(value) > NUMBER_MAX or not NUMBER.match(value)):
        return Parsed(value[:NUMBER_MAX], _("Write a number, with digits only (for example 1500 or 1500.50)."))
    return Parsed(value.replace(",", "."))


def parse_answer(question: Question, form: Any) -> Parsed:
    """Read and check one question's answer from a posted form (files are read elsewhere)."""
    name = f"q{question.id}"
    kind = question.kind
    if kind == QuestionKind.SHORT_TEXT:
        return _text(form.get(name, ""), SHORT_MAX, False)
    if kind == QuestionKind.LONG_TEXT:
        return _text(form.get(name, ""), LONG_MAX, True)
    if kind == QuestionKind.NUMBER:
        return _number(form.get(name, ""))
    if kind == QuestionKind.DATE:
        raw = ascii_digits(form.get(name, "")).strip()[:40]
        if not raw:
            return Parsed("")
        day = parse_date(raw)
        return Parsed(day.isoformat(), None) if day else Parsed(raw, _("Write the date as year-month-day, "
                                                                      "for example 2026-03-31."))
    if kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.YES_NO):
        raw = form.get(name, "")
        allowed = ("yes", "no") if kind == QuestionKind.YES_NO else [c["value"] for c in question.choices]
        if raw and raw not in allowed:
            return Parsed("", _("Choose one of the answers offered."))
        return Parsed(raw)
    if kind == QuestionKind.MULTIPLE_CHOICE:
        values = form.getlist(name)
        allowed = [c["value"] for c in question.choices]
        if any(v not in allowed for v in values):
            return Parsed([], _("Choose only among the answers offered."))
        return Parsed([v for v in allowed if v in values])
    if kind == QuestionKind.PERSON:
        person = {"full_name": " ".join(form.get(f"{name}-name", "").split()),
                  "badge_number": " ".join(form.get(f"{name}-badge", "").split()),
                  "position": " ".join(form.get(f"{name}-position", "").split())}
        limits = {"full_name": NAME_MAX, "badge_number": BADGE_MAX, "position": POSITION_MAX}
        too_long = next((limits[k] for k, v in person.items() if len(v) > limits[k]), None)
        if too_long:
            return Parsed(person, _too_long(too_long))
        if (person["position"] and not person["full_name"] and not person["badge_number"]):
            return Parsed(person, _("Give the person's name or badge number."))
        return Parsed(person)
    if kind == QuestionKind.AMOUNT:
        number = _number(form.get(f"{name}-amount", ""))
        currency = form.get(f"{name}-currency", "")
        value = {"amount": number.value, "currency": currency if currency in CURRENCIES else ""}
        if number.problem:
            return Parsed(value, number.problem)
        if currency and currency not in CURRENCIES:
            return Parsed(value, _("Choose a currency from the list."))
        if number.value and not currency:
            return Parsed(value, _("Choose the currency of the amount."))
        return Parsed(value)
    return Parsed(None)


def required_problem(question: Question, value: Any) -> str | None:
    """Return the problem of a required question left empty."""
    if question.required and is_empty(value):
        return _("This question must be answered.")
    return None


def question_options(question: Question, language: str) -> list[tuple[str, str]]:
    """Return (value, label) of the answers a choice or yes/no question offers, in a language."""
    if question.kind == QuestionKind.YES_NO:
        return [("yes", _("Yes")), ("no", _("No"))]
    return [(c["value"], text_in(c.get("label"), language)) for c in question.choices or []]


def display(question: Question, value: Any, language: str) -> str:
    """Return an answer as a reader sees it, in a language."""
    if is_empty(value):
        return "—"
    kind = question.kind
    labels = {c["value"]: text_in(c.get("label"), language) for c in question.choices or []}
    if kind == QuestionKind.YES_NO:
        return _("Yes") if value == "yes" else _("No")
    if kind == QuestionKind.SINGLE_CHOICE:
        return labels.get(value, str(value))
    if kind == QuestionKind.MULTIPLE_CHOICE:
        return ", ".join(labels.get(v, str(v)) for v in value)
    if kind == QuestionKind.PERSON:
        return " · ".join(v for v in (value.get("full_name"), value.get("position"), value.get("badge_number")) if v)
    if kind == QuestionKind.AMOUNT:
        return f"{value.get('amount', '')} {value.get('currency', '')}".strip()
    if kind == QuestionKind.FILE:
        return ", ".join(str(v) for v in value)
    return str(value)


def answer_rows(questionnaire: Questionnaire, answers: Answers, language: str) -> list[tuple[str, str]]:
    """Return (question label, answer) for every question shown, in order, in a language."""
    kept = shown_answers(questionnaire, answers)
    rows = []
    for step in questionnaire.steps:
        for question in step.questions:
            if is_shown(question, kept):
                rows.append((text_in(question.label, language), display(question, kept.get(str(question.id)),
                                                                          language)))
    return rows


def init_app(app: Flask) -> None:
    """Give the templates of both apps the questionnaire helpers."""
    app.add_template_filter(text_in, "text_in")
    app.add_template_global(question_options, "question_options")
