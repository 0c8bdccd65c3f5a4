"""Language selection (URL, then cookie, then browser, then default) and template helpers."""

from __future__ import annotations

from flask import Flask, Response, current_app, has_request_context, request
from flask_babel import get_locale
from flask_login import current_user

from caseflow.extensions import babel

RTL_LANGUAGES = {"ar"}
LANGUAGE_NAMES = {"en": "English", "fr": "Français", "es": "Español", "pt": "Português", "ar": "العربية"}
LANG_COOKIE = "caseflow_lang"


def select_locale() -> str:
    """Choose the page language: ?lang=, then the language cookie, then Accept-Language, then default."""
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    languages = current_app.config["CASEFLOW_LANGUAGES"]
    wanted = request.args.get("lang") or request.cookies.get(LANG_COOKIE)
    if wanted in languages:
        return wanted
    best = request.accept_languages.best_match(languages)
    return best or current_app.config["BABEL_DEFAULT_LOCALE"]


def text_direction() -> str:
    """Return 'rtl' for right-to-left languages, else 'ltr'."""
    return "rtl" if str(get_locale()) in RTL_LANGUAGES else "ltr"


def init_app(app: Flask) -> None:
    """Bind Flask-Babel and expose language helpers to templates."""
    from caseflow import ROOT

    babel.init_app(app, locale_selector=select_locale,
                   default_translation_directories=str(ROOT / "caseflow" / "translations"))

    app.after_request(remember_language)

    @app.context_processor
    def _language_context() -> dict[str, object]:
        return {"current_locale": str(get_locale()), "text_direction": text_direction(),
                "language_names": LANGUAGE_NAMES}


def remember_language(response: Response) -> Response:
    """Keep a staff member's ?lang= choice in a cookie (reporters keep it in the URL: no cookie for them)."""
    wanted = request.args.get("lang")
    if wanted in current_app.config["CASEFLOW_LANGUAGES"] and current_user.is_authenticated:
        response.set_cookie(LANG_COOKIE, wanted, max_age=365 * 24 * 3600, httponly=True, samesite="Lax",
                            secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response
