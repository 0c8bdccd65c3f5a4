"""Forms of the letter pages: issue a letter on a case, edit a template."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from caseflow.inputs import CleanForm
from caseflow.letters.placeholders import MAX_BODY, MAX_SUBJECT
from caseflow.models.letters import KIND_LABELS

__all__ = ["KIND_LABELS", "LetterForm", "TemplateForm"]


class LetterForm(CleanForm):
    """Which letter, in which language, to whom (the recipient's choices are the case's)."""

    kind = SelectField(_l("Letter"), choices=[(k.value, label) for k, label in KIND_LABELS.items()],
                       validators=[DataRequired()])
    language = SelectField(_l("Language of the letter"), validators=[DataRequired()])
    recipient = SelectField(_l("Recipient"), validators=[DataRequired()], validate_choice=False)


class TemplateForm(CleanForm):
    """An administrator's text of one letter in one language."""

    subject = StringField(_l("Subject line"), validators=[DataRequired(), Length(max=MAX_SUBJECT)])
    body = TextAreaField(_l("Text"), validators=[DataRequired(), Length(max=MAX_BODY)])
