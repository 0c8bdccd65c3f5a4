"""Numbers are formatted for each language exactly as Babel's patterns would format them."""

from __future__ import annotations

import pytest
from babel.numbers import format_decimal
from flask import Flask
from flask_babel import refresh

from caseflow.i18n import number

VALUES = [(1234567.5, 1), (1234, 0), (12, 0), (66.666, 1), (0.04, 1), (-1234.25, 1), (999, 0), (1000, 0)]


@pytest.mark.parametrize("lang", ["en", "fr", "es", "pt", "ar"])
def test_number_matches_babel_for_every_language(app: Flask, lang: str) -> None:
    with app.test_request_context(f"/?lang={lang}"):
        refresh()  # the suite's app context may hold the language of an earlier request
        for value, decimals in VALUES:
            pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
            assert number(value, decimals) == format_decimal(value, format=pattern, locale=lang)
    with app.test_request_context("/?lang=fr"):
        refresh()
        assert number(1234567) == "1\u202f234\u202f567" and number(2.25, 1) == "2,2"
