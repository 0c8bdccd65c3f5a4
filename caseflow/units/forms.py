"""The administrator's form for a reporting unit."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from caseflow import i18n
from caseflow.inputs import CleanForm
from caseflow.models.units import UNIT_LANGUAGES
from caseflow.units.operations import MAX_ACK_DAYS, MAX_FEEDBACK_MONTHS, UnitFields

LANGUAGE_NAMES = i18n.LANGUAGE_NAMES  # each language named in itself, as in the language menu


def _checkboxes(label: Any) -> SelectMultipleField:
    return SelectMultipleField(label, coerce=int, choices=[], validate_choice=False,
                               widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())


class UnitForm(CleanForm):
    """A unit's key, names and descriptions per language, accepted reports, clocks and staff."""

    key = StringField(_l("Key (used in the portal's links; cannot be changed later)"),
                      validators=[DataRequired(), Length(max=40)])
    name_en = StringField(_l("Name (English)"), validators=[DataRequired(), Length(max=160)])
    name_fr = StringField(_l("Name (French)"), validators=[Optional(), Length(max=160)])
    name_es = StringField(_l("Name (Spanish)"), validators=[Optional(), Length(max=160)])
    name_pt = StringField(_l("Name (Portuguese)"), validators=[Optional(), Length(max=160)])
    name_ar = StringField(_l("Name (Arabic)"), validators=[Optional(), Length(max=160)])
    description_en = TextAreaField(_l("Description (English)"), validators=[Optional(), Length(max=4000)])
    description_fr = TextAreaField(_l("Description (French)"), validators=[Optional(), Length(max=4000)])
    description_es = TextAreaField(_l("Description (Spanish)"), validators=[Optional(), Length(max=4000)])
    description_pt = TextAreaField(_l("Description (Portuguese)"), validators=[Optional(), Length(max=4000)])
    description_ar = TextAreaField(_l("Description (Arabic)"), validators=[Optional(), Length(max=4000)])
    allows_named = BooleanField(_l("Accepts reports with the reporter's name"), default=True)
    allows_anonymous = BooleanField(_l("Accepts anonymous reports"), default=True)
    questionnaire_key = StringField(_l("Questionnaire (its key)"), validators=[Optional(), Length(max=80)])
    ack_days = IntegerField(_l("Acknowledgement period in days (empty: the installation's)"),
                            validators=[Optional(), NumberRange(min=1, max=MAX_ACK_DAYS)])
    feedback_months = IntegerField(_l("Feedback period in months (empty: the installation's)"),
                                   validators=[Optional(), NumberRange(min=1, max=MAX_FEEDBACK_MONTHS)])
    members = _checkboxes(_l("Members (receive the unit's reports)"))
    supervisors = _checkboxes(_l("Supervisors of the unit"))

    def fields(self) -> UnitFields:
        """Return what was typed as UnitFields."""
        return UnitFields(
            key=self.key.data or "",
            names={code: getattr(self, f"name_{code}").data or "" for code in UNIT_LANGUAGES},
            descriptions={code: getattr(self, f"description_{code}").data or "" for code in UNIT_LANGUAGES},
            allows_named=bool(self.allows_named.data), allows_anonymous=bool(self.allows_anonymous.data),
            questionnaire_key=self.questionnaire_key.data or None, ack_days=self.ack_days.data,
            feedback_months=self.feedback_months.data, member_ids=list(self.members.data or []),
            supervisor_ids=list(self.supervisors.data or []))
