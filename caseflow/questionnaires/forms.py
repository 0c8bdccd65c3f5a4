"""The builder's forms: every text has one field per language, shown side by side."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from caseflow.inputs import CleanForm
from caseflow.models.questionnaires import QuestionKind
from caseflow.questionnaires import LANGUAGES
from caseflow.questionnaires.operations import MAX_CHOICES, MAX_HELP, MAX_LABEL, QuestionSpec

KIND_LABELS = {
    QuestionKind.SHORT_TEXT: _l("Short text"), QuestionKind.LONG_TEXT: _l("Long text"),
    QuestionKind.NUMBER: _l("Number"), QuestionKind.DATE: _l("Date"),
    QuestionKind.SINGLE_CHOICE: _l("Single choice"), QuestionKind.MULTIPLE_CHOICE: _l("Multiple choice"),
    QuestionKind.YES_NO: _l("Yes or no"), QuestionKind.FILE: _l("Files"),
    QuestionKind.PERSON: _l("Person (name, badge, position)"), QuestionKind.AMOUNT: _l("Amount with currency"),
}


def _language_fields(prefix: str, limit: int, area: bool = False) -> dict[str, Any]:
    kind = TextAreaField if area else StringField
    return {f"{prefix}_{lang}": kind(lang, validators=[Optional(), Length(max=limit)]) for lang in LANGUAGES}


class TextsMixin:
    """Read one text's five language fields as a dict."""

    def texts(self, prefix: str) -> dict[str, str]:
        """Return {language: text} of a text's fields."""
        return {lang: getattr(self, f"{prefix}_{lang}").data or "" for lang in LANGUAGES}

    def fill_texts(self, prefix: str, texts: dict[str, Any]) -> None:
        """Put a stored text's languages into its fields."""
        for lang in LANGUAGES:
            getattr(self, f"{prefix}_{lang}").data = (texts or {}).get(lang, "")


TitleForm = type("TitleForm", (TextsMixin, CleanForm), {
    "__doc__": "A questionnaire's or a step's title in the five languages.", **_language_fields("title", MAX_LABEL)})

CreateForm = type("CreateForm", (TextsMixin, CleanForm), {
    "__doc__": "A new questionnaire: its key and title.",
    "key": StringField(_l("Key (in the address: /questionnaire/<key>)"),
                       validators=[DataRequired(), Length(min=2, max=60)]),
    **_language_fields("title", MAX_LABEL)})


def _question_fields() -> dict[str, Any]:
    fields: dict[str, Any] = {
        "__doc__": "One question: kind, texts per language, choices, condition.",
        "kind": SelectField(_l("Kind"), choices=[(k.value, label) for k, label in KIND_LABELS.items()]),
        "required": BooleanField(_l("An answer is required")),
        "choice_values": TextAreaField(_l("Choice values, one per line (lower-case letters, digits, - or _)"),
                                       validators=[Optional(), Length(max=MAX_CHOICES * 61)]),
        "condition": SelectField(_l("Shown only when this earlier question…"), choices=[], validate_choice=False),
        "condition_value": StringField(_l("…has this answer (a choice value, or yes / no)"),
                                       validators=[Optional(), Length(max=60)]),
    }
    fields.update(_language_fields("label", MAX_LABEL))
    fields.update(_language_fields("help", MAX_HELP, area=True))
    fields.update(_language_fields("choices", MAX_CHOICES * (MAX_LABEL + 1), area=True))
    return fields


class _QuestionMixin(TextsMixin):
    def spec(self) -> QuestionSpec:
        """Return what the form says as a QuestionSpec (checked by the operation)."""
        form: Any = self
        values = [v.strip() for v in (form.choice_values.data or "").splitlines() if v.strip()]
        per_language = {lang: (getattr(form, f"choices_{lang}").data or "").splitlines() for lang in LANGUAGES}
        choices = [{"value": value, "label": {lang: (lines[i].strip() if i < len(lines) else "")
                                              for lang, lines in per_language.items()}}
                   for i, value in enumerate(values)]
        condition = str(form.condition.data or "")
        return QuestionSpec(kind=QuestionKind(form.kind.data), label=self.texts("label"), help=self.texts("help"),
                            required=bool(form.required.data), choices=choices,
                            condition_question_id=int(condition) if condition.isdigit() else None,
                            condition_value=form.condition_value.data or None)

    def fill(self, question: Any) -> None:
        """Put a stored question into the form."""
        form: Any = self
        form.kind.data, form.required.data = question.kind.value, question.required
        self.fill_texts("label", question.label)
        self.fill_texts("help", question.help)
        form.choice_values.data = "\n".join(c["value"] for c in question.choices or [])
        for lang in LANGUAGES:
            getattr(form, f"choices_{lang}").data = "\n".join((c.get("label") or {}).get(lang, "")
                                                              for c in question.choices or [])
        form.condition.data = str(question.condition_question_id or "")
        form.condition_value.data = question.condition_value or ""


QuestionForm = type("QuestionForm", (_QuestionMixin, CleanForm), _question_fields())


class ConfirmForm(CleanForm):
    """A button that changes something (CSRF only)."""
