"""Reporter and staff forms. Reporter forms are plain WTForms (no session CSRF: they carry a form token)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    MultipleFileField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from caseflow.cases import choices
from caseflow.inputs import CleanFields, CleanForm, parse_int
from caseflow.intake.confidential import MAX_FIELD, MAX_TEXT
from caseflow.models.people import BADGE_MAX, NAME_MAX, POSITION_MAX
from caseflow.reporting.operations import Report


def _int_or_none(value: Any) -> int | None:
    return parse_int(value) if value not in (None, "", "None") else None


class PersonForm(Form):
    """One person the report is about."""

    full_name = StringField(_l("Name"), validators=[Optional(), Length(max=NAME_MAX)])
    position = StringField(_l("Role or post"), validators=[Optional(), Length(max=POSITION_MAX)])
    badge_number = StringField(_l("Badge or staff number"),
                               validators=[Optional(), Length(max=BADGE_MAX)])


class IdentityFields(Form):
    """Who the reporter is; kept sealed."""

    name = StringField(_l("Your name"), validators=[Optional(), Length(max=MAX_FIELD)])
    contact = StringField(_l("How to contact you (phone, e-mail or address)"),
                          validators=[Optional(), Length(max=MAX_FIELD)])
    relationship = StringField(_l("Your connection to the matter (e.g. employee, trader, traveller)"),
                               validators=[Optional(), Length(max=MAX_FIELD)])


def identity_given(identity: IdentityFields) -> bool:
    """Return whether a named report gives its name and contact; else mark each missing field with its error."""
    missing = ((identity.name, _("Give your name, or use the anonymous form.")),
               (identity.contact, _("Give a way to contact you: a phone number, an e-mail or an address.")))
    for field, message in missing:
        if not (field.data or "").strip():
            field.errors = [*field.errors, message]
    return not (identity.name.errors or identity.contact.errors)


def identity_of_form(identity: IdentityFields) -> dict[str, str]:
    """Return the identity fields typed."""
    return {k: v or "" for k, v in identity.data.items()}


class ReportForm(CleanFields, Form):
    """The public complaint form (named) and the whistleblower form (anonymous)."""

    form_token = HiddenField()
    unit = HiddenField()  # the reporting unit's key, carried from the landing page's link
    what = TextAreaField(_l("What happened?"), validators=[DataRequired(_l("Describe what happened.")),
                                                          Length(max=MAX_TEXT)])
    when = StringField(_l("When did it happen?"), validators=[Optional(), Length(max=200)])
    office_id = SelectField(_l("Office or port"), coerce=_int_or_none, validate_choice=False)
    where = StringField(_l("Where exactly?"), validators=[Optional(), Length(max=200)])
    category_id = SelectField(_l("What kind of wrongdoing?"), coerce=_int_or_none, validate_choice=False)
    how_known = TextAreaField(_l("How do you know? (saw it, was asked, heard about it)"),
                              validators=[Optional(), Length(max=MAX_TEXT)])
    involved = FieldList(FormField(PersonForm), min_entries=3, max_entries=3)
    identity = FormField(IdentityFields)
    files = MultipleFileField(_l("Files (photos, documents, recordings)"))
    website = StringField(_l("Leave this field empty"))

    def fill_choices(self) -> ReportForm:
        """Offer the active categories and offices."""
        self.office_id.choices = [("", _l("I don't know / not listed"))] + choices.office_choices()[1:]
        self.category_id.choices = [("", _l("I'm not sure"))] + choices.category_choices()[1:]
        return self

    def report(self) -> Report:
        """Return what was typed as a Report."""
        return Report(
            what=(self.what.data or "").strip(), when=(self.when.data or "").strip(),
            where=(self.where.data or "").strip(), how_known=(self.how_known.data or "").strip(),
            involved=[{k: (v or "").strip() for k, v in entry.data.items()} for entry in self.involved],
            category_id=self.category_id.data, office_id=self.office_id.data)

    def identity_data(self) -> dict[str, str]:
        """Return the identity fields typed."""
        return identity_of_form(self.identity.form)


class ReceiptForm(CleanFields, Form):
    """The follow-up login: the receipt code only."""

    form_token = HiddenField()
    receipt = StringField(_l("Your 16-digit receipt code"), validators=[DataRequired(_l("Type your receipt code."))])
    # A reply typed while the session ran out travels with the receipt login, then back into the reply form.
    carried_body = TextAreaField(_l("Your message, not sent yet"), validators=[Optional(), Length(max=MAX_TEXT)])


class ReporterMessageForm(CleanFields, Form):
    """The reporter's answer or additional information."""

    form_token = HiddenField()
    body = TextAreaField(_l("Your message or additional information"), validators=[Optional(), Length(max=MAX_TEXT)])
    files = MultipleFileField(_l("Add files"))


class LaterIdentityForm(CleanFields, Form):
    """A sealed identity given after submission."""

    form_token = HiddenField()
    identity = FormField(IdentityFields)


class StaffReplyForm(CleanForm):
    """An investigator's message to the reporter."""

    body = TextAreaField(_l("Message to the reporter"), validators=[Optional(), Length(max=MAX_TEXT)])
    files = MultipleFileField(_l("Attach files"))


class RevealRequestForm(CleanForm):
    """A supervisor's request to reveal the reporter's identity."""

    reason = TextAreaField(_l("Why must the identity be revealed?"),
                           validators=[DataRequired(), Length(min=10, max=MAX_TEXT)])


class RevealDecisionForm(CleanForm):
    """A second supervisor's decision on a reveal request."""

    approve = BooleanField(_l("I approve revealing the identity"))
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=MAX_TEXT)])
    decision = SelectField(_l("Decision"), choices=[("approve", _l("Approve")), ("refuse", _l("Refuse"))])
