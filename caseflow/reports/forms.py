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


class ReportDraftForm(CleanForm):
    """A version of the written investigation report (the analysis per allegation is read field by field)."""

    background = TextAreaField(_l("Background"), validators=[Optional(), Length(max=50000)])
    allegations = TextAreaField(_l("Allegations"), validators=[Optional(), Length(max=50000)])
    evidence = TextAreaField(_l("Evidence relied on"), validators=[Optional(), Length(max=50000)])
    findings = TextAreaField(_l("Findings"), validators=[Optional(), Length(max=50000)])
    conclusions = TextAreaField(_l("Conclusions"), validators=[Optional(), Length(max=50000)])
    recommendations = TextAreaField(_l("Recommendations"), validators=[Optional(), Length(max=50000)])


class ReviewForm(CleanForm):
    """A supervisor's comments when sending a version back."""

    comment = TextAreaField(_l("What must change"), validators=[Optional(), Length(max=20000)])
