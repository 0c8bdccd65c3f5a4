"""The default complaint categories an installation starts with, and their translated labels (data only)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

DEFAULT_CATEGORIES = [
    ("bribery", _l("Bribery")),
    ("extortion", _l("Extortion")),
    ("abuse_of_authority", _l("Abuse of authority")),
    ("conflict_of_interest", _l("Conflict of interest")),
    ("fraud", _l("Fraud")),
    ("smuggling_collusion", _l("Smuggling collusion")),
    ("misconduct", _l("Misconduct")),
    ("service_complaint", _l("Service complaint")),
    ("other", _l("Other")),
]


ENGLISH_NAMES = {code: label._args[0] for code, label in DEFAULT_CATEGORIES}  # the msgids


def default_category_label(code: str, name: str) -> str:
    """Return the translated label of a default category unless an admin renamed it."""
    label = dict(DEFAULT_CATEGORIES).get(code)
    if label is not None and ENGLISH_NAMES.get(code) == name:
        return str(label)
    return name
