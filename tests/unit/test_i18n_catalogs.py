"""Catalog discipline: every string in the code is translated in every catalog, with the same placeholders.

The strings are extracted afresh from the sources (as `make translations` does), so a string added without a
translation fails here. Fix: `make translations`, then translate the new entries in
caseflow/translations/<lang>/LC_MESSAGES/messages.po (no empty, no fuzzy), and `make translations` again to
compile.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "caseflow" / "translations"
LANGUAGES = ["fr", "es", "pt", "ar"]
KEYWORDS = ["-k", "_l", "-k", "lazy_gettext", "-k", "lazy_ngettext:1,2"]
PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[#0\- +]*(?:\d+|\*)?(?:\.\d+)?([diouxXeEfFgGcrsa%])")
PLURAL_FORMS = {"fr": 2, "es": 2, "pt": 2, "ar": 6}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """The strings in the sources now, extracted like `make translations` does."""
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "-q", "extract", "-F", "babel.cfg",
                    *KEYWORDS, "--no-location", "-o", str(pot), "."], cwd=ROOT, check=True)
    with pot.open("rb") as fh:
        return read_po(fh)


def _catalog(lang: str) -> Catalog:
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return read_po(fh, locale=lang)


def _placeholders(text: str) -> list[tuple[str | None, str]]:
    return sorted((name, kind) for name, kind in PLACEHOLDER.findall(text) if kind != "%")


def _entries(catalog: Catalog) -> list:
    return [m for m in catalog if m.id]


def test_extraction_finds_the_strings(extracted: Catalog):
    assert len(_entries(extracted)) > 100
    assert "Skip to content" in extracted  # a template string
    assert "Complaint received" in extracted  # a lazy_gettext string in Python


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_source_string_is_in_the_catalog(extracted: Catalog, lang: str):
    catalog = _catalog(lang)
    missing = [m.id for m in _entries(extracted) if m.id not in catalog]
    assert not missing, f"{len(missing)} string(s) missing from {lang} (run `make translations`): {missing[:20]}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_empty_or_fuzzy_translation(lang: str):
    catalog = _catalog(lang)
    fuzzy = [m.id for m in _entries(catalog) if m.fuzzy]
    empty = [m.id for m in _entries(catalog)
             if not (all(m.string) if isinstance(m.string, tuple | list) else m.string)]
    assert not fuzzy, f"fuzzy entries in {lang}: {fuzzy[:20]}"
    assert not empty, f"{len(empty)} untranslated entries in {lang}: {empty[:20]}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_placeholders_match_the_source(lang: str):
    wrong = []
    for m in _entries(_catalog(lang)):
        if isinstance(m.id, tuple | list):
            source = set(_placeholders(m.id[0])) | set(_placeholders(m.id[1]))
            forms = [set(_placeholders(s)) for s in m.string if s]
            # a plural form may leave the count out ("one case"), but may not invent or drop another
            if any(not f <= source for f in forms) or (forms and set().union(*forms) != source):
                wrong.append(m.id)
        elif m.string and _placeholders(m.id) != _placeholders(m.string):
            wrong.append(m.id)
    assert not wrong, f"placeholders differ in {lang}: {wrong[:20]}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_plural_forms_fit_the_language(lang: str):
    catalog = _catalog(lang)
    assert catalog.num_plurals == PLURAL_FORMS[lang]
    for m in _entries(catalog):
        if isinstance(m.id, tuple | list):
            assert len(m.string) == PLURAL_FORMS[lang], m.id


@pytest.mark.parametrize("lang", LANGUAGES)
def test_compiled_catalog_is_up_to_date(lang: str):
    """The committed .mo (what the app loads) says what the .po says: `make translations` compiles it."""
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.mo").open("rb") as fh:
        compiled = read_mo(fh)
    def text(value: object) -> object:
        return tuple(value) if isinstance(value, list | tuple) else value

    stale = [m.id for m in _entries(_catalog(lang)) if not m.fuzzy and m.string
             and (compiled.get(m.id) is None or text(compiled.get(m.id).string) != text(m.string))]
    assert not stale, f"{lang}/messages.mo is older than its .po (run `make translations`): {stale[:10]}"


NUMERIC = set("diouxXeEfFgGc")


def test_every_count_goes_through_ngettext(extracted: Catalog):
    """A number in a sentence agrees with its noun ("1 case", Arabic's six forms) only through ngettext.

    Numbers that are labels, not counts (page 3, line 12, version 2), are passed as text (`%(n)s`).
    """
    counted = [m.id for m in _entries(extracted) if not isinstance(m.id, tuple | list)
               and any(kind in NUMERIC for _name, kind in _placeholders(m.id))]
    assert not counted, f"{len(counted)} msgid(s) with a number outside ngettext: {counted[:20]}"


# Terms the glossary (docs/glossary.md) rejects: a physical seal for a confidential identity, seizure of
# assets for a legal hold, retention for chain of custody, an English gloss, a word Spain's law does not use.
REJECTED = {
    "fr": ["sous scellé", "(scellé)", "chaîne de conservation", "Sans fondement"],
    "es": ["bajo sello", "(sellado)", "alertador"],
    "pt": ["selada", "(selado)", "whistleblower", "Ilibado"],
    "ar": ["مختوم", "الحجز القانوني", "حجز قانوني"],
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_findings_can_be_told_apart(lang: str):
    """The five findings on an allegation read differently in every language."""
    from caseflow.enums import Finding

    sources = [f.lazy_label._args[0] for f in Finding]  # the English msgids
    catalog = _catalog(lang)
    labels = [catalog[source].string for source in sources]
    assert len(set(sources)) == len(sources) == 5
    assert all(labels) and len(set(labels)) == len(labels), labels


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_rejected_term_is_left(lang: str):
    found = []
    for m in _entries(_catalog(lang)):
        texts = m.string if isinstance(m.string, tuple | list) else [m.string]
        found += [(m.id, term) for term in REJECTED[lang] for text in texts if text and term.lower() in text.lower()]
    assert not found, f"rejected terms in {lang} (see docs/glossary.md): {found[:10]}"
