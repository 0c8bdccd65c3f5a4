"""Search terms of people and case identifiers: normalised words and their prefixes, as blind indexes.

A name gives the folded words `names.name_words` gives (case, accents, Arabic diacritics and articles ignored);
a badge, plate or declaration number gives its `names.badge_form` (case, spaces, dashes, dots, digit scripts
ignored) whole and word by word; a phone gives its digits and its last nine digits (the national number,
whichever international prefix was typed). Each term is indexed exact and, from three characters, by every
prefix, so "hadd" finds "Haddad". Only the keyed HMAC of a term is stored (knows no model).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from caseflow import names
from caseflow.crypto import blind_index, blind_indexer

MIN_PREFIX = 3
PHONE_TAIL = 9
TOKEN = re.compile(r"\w+", re.UNICODE)


def _exact(term: str) -> str:
    return blind_index("term", "w:" + term)


def _prefix(term: str) -> str:
    return blind_index("term", "p:" + term)


def _words(text: str) -> list[str]:
    """Return the folded alphanumeric words of a text (for identifiers and queries)."""
    return [w for w in (names.badge_form(t) for t in TOKEN.findall(text or "")) if w]


def word_keys(word: str, index: Callable[[str], str] | None = None) -> set[str]:
    """Return the keys one indexed word is found by: itself exactly, and each prefix of 3+ characters."""
    index = index or blind_indexer("term")
    keys = {index("w:" + word)}
    keys.update(index("p:" + word[:n]) for n in range(MIN_PREFIX, len(word) + 1))
    return keys


def _digits(text: str) -> str:
    return "".join(ch for ch in names.badge_form(text) if ch.isdigit())


def person_keys(full_name: str, badge_number: str | None) -> set[str]:
    """Return every search key of a person's name and badge."""
    words = set(names.name_words(full_name)) | set(_words(full_name))
    badge = names.badge_form(badge_number)
    if badge:
        words.add(badge)
        words.update(_words(badge_number or ""))
    index = blind_indexer("term")
    return {key for word in words for key in word_keys(word, index)}


def identifier_keys(kind: str, value: str) -> set[str]:
    """Return every search key of an identifier of this kind (plate, company, declaration or phone)."""
    words = set(_words(value))
    whole = names.badge_form(value)
    if whole:
        words.add(whole)
    if kind == "company":
        words |= set(names.name_words(value))
    if kind == "phone":
        digits = _digits(value)
        words |= {digits, digits[-PHONE_TAIL:]} - {""}
    index = blind_indexer("term")
    return {key for word in words for key in word_keys(word, index)}


def query_terms(query: str) -> list[set[str]]:
    """Return, for each term of a query, the keys any one of which satisfies it (all terms must be met).

    A query that reads as one code ("AB-123", "+212 600 12 34 56") is also tried whole: see query_whole().
    """
    words = list(dict.fromkeys(names.name_words(query) + [w for w in _words(query) if not w.isalpha()]))
    # A word of MIN_PREFIX letters or more is found by its prefix key alone: every indexed word it begins,
    # itself included, stores that key, so the exact key would add no match and cost a second index range.
    return [{_prefix(word) if len(word) >= MIN_PREFIX else _exact(word)} for word in words]


def query_whole(query: str) -> set[str]:
    """Return the keys of the whole query read as one code (badge, plate, declaration or phone)."""
    whole = names.badge_form(query)
    keys: set[str] = set()
    if len(whole) >= 2:
        keys.add(_prefix(whole) if len(whole) >= MIN_PREFIX else _exact(whole))
    digits = _digits(query)
    if len(digits) >= PHONE_TAIL and len(digits) * 2 >= len(whole):
        keys.add(_exact(digits[-PHONE_TAIL:]))
    return keys
