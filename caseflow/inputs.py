"""The input layer: every value from a request is normalised and bounded here before an operation sees it.

Numbers: Unicode decimal digits become ASCII, anything else that is not a plain integer is refused, and an
integer must fit the database's 4-byte columns. Dates must fall in a sane range. Text may not hold NUL,
lone surrogates or control characters (tab and line breaks are allowed in multi-line fields). Lengths come
from the model columns, so a form never accepts more than PostgreSQL stores.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from urllib.parse import unquote, urlsplit

from flask import Flask, abort, current_app, request
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.routing import IntegerConverter
from wtforms import FieldList, FormField, StringField, TextAreaField

MAX_INT4 = 2**31 - 1
MIN_DATE = date(1900, 1, 1)        # filters and periods: earliest accepted date
MAX_DATE = date(2999, 12, 31)      # filters and periods: latest accepted date
MIN_RECEIVED = date(1990, 1, 1)    # a complaint cannot have been received before this
MAX_JSON_DEPTH = 20
_INT = re.compile(r"[+-]?[0-9]+")
_LINE_BREAKS = {"\t", "\n", "\r"}


class IdConverter(IntegerConverter):
    """`<int:...>` in every route: ASCII digits only, at most the largest 4-byte integer (else 404)."""

    regex = r"[0-9]{1,10}"

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:  # noqa: A002 - werkzeug's signature
        kwargs.setdefault("min", 0)  # 0 reaches the view, which answers 404 after its access check
        kwargs.setdefault("max", MAX_INT4)
        super().__init__(map, *args, **kwargs)


def ascii_digits(text: str) -> str:
    """Return the text with every Unicode decimal digit (Arabic-Indic, full-width, ...) as its ASCII digit."""
    if text.isascii():
        return text
    return "".join(str(unicodedata.decimal(ch)) if unicodedata.decimal(ch, None) is not None else ch
                   for ch in text)


def parse_int(value: Any, low: int = 1, high: int = MAX_INT4) -> int | None:
    """Return the integer typed (any script's decimal digits) if it lies in [low, high], else None."""
    if value is None:
        return None
    text = ascii_digits(str(value).strip())
    if not _INT.fullmatch(text) or len(text) > 20:
        return None
    number = int(text)
    return number if low <= number <= high else None


def parse_date(value: Any, low: date = MIN_DATE, high: date = MAX_DATE) -> date | None:
    """Return the ISO date typed (YYYY-MM-DD) if it lies in [low, high], else None."""
    text = ascii_digits(str(value or "").strip())
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return day if low <= day <= high else None


def received_problem(when: datetime, now: datetime) -> str | None:
    """Return why a complaint cannot have been received at this time (before 1990, in the future), or None."""
    if when.date() < MIN_RECEIVED:
        return _("Dates before %(year)s are not accepted.", year=str(MIN_RECEIVED.year))
    if when > now:
        return _("In the future.")
    return None


# Every character text_problem() may refuse: the Cc controls (U+0000-U+001F, U+007F-U+009F) and the surrogates.
_SUSPECT = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def text_problem(text: str, multiline: bool = False) -> str | None:
    """Return why a text cannot be stored (NUL, lone surrogate, control character), or None if it can."""
    # Only the suspect characters are looked at one by one: a bulk import checks hundreds of thousands of cells.
    for match in _SUSPECT.finditer(text):
        ch = match.group()
        code = ord(ch)
        if code == 0:
            return _("This field contains a NUL character, which cannot be stored. Please remove it.")
        if 0xD800 <= code <= 0xDFFF:
            return _("This field contains an invalid character (a lone surrogate). Please remove it.")
        if unicodedata.category(ch) == "Cc" and not (multiline and ch in _LINE_BREAKS):
            return _("This field contains a control character, which cannot be stored. Please remove it.")
    return None


def strip_controls(text: str) -> str:
    """Return the text without NUL, lone surrogates and control characters other than tab and line breaks."""
    return "".join(ch for ch in text if ch in _LINE_BREAKS or unicodedata.category(ch) not in ("Cc", "Cs"))


def same_site_path(target: Any) -> str | None:
    """Return the target if it is a path on this site once normalised as a browser would, else None.

    Browsers drop tabs and line breaks inside URLs and read a backslash as a slash, so "/\t/evil.example" or
    "/\\evil.example" would leave the site: anything holding control characters, spaces or backslashes, any
    scheme or host, and any path whose decoded form starts with two slashes is refused.
    """
    if not isinstance(target, str) or not target.startswith("/") or target.startswith("//") or len(target) > 2000:
        return None
    if any(ch == "\\" or ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Cs") for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    decoded = unquote(unquote(parts.path))
    if decoded.startswith("//") or "\\" in decoded or any(unicodedata.category(ch) == "Cc" for ch in decoded):
        return None
    return target


def column_length(attribute: Any) -> int:
    """Return the declared length of a model's String column (the form limit that matches the database)."""
    length = attribute.property.columns[0].type.length
    assert length, f"{attribute} has no length"
    return int(length)


def _walk_clean(form: Any) -> bool:
    ok = True
    for field in form:
        if isinstance(field, FormField):
            ok = _walk_clean(field.form) and ok
        elif isinstance(field, FieldList):
            for entry in field.entries:
                ok = (_walk_clean(entry.form) if isinstance(entry, FormField) else _check_field(entry)) and ok
        else:
            ok = _check_field(field) and ok
    return ok


def _check_field(field: Any) -> bool:
    if not isinstance(field, StringField) or not isinstance(field.data, str):
        return True
    problem = text_problem(field.data, multiline=isinstance(field, TextAreaField))
    if problem is None:
        return True
    field.errors = [*field.errors, problem]
    return False


class CleanFields:
    """Form mixin: after the field validators, every text field is checked by text_problem."""

    def validate(self, extra_validators: Any = None) -> bool:
        """Validate the fields, then refuse characters no database column can hold."""
        ok = super().validate(extra_validators)  # type: ignore[misc]
        return _walk_clean(self) and ok


class CleanForm(CleanFields, FlaskForm):
    """The base of every staff form: Flask-WTF (CSRF) plus the text checks."""


def keeps_text(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a view whose forms report bad characters themselves (the text typed is kept on the page)."""
    view._keeps_text = True  # type: ignore[attr-defined]
    return view


def json_problem(value: Any, depth: int = 0, path: str = "") -> tuple[str, str] | None:
    """Return (path, reason) of the first value in a parsed JSON document that cannot be stored, or None."""
    if depth > MAX_JSON_DEPTH:
        return path or "$", _("The JSON body is nested too deeply.")
    if isinstance(value, str):
        problem = text_problem(value, multiline=True)
        return (path or "$", problem) if problem else None
    if isinstance(value, bool) or value is None or isinstance(value, float):
        return None
    if isinstance(value, int):
        return None if abs(value) <= 2**53 else (path or "$", _("This number is too large."))
    items: Any = value.items() if isinstance(value, dict) else enumerate(value)
    for key, item in items:
        if isinstance(key, str) and text_problem(key):
            return path or "$", _("A field name contains a character that cannot be stored.")
        sub = f"{path}.{key}" if isinstance(key, str) else f"{path}[{key}]"
        found = json_problem(item, depth + 1, sub.lstrip("."))
        if found:
            return found
    return None


def load_json(raw: bytes) -> tuple[Any, str | None]:
    """Parse a JSON body; return (value, None) or (None, a translated reason) for broken or deep JSON."""
    depth = 0
    in_string = escape = False
    for byte in raw:  # a cheap pre-scan: the parser would recurse once per nesting level
        if in_string:
            if escape:
                escape = False
            elif byte == 0x5C:
                escape = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return None, _("The JSON body is nested too deeply.")
        elif byte in (0x5D, 0x7D):
            depth -= 1
    try:
        return json.loads(raw.decode("utf-8")), None
    except (ValueError, RecursionError):
        return None, _("The body is not valid JSON.")


def _request_values() -> list[str]:
    values = [v for group in request.args.listvalues() for v in group]
    values += list(request.args.keys())
    view = current_app.view_functions.get(request.endpoint or "")
    if request.method in ("POST", "PUT", "PATCH") and not getattr(view, "_keeps_text", False) and \
            request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        values += [v for group in request.form.listvalues() for v in group]
    return values


def refuse_unstorable_text() -> None:
    """Before each request: a query argument or form value with NUL or control characters gets a clear 400."""
    for value in _request_values():
        problem = text_problem(value, multiline=True)
        if problem:
            abort(400, description=problem)


def init_app(app: Flask) -> None:
    """Install the bounded id converter (before any route is registered) and the request text check."""
    app.url_map.converters["int"] = IdConverter
    app.before_request(refuse_unstorable_text)


def uploaded_files(field: Any) -> list[tuple[str, bytes]]:
    """Return the (file name, bytes) of each file sent in a file field; a part sent without a file is skipped."""
    data = field.data
    items = data if isinstance(data, list) else [data]
    return [(item.filename, item.read()) for item in items if item is not None and getattr(item, "filename", None)]
