"""Forms of the investigation workspace."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, MultipleFileField
from wtforms import DateField, DateTimeLocalField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from caseflow.cases.forms import CaseEditForm
from caseflow.enums import PartyRole
from caseflow.inputs import CleanForm
from caseflow.models.workspace import ReferralBody

NEW_PERSON = "new"  # the interview form's choice for someone not yet among the case's people
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]


def _int_or_none(value: object) -> int | None:
    return int(value) if value not in (None, "", "None") else None  # type: ignore[call-overload]


class DeclarationForm(CleanForm):
    """An assignee's declaration of (no) conflict of interest."""

    has_conflict = RadioField(_l("Do you have a conflict of interest on this case?"), validators=[DataRequired()],
                              choices=[("no", _l("No: I have no personal, family, financial or professional "
                                                 "tie to the people or matters in this case")),
                                       ("yes", _l("Yes: I have a conflict of interest"))])
    statement = TextAreaField(_l("What is the conflict? (only if you have one)"),
                              validators=[Optional(), Length(max=2000)])


class TriageForm(CleanForm):
    """The triage assessment and, optionally, the decision's inputs."""

    admissible = CaseEditForm.admissible
    category_id = SelectField(_l("Category"), coerce=_int_or_none, validators=[Optional()])
    priority = CaseEditForm.priority
    retaliation_risk = CaseEditForm.retaliation_risk
    reason = TextAreaField(_l("Reason for the decision"), validators=[Optional(), Length(max=5000)])
    receiving_body = StringField(_l("Receiving body (for a referral)"), validators=[Optional(), Length(max=200)])
    body_kind = SelectField(_l("Kind of receiving body"), choices=ReferralBody.choices,
                            default=ReferralBody.ANTI_CORRUPTION_COMMISSION.value)
    reference = StringField(_l("Referral reference"), validators=[Optional(), Length(max=120)])


class PlanForm(CleanForm):
    """The investigation plan."""

    body = TextAreaField(_l("Investigation plan"), validators=[DataRequired(), Length(max=50000)])


class TaskForm(CleanForm):
    """A new task."""

    title = StringField(_l("Task"), validators=[DataRequired(), Length(max=300)])
    owner_id = SelectField(_l("Owner"), coerce=_int_or_none, validators=[Optional()])
    due_date = DateField(_l("Due date"), validators=[Optional()])
    files = MultipleFileField(_l("Files (kept exactly as uploaded)"))


class TaskFilesForm(CleanForm):
    """Files added to an existing task."""

    files = MultipleFileField(_l("Files (kept exactly as uploaded)"))


class InterviewForm(CleanForm):
    """An interview record."""

    party_id = SelectField(_l("Person interviewed"), default=NEW_PERSON, validators=[Optional()])
    interviewee = StringField(_l("Name of the new person"), validators=[Optional(), Length(max=200)])
    badge_number = StringField(_l("Badge number of the new person (staff only)"),
                               validators=[Optional(), Length(max=40)])
    role = SelectField(_l("Role of the new person"), choices=[
        (r.value, r.lazy_label) for r in (PartyRole.WITNESS, PartyRole.SUBJECT, PartyRole.REPORTER)])
    held_at = DateTimeLocalField(_l("Date and time (local time)"), format=DATETIME_FORMATS,
                                 validators=[DataRequired()])
    location = StringField(_l("Where"), validators=[Optional(), Length(max=200)])
    interviewer_id = SelectField(_l("Interviewed by"), coerce=_int_or_none, validators=[DataRequired()])
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=50000)])
    statement = FileField(_l("Signed statement (file)"))


class EvidenceForm(CleanForm):
    """A new item in the evidence register."""

    description = TextAreaField(_l("Description"), validators=[DataRequired(), Length(max=5000)])
    source = StringField(_l("Source (who or where it came from)"), validators=[DataRequired(), Length(max=300)])
    storage_location = StringField(_l("Where it is kept"), validators=[Optional(), Length(max=300)])
    received_at = DateTimeLocalField(_l("Received (local time; default now)"), format=DATETIME_FORMATS,
                                     validators=[Optional()])
    upload = FileField(_l("File (its SHA-256 is recorded)"))


class HandOverForm(CleanForm):
    """A hand-over of an evidence item."""

    to_holder = StringField(_l("Handed to"), validators=[DataRequired(), Length(max=200)])
    occurred_at = DateTimeLocalField(_l("When (local time)"), format=DATETIME_FORMATS, validators=[DataRequired()])
    reason = TextAreaField(_l("Why"), validators=[DataRequired(), Length(max=2000)])
    storage_location = StringField(_l("New storage location (if it moves)"), validators=[Optional(),
                                                                                         Length(max=300)])


class ReferralForm(CleanForm):
    """A referral to an external body."""

    body_kind = SelectField(_l("Kind of body"), choices=ReferralBody.choices)
    body_name = StringField(_l("Receiving body"), validators=[DataRequired(), Length(max=200)])
    referred_on = DateField(_l("Date referred"), validators=[DataRequired()])
    reference = StringField(_l("Reference"), validators=[Optional(), Length(max=120)])


class ResponseForm(CleanForm):
    """A receiving body's response to a referral."""

    response = TextAreaField(_l("Response"), validators=[DataRequired(), Length(max=5000)])
    response_on = DateField(_l("Date of the response"), validators=[DataRequired()])
    reference = StringField(_l("Their reference"), validators=[Optional(), Length(max=120)])


class LegalHoldForm(CleanForm):
    """Set or lift a legal hold."""

    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])
