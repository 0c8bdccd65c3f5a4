"""Language selection (URL, then cookie, then browser, then default) and template helpers.

Staff keep their choice in a cookie (set once they are signed in). Reporters get no cookie before they sign
in with their receipt, so their language travels in the URL: while a page was asked for with ``?lang=xx`` and
nobody is signed in, every URL built with ``url_for`` (links, form actions, redirects) carries the same
``lang``. ``lang_url()`` builds a URL that always names the current language; ``language_switch_url()`` is the
current page in another language. Dates and numbers use Flask-Babel's filters (datetimeformat, dateformat,
decimalformat, percentformat ...) in the configured time zone.
"""

from __future__ import annotations

import functools
from typing import Any

from babel import numbers as babel_numbers
from flask import Flask, Response, current_app, has_request_context, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from caseflow.extensions import babel

RTL_LANGUAGES = {"ar"}
LANGUAGE_NAMES = {"en": "English", "fr": "Français", "es": "Español", "pt": "Português", "ar": "العربية"}
LANG_COOKIE = "caseflow_lang"
LANG_ARG = "lang"


def _languages() -> list[str]:
    return list(current_app.config["CASEFLOW_LANGUAGES"])


def url_language() -> str | None:
    """Return the language named by ?lang= on this request, if it is one we offer."""
    if not has_request_context():
        return None
    wanted = request.args.get(LANG_ARG)
    return wanted if wanted in _languages() else None


def select_locale() -> str:
    """Choose the page language: ?lang=, then the language cookie, then Accept-Language, then default."""
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    languages = _languages()
    wanted = url_language() or request.cookies.get(LANG_COOKIE)
    if wanted in languages:
        return wanted
    for value, _quality in request.accept_languages:  # best first; "pt-BR" counts as "pt"
        primary = value.replace("_", "-").split("-")[0].lower()
        if primary in languages:
            return primary
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def current_language() -> str:
    """Return the language code of the current page (e.g. 'ar')."""
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def is_rtl(locale: str | None = None) -> bool:
    """Tell whether a language (default: the current one) is written right to left."""
    return (locale or current_language()).split("_")[0] in RTL_LANGUAGES


def text_direction() -> str:
    """Return 'rtl' for right-to-left languages, else 'ltr'."""
    return "rtl" if is_rtl() else "ltr"


@functools.lru_cache(maxsize=32)
def _number_symbols(locale: str) -> tuple[str, str]:
    """Return the locale's group and decimal separators, as Babel formats them."""
    sample = babel_numbers.format_decimal(1234.5, format="#,##0.0", locale=locale)
    return sample[1:-5], sample[-2]


def number(value: float | int, decimals: int = 0) -> str:
    """Format a number for the current language (e.g. 1 234,5 in French), with a fixed number of decimals."""
    group, point = _number_symbols(str(get_locale() or "en"))
    text = f"{value:,.{decimals}f}"  # the symbols are read once per language; dashboards format hundreds of cells
    return text.replace(",", "\x00").replace(".", point).replace("\x00", group)


def file_size(size: int | None) -> str:
    """Format a file size for the current language (e.g. "1,5 ko" in French), units translated."""
    value = float(size or 0)
    if value < 1000:
        return ngettext("%(count)s byte", "%(count)s bytes", int(value), count=number(int(value)))
    for unit in ("kB", "MB", "GB"):
        value /= 1000
        if value < 1000 or unit == "GB":
            break
    text = babel_numbers.format_decimal(round(value, 1), format="#,##0.#", locale=str(get_locale() or "en"))
    labels = {"kB": _("%(size)s kB", size=text), "MB": _("%(size)s MB", size=text), "GB": _("%(size)s GB", size=text)}
    return labels[unit]


def forward_arrow() -> str:
    """Return the arrow that points forward in the reading direction ('→', or '←' right to left)."""
    return "←" if has_request_context() and is_rtl() else "→"


def lang_url(endpoint: str, **values: Any) -> str:
    """Build a URL that always names the current language (for reporter pages, which have no cookie)."""
    values.setdefault(LANG_ARG, current_language())
    return url_for(endpoint, **values)


def language_switch_url(code: str) -> str:
    """Return the current page's URL in another language, keeping its other query arguments."""
    view_args = dict(request.view_args or {})
    # A query argument named like a path part (?fmt= on /export.<fmt>) must not clash with it.
    args = {k: v for k, v in request.args.to_dict(flat=False).items() if k not in view_args}
    args[LANG_ARG] = [code]
    values: dict[str, Any] = {**view_args, **args} if request.method == "GET" else {**view_args, LANG_ARG: code}
    return url_for(request.endpoint, **values) if request.endpoint else f"?lang={code}"


def lang_field() -> Markup:
    """A hidden lang input for GET forms (whose action query string the browser replaces)."""
    code = url_language()
    if not code:
        return Markup("")
    return Markup('<input type="hidden" name="{}" value="{}">').format(LANG_ARG, code)


def staff_signed_in() -> bool:
    """Tell whether a staff member is signed in (always False in the portal, which has no Flask-Login)."""
    return getattr(current_app, "login_manager", None) is not None and bool(current_user.is_authenticated)


def _carry_language(endpoint: str, values: dict[str, Any]) -> None:
    """While a signed-out visitor (a reporter) browses with ?lang=, keep it in every URL built."""
    if endpoint == "static" or LANG_ARG in values or not has_request_context():
        return
    code = url_language()
    if code and not staff_signed_in():
        values[LANG_ARG] = code


def remember_language(response: Response) -> Response:
    """Keep a staff member's ?lang= choice in a cookie (reporters keep it in the URL: no cookie for them)."""
    wanted = url_language()
    if wanted and staff_signed_in():
        response.set_cookie(LANG_COOKIE, wanted, max_age=365 * 24 * 3600, httponly=True, samesite="Lax",
                            secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


def init_app(app: Flask) -> None:
    """Bind Flask-Babel and expose language helpers to templates."""
    from caseflow import ROOT

    babel.init_app(app, locale_selector=select_locale,
                   default_translation_directories=str(ROOT / "caseflow" / "translations"))
    app.after_request(remember_language)
    app.url_defaults(_carry_language)
    app.add_template_filter(file_size, "filesize")
    app.add_template_filter(number, "number")
    app.jinja_env.globals.update(lang_url=lang_url, language_switch_url=language_switch_url,
                                 lang_field=lang_field, is_rtl=is_rtl)

    @app.context_processor
    def _language_context() -> dict[str, object]:
        return {"current_locale": current_language(), "text_direction": text_direction(),
                "language_names": LANGUAGE_NAMES, "arrow": forward_arrow()}


DEFAULT_UNIT_NAME = "Integrity and Internal Affairs Unit"
_DEFAULT_UNIT_LABEL = _l("Integrity and Internal Affairs Unit")


def configured_unit_name(lang: str) -> str:
    """Return the unit's name in a language from the configuration ('' when it gives none there)."""
    cfg = current_app.config
    if lang == "en":
        return str(cfg["CASEFLOW_UNIT_NAME"])
    return str(cfg.get("CASEFLOW_UNIT_NAMES", {}).get(lang) or "")


def unit_name() -> str:
    """Return the unit's name in the reader's language: the administrator's name there, else the configured
    one, else the English one (the administrator's, else the configured name or the default's translation)."""
    from caseflow.extensions import db
    from caseflow.models import UnitName

    lang = current_language()
    given = {row.lang: row.name for row in db.session.query(UnitName)}
    named = given.get(lang) or configured_unit_name(lang)
    if named and lang != "en":
        return named
    if given.get("en"):
        return given["en"]
    name = configured_unit_name("en")
    return str(_DEFAULT_UNIT_LABEL) if name == DEFAULT_UNIT_NAME else name


def unit_names_shown() -> dict[str, str]:
    """Return the unit's name as each language's readers see it now (for the administrator's page)."""
    from flask_babel import force_locale

    shown = {}
    for lang in LANGUAGE_NAMES:
        with force_locale(lang):
            shown[lang] = unit_name()
    return shown
