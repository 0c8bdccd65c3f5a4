"""Questionnaires: the builder (admin pages), the reporter's step-by-step flow (portal) and the sealed answers."""

from __future__ import annotations

from typing import Any

LANGUAGES = ("en", "fr", "es", "pt", "ar")


def text_in(texts: dict[str, Any] | None, language: str) -> str:
    """Return a translated text in a language, else in English, else the first one given."""
    texts = texts or {}
    value = texts.get(language) or texts.get(language.split("_")[0]) or texts.get("en")
    if not value:
        value = next((v for v in texts.values() if v), "")
    return str(value)
