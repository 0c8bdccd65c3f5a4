"""Administration forms."""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, IntegerField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from caseflow.enums import Role
from caseflow.inputs import CleanForm

USERNAME = Regexp(r"^[A-Za-z0-9._-]+$", message=_l("Use letters, digits, dots, dashes and underscores only."))
EMAIL = Regexp(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$", message=_l("Enter an e-mail address."))
CODE = Regexp(r"^[a-z0-9_]+$", message=_l("Use lower-case letters, digits and underscores only."))


def role_choices() -> list[tuple[str, str]]:
    """Return the roles as select choices."""
    return [(r.value, str(r.label)) for r in Role]


class UserCreateForm(CleanForm):
    """A new staff account."""

    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64), USERNAME])
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("E-mail"), validators=[Optional(), EMAIL, Length(max=254)])
    badge_number = StringField(_l("Badge or service number"), validators=[Optional(), Length(max=40)])
    aliases = TextAreaField(_l("Other names (one a line)"), validators=[Optional(), Length(max=2000)])
    role = SelectField(_l("Role"), choices=role_choices, validators=[DataRequired()])
    office_id = SelectField(_l("Office"), coerce=int, validators=[Optional()])
    password = PasswordField(_l("Initial password"), validators=[DataRequired(), Length(min=12, max=256)])


class IdentityForm(CleanForm):
    """The names and badge a staff member may be named by in a complaint (matched against subjects)."""

    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    badge_number = StringField(_l("Badge or service number"), validators=[Optional(), Length(max=40)])
    aliases = TextAreaField(_l("Other names (one a line)"), validators=[Optional(), Length(max=2000)])


class RoleForm(CleanForm):
    """Change a user's role."""

    role = SelectField(_l("Role"), choices=role_choices, validators=[DataRequired()])


class PasswordResetForm(CleanForm):
    """Set a new password for a user."""

    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=12, max=256)])


class ConfirmForm(CleanForm):
    """A button that only needs the CSRF token."""


class CategoryForm(CleanForm):
    """Add a complaint category."""

    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40), CODE])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])


class OfficeForm(CleanForm):
    """Add an office."""

    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40), USERNAME])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=160)])


class HeadcountForm(CleanForm):
    """Set an office's staff headcount (the base of the dashboard's rates per 100 staff); empty: unknown."""

    headcount = IntegerField(_l("Staff"), validators=[Optional(), NumberRange(min=1, max=1_000_000)])


class RenameForm(CleanForm):
    """Rename a category or office: its English name and its name in each other language (empty: English)."""

    name = StringField(_l("New name"), validators=[DataRequired(), Length(max=160)])
    name_fr = StringField("Français", validators=[Optional(), Length(max=160)])
    name_es = StringField("Español", validators=[Optional(), Length(max=160)])
    name_pt = StringField("Português", validators=[Optional(), Length(max=160)])
    name_ar = StringField("العربية", validators=[Optional(), Length(max=160)])

    def names(self) -> dict[str, str]:
        """Return the submitted names by language, English first (a language not posted is left as it is)."""
        fields = {lang: getattr(self, f"name_{lang}") for lang in ("fr", "es", "pt", "ar")}
        return {"en": self.name.data or "", **{lang: f.data or "" for lang, f in fields.items() if f.raw_data}}


class UnitNameForm(CleanForm):
    """The unit's name per language (empty: the configured name, else the English one)."""

    name_en = StringField("English", validators=[Optional(), Length(max=200)])
    name_fr = StringField("Français", validators=[Optional(), Length(max=200)])
    name_es = StringField("Español", validators=[Optional(), Length(max=200)])
    name_pt = StringField("Português", validators=[Optional(), Length(max=200)])
    name_ar = StringField("العربية", validators=[Optional(), Length(max=200)])

    def names(self) -> dict[str, str]:
        """Return the submitted names by language."""
        return {lang: getattr(self, f"name_{lang}").data or "" for lang in ("en", "fr", "es", "pt", "ar")}
