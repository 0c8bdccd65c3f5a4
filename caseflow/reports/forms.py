"""Forms of the report pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, RadioField, SelectMultipleField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from caseflow.inputs import CleanForm


class CheckboxListField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes (works without JavaScript)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class InvestigationReportForm(CleanForm):
    """Which version of the investigation report to issue, and what to redact."""

    variant = RadioField(_l("Version"), choices=[("full", _l("Full report")),
                                                 ("redacted", _l("Redacted report"))],
                         default="redacted", validators=[DataRequired()])
    parties = CheckboxListField(_l("Names to remove (redacted version)"), coerce=int, validators=[Optional()])
    terms = TextAreaField(_l("Other phrases to remove, one per line (redacted version)"),
                          validators=[Optional(), Length(max=5000)])
    previewed = HiddenField()


class VerifyForm(CleanForm):
    """A PDF to check."""

    file = FileField(_l("Report PDF"), validators=[FileRequired()])
