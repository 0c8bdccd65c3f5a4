"""Forms of the channel pages: staff intake, CSV upload, API tokens, case links."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from caseflow.access import API_SCOPES
from caseflow.channels.operations import STAFF_METHODS
from caseflow.enums import Priority
from caseflow.inputs import CleanForm
from caseflow.models.channels import LinkKind
from caseflow.units.operations import all_units

EMAIL_RE = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


def language_choices() -> list[tuple[str, str]]:
    """Return the languages an acknowledgement can be written in, the installation's default first."""
    from babel import Locale
    from flask import current_app

    return [("", str(_l("The installation's default")))] + [
        (code, str(Locale.parse(code).get_display_name(code)).capitalize())
        for code in current_app.config["CASEFLOW_LANGUAGES"]]


def _int_or_none(value: object) -> int | None:
    return int(value) if value not in (None, "", "None") else None  # type: ignore[call-overload]


class StaffIntakeForm(CleanForm):
    """A complaint taken by phone, hotline, letter, in person, by e-mail or from another unit."""

    method = SelectField(_l("How it was received"), choices=lambda: [(c.value, c.label) for c in STAFF_METHODS],
                         validators=[DataRequired()])
    taken_at = StringField(_l("When it was received (YYYY-MM-DD HH:MM, UTC)"),
                           validators=[DataRequired(), Length(max=20)])
    unit_id = SelectField(_l("Reporting unit that receives it"), coerce=_int_or_none, validators=[Optional()],
                          validate_choice=False)
    referring_unit = StringField(_l("Referring unit (internal referral)"), validators=[Optional(), Length(max=200)])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    content = TextAreaField(_l("What the complainant reported"), validators=[Optional(), Length(max=20000)])
    category_id = SelectField(_l("Category"), coerce=_int_or_none, validators=[Optional()])
    office_id = SelectField(_l("Office or location"), coerce=_int_or_none, validators=[Optional()])
    priority = SelectField(_l("Priority"), choices=Priority.choices, default=Priority.MEDIUM.value)
    incident_date = StringField(_l("When it happened"), validators=[Optional(), Length(max=80)])
    location_detail = StringField(_l("Where exactly"), validators=[Optional(), Length(max=200)])
    subject_name = StringField(_l("Person complained about"), validators=[Optional(), Length(max=200)])
    subject_badge = StringField(_l("Badge number"), validators=[Optional(), Length(max=40)])
    anonymous = BooleanField(_l("The caller stays anonymous (give them a receipt code to read out)"))
    reporter_name = StringField(_l("Complainant's name"), validators=[Optional(), Length(max=200)])
    reporter_email = StringField(_l("Complainant's e-mail"), validators=[
        Optional(), Length(max=320), Regexp(EMAIL_RE, message=_l("Not an e-mail address."))])
    reporter_phone = StringField(_l("Complainant's phone"), validators=[Optional(), Length(max=60)])
    minutes = TextAreaField(_l("Minutes of the oral report"), validators=[Optional(), Length(max=50000)])
    minutes_offered = BooleanField(_l("The reporter was offered the chance to check, correct and sign the minutes"))
    recording_ref = StringField(_l("Recording reference (if the call or meeting was recorded)"),
                                validators=[Optional(), Length(max=200)])
    signed_scan = FileField(_l("Signed minutes, or the letter (scan)"))
    language = SelectField(_l("Language of the acknowledgement"), choices=lambda: language_choices(),
                           validators=[Optional()])


class CsvImportForm(CleanForm):
    """Upload a CSV file of complaints."""

    file = FileField(_l("CSV file (UTF-8)"))
    mode = RadioField(_l("If a row is bad"), default="all", choices=[
        ("all", _l("Import nothing (all or nothing)")), ("skip", _l("Import the good rows, report the bad ones"))])


class ApiTokenForm(CleanForm):
    """Create an API token for an integration."""

    name = StringField(_l("Integration name"), validators=[DataRequired(), Length(max=80)])
    scopes = SelectMultipleField(_l("Scopes"), choices=[(s, s) for s in API_SCOPES],
                                 default=["cases:create", "cases:read"],
                                 widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    units = SelectMultipleField(_l("Reporting units"), choices=lambda: [(u.key, u.label) for u in all_units()],
                                widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())


class LinkForm(CleanForm):
    """Link this case to another."""

    other_number = StringField(_l("Other case number"), validators=[DataRequired(), Length(max=32)])
    kind = SelectField(_l("Link"), choices=lambda: [(k.value, k.label) for k in LinkKind])
