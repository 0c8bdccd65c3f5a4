"""Forms of the staff case workspace."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from caseflow.enums import Finding, PartyRole, Priority, RiskLevel, Sanction
from caseflow.inputs import CleanForm


def _coerce_int_or_none(value: object) -> int | None:
    return int(value) if value not in (None, "", "None") else None  # type: ignore[call-overload]


class CaseEditForm(CleanForm):
    """Triage and descriptive fields of a case."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=20000)])
    category_id = SelectField(_l("Category"), coerce=_coerce_int_or_none, validators=[Optional()])
    office_id = SelectField(_l("Office or location"), coerce=_coerce_int_or_none, validators=[Optional()])
    priority = SelectField(_l("Priority"), choices=Priority.choices)
    admissible = SelectField(_l("Admissible"), coerce=str,
                             choices=[("", _l("Not assessed")), ("yes", _l("Yes")), ("no", _l("No"))])
    retaliation_risk = SelectField(_l("Risk of retaliation to the reporter"),
                                   choices=[("", _l("Not assessed"))] + RiskLevel.choices())
    incident_date = StringField(_l("When it happened"), validators=[Optional(), Length(max=80)])
    location_detail = StringField(_l("Where exactly"), validators=[Optional(), Length(max=200)])


class AssignForm(CleanForm):
    """Assign the lead investigator or add a team member."""

    user_id = SelectField(_l("Investigator"), coerce=_coerce_int_or_none, validators=[DataRequired()])
    as_lead = BooleanField(_l("Make lead investigator"), default=False)


class PartyForm(CleanForm):
    """Name a subject or witness."""

    role = SelectField(_l("Role"), choices=[(r.value, r.lazy_label) for r in PartyRole if r != PartyRole.REPORTER])
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    badge_number = StringField(_l("Badge number"), validators=[Optional(), Length(max=40)])
    position = StringField(_l("Position"), validators=[Optional(), Length(max=120)])
    user_id = SelectField(_l("Staff account (if a colleague)"), coerce=_coerce_int_or_none,
                          validators=[Optional()])


class AllegationForm(CleanForm):
    """An allegation against one subject."""

    subject_id = SelectField(_l("Subject"), coerce=_coerce_int_or_none, validators=[DataRequired()])
    conduct = TextAreaField(_l("Conduct alleged"), validators=[DataRequired(), Length(max=5000)])
    category_id = SelectField(_l("Category"), coerce=_coerce_int_or_none, validators=[Optional()])


class FindingForm(CleanForm):
    """The finding on one allegation, the recommended sanction and (the disciplinary authority's) decision."""

    finding = SelectField(_l("Finding"), choices=lambda: [("", _l("— Choose a finding —")), *Finding.choices()],
                          validators=[DataRequired(message=_l("Choose a finding."))])
    reasoning = TextAreaField(_l("Reasoning"), validators=[DataRequired(), Length(max=20000)])
    recommended_sanction = SelectField(_l("Recommended sanction (by the investigator)"),
                                       choices=[("", "—")] + Sanction.choices(), validators=[Optional()])
    decided_sanction = SelectField(_l("Decided sanction (by the disciplinary authority)"),
                                   choices=[("", "—")] + Sanction.choices(), validators=[Optional()])
    sanction_date = DateField(_l("Date of the sanction decision"), validators=[Optional()])
    sanction_reference = StringField(_l("Reference of the sanction decision"),
                                     validators=[Optional(), Length(max=120)])


DECISION_FIELDS = ("decided_sanction", "sanction_date", "sanction_reference")


class NoteForm(CleanForm):
    """An internal note."""

    body = TextAreaField(_l("Internal note"), validators=[DataRequired(), Length(max=20000)])
    files = MultipleFileField(_l("Files (kept exactly as uploaded)"))


class TransitionForm(CleanForm):
    """Move the case to another state."""

    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=5000)])
    receiving_body = StringField(_l("Receiving body"), validators=[Optional(), Length(max=200)])
    outcome = TextAreaField(_l("Outcome"), validators=[Optional(), Length(max=5000)])


class ConfirmForm(CleanForm):
    """A button-only form (CSRF token only)."""


class MatchDecisionForm(CleanForm):
    """A supervisor's decision on a probable match between a subject and a colleague."""

    decision = RadioField(_l("Decision"), choices=[("confirm", _l("Same person: keep them off the case")),
                                                   ("dismiss", _l("Not the same person: lift the exclusion"))],
                          validators=[DataRequired(message=_l("Choose a decision."))])
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(message=_l("Give the reason for your decision.")),
                                                     Length(max=2000)])


class BulkForm(CleanForm):
    """The supervisors' bulk form of the case list: the selected case numbers come as repeated "case" fields."""

    action = SelectField(_l("Action"), choices=[("assign_lead", _l("Assign a lead investigator")),
                                                ("priority", _l("Set the priority")),
                                                ("category", _l("Set the category")),
                                                ("export", _l("Export (CSV)"))],
                         validators=[DataRequired()])
    lead = SelectField(_l("New lead investigator"), coerce=_coerce_int_or_none, validators=[Optional()], id="bulk-lead")
    priority = SelectField(_l("New priority"), choices=[("", "—"), *Priority.choices()], validators=[Optional()],
                           id="bulk-priority")
    category = SelectField(_l("New category"), coerce=_coerce_int_or_none, validators=[Optional()],
                           id="bulk-category")
    form_token = HiddenField()
    back = HiddenField("", validators=[Optional(), Length(max=2000)])  # never shown: no label to translate


class ViewNameForm(CleanForm):
    """The name a view of the case list is saved or renamed under."""

    name = StringField(_l("Name of the view"), validators=[DataRequired(), Length(max=80)])
    query = HiddenField(validators=[Optional(), Length(max=2000)])
