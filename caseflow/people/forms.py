"""Forms of people across cases."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from caseflow.inputs import MAX_INT4, CleanForm
from caseflow.models.directory import IDENTIFIER_LABELS, IdentifierKind


class PersonForm(CleanForm):
    """Correct a person's name, badge and position."""

    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    badge_number = StringField(_l("Badge number"), validators=[Optional(), Length(max=40)])
    position = StringField(_l("Position"), validators=[Optional(), Length(max=120)])


class MergeForm(CleanForm):
    """Merge a duplicate (given by its person number) into this person."""

    duplicate_id = IntegerField(_l("Person number of the duplicate"),
                                validators=[DataRequired(), NumberRange(min=1, max=MAX_INT4)])


def _coerce_person(value: object) -> int | None:
    return int(value) if value not in (None, "", "None") else None  # type: ignore[call-overload]


class IdentifierForm(CleanForm):
    """Record a plate, company, declaration number or phone on a case."""

    kind = SelectField(_l("Kind"), choices=[(k.value, IDENTIFIER_LABELS[k]) for k in IdentifierKind])
    value = StringField(_l("Value"), validators=[DataRequired(), Length(max=120)])
    person_id = SelectField(_l("Belongs to (optional)"), coerce=_coerce_person, validators=[Optional()])
