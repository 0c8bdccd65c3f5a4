"""CSV import: validate every row first, then write all (or the good ones) in one transaction, in batches
(bulkimport.py); idempotent by source_reference."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from caseflow import audit, uow
from caseflow.channels.bulkimport import BATCH_SIZE, NewCase, create_cases
from caseflow.clock import utcnow
from caseflow.enums import Priority
from caseflow.errors import ValidationError
from caseflow.extensions import db
from caseflow.inputs import received_problem, strip_controls, text_problem
from caseflow.models import Case, Category, Office, User
from caseflow.models.units import ReportingUnit
from caseflow.units.operations import active_units, default_unit

# The documented column set: (name, required, max length, description).
COLUMNS: list[tuple[str, bool, int, Any]] = [
    ("source_reference", True, 120, _l("Your unique id of the complaint; a re-import skips ids already imported")),
    ("title", True, 200, _l("Short title")),
    ("description", True, 20000, _l("What happened (stored encrypted)")),
    ("received_at", False, 32, _l("When it was received: YYYY-MM-DD or YYYY-MM-DD HH:MM (UTC); default now")),
    ("category", False, 40, _l("Category code, e.g. bribery")),
    ("office", False, 40, _l("Office code")),
    ("priority", False, 16, _l("low, medium, high or critical; default medium")),
    ("incident_date", False, 80, _l("When it happened (free text)")),
    ("location", False, 200, _l("Where exactly")),
    ("subject_name", False, 200, _l("Person complained about")),
    ("subject_badge", False, 40, _l("Their badge number")),
    ("reporter_name", False, 200, _l("Complainant's name (sealed)")),
    ("reporter_email", False, 320, _l("Complainant's e-mail (sealed); named complainants get an acknowledgement")),
    ("reporter_phone", False, 60, _l("Complainant's phone (sealed)")),
    ("anonymous", False, 5, _l("yes if the complainant is anonymous (then no reporter columns)")),
    ("unit", False, 40, _l("Key of the reporting unit that receives it; default: the installation's default unit")),
]
NAMES = [c[0] for c in COLUMNS]
REQUIRED = [c[0] for c in COLUMNS if c[1]]
LIMITS = {c[0]: c[2] for c in COLUMNS}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
TEXT_COLUMNS = ("title", "description", "incident_date", "location", "subject_name", "subject_badge",
                "reporter_name", "reporter_phone")
ISO_SHAPE = re.compile(r"\d{4}-\d\d-\d\d(?:[ T]\d\d:\d\d(?::\d\d)?)?", re.ASCII)
MAX_ROWS = 100_000
PROGRESS_EVERY_MIN = 100


@dataclass
class RowError:
    """One problem found in the file: its line, column and the reason."""

    line: int
    column: str
    reason: str


@dataclass
class ImportReport:
    """The outcome of one import."""

    total: int = 0
    created: int = 0
    skipped_existing: int = 0
    errors: list[RowError] = field(default_factory=list)
    bad_lines: set[int] = field(default_factory=set)
    aborted: bool = False
    fatal: bool = False
    numbers: list[str] = field(default_factory=list)


def template_csv() -> str:
    """Return the CSV template: the header row and one example row."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(NAMES)
    writer.writerow(["HOTLINE-2026-0001", "Cash demanded at gate 4", "The officer asked for 50 euros to clear "
                     "my goods.", "2026-03-01 14:30", "bribery", "", "high", "last Monday", "Gate 4",
                     "K. Brandt", "B-17", "Ana Lima", "ana@example.org", "", "no"])
    return out.getvalue()


def neutralise(value: str) -> str:
    """Return a cell that a spreadsheet would read as a formula with a leading apostrophe (never executed)."""
    return "'" + value if value.startswith(FORMULA_START) else value


def decode(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM); raise ValueError naming the line of the first undecodable byte."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise ValueError(_("The file is not UTF-8 (byte %(byte)s on line %(line)s). Save it as "
                           "\"CSV UTF-8\" and import it again.", byte=format(data[exc.start], "#04x"),
                           line=str(line))) from None


def _parse_time(value: str) -> datetime | None:
    if ISO_SHAPE.fullmatch(value):  # the usual, zero-padded forms: parsed fast, same result as strptime
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            pass
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, fmt)
        except ValueError:
            continue
    return None


def _codes(model: Any) -> dict[str, int]:
    rows = db.session.execute(sa.select(model.code, model.id).where(model.active.is_(True))).all()
    return {str(code): int(pk) for code, pk in rows}


def _row_unit(line: int, key: str, ctx: dict[str, Any], errors: list[RowError]) -> ReportingUnit | None:
    """Return the row's reporting unit (its column, else the default unit); an unknown key is an error."""
    if not key:
        return ctx["default_unit"]  # type: ignore[no-any-return]
    unit = ctx["units"].get(key)
    if unit is None:
        errors.append(RowError(line, "unit", _("Unknown or inactive reporting unit %(key)s.", key=key)))
    return unit  # type: ignore[no-any-return]


def _check_row(line: int, raw: dict[str, Any], ctx: dict[str, Any], report: ImportReport) -> NewCase | None:
    """Validate one row; record each problem; return the case to create when the row is good."""
    errors: list[RowError] = []
    if None in raw:
        errors.append(RowError(line, "-", _("The row has more cells than the header.")))
    row = {k: (raw.get(k) or "").strip() for k in NAMES}
    for name in REQUIRED:
        if not row[name]:
            errors.append(RowError(line, name, _("Required.")))
    for name in NAMES:
        problem = text_problem(row[name], multiline=name == "description")
        if problem:
            errors.append(RowError(line, name, problem))
            row[name] = strip_controls(row[name])
    for name in TEXT_COLUMNS:
        row[name] = neutralise(row[name])
    for name in NAMES:  # after neutralising: the limits are those of the stored values (the columns' sizes)
        if len(row[name]) > LIMITS[name]:
            errors.append(RowError(line, name, ngettext("Longer than %(n)d character.",
                                                        "Longer than %(n)d characters.", LIMITS[name], n=LIMITS[name])))
    received_at = None
    if row["received_at"]:
        received_at = _parse_time(row["received_at"])
        if received_at is None:
            errors.append(RowError(line, "received_at", _("Not a date: use YYYY-MM-DD or YYYY-MM-DD HH:MM.")))
        elif problem := received_problem(received_at, ctx["now"]):
            errors.append(RowError(line, "received_at", problem))
    for name, codes in (("category", ctx["categories"]), ("office", ctx["offices"])):
        if row[name] and row[name] not in codes:
            errors.append(RowError(line, name, _("Unknown code %(code)s.", code=row[name])))
    priority = row["priority"].lower() or "medium"
    if priority not in {p.value for p in Priority}:
        errors.append(RowError(line, "priority", _("Use low, medium, high or critical.")))
    unit = _row_unit(line, row["unit"].lower(), ctx, errors)
    anonymous = row["anonymous"].lower()
    if anonymous not in ("", "yes", "no", "true", "false", "1", "0"):
        errors.append(RowError(line, "anonymous", _("Use yes or no.")))
    is_anonymous = anonymous in ("yes", "true", "1")
    if unit is not None and (is_anonymous and not unit.allows_anonymous or not is_anonymous and not unit.allows_named):
        errors.append(RowError(line, "unit", _("The unit %(unit)s does not accept this kind of report (named or "
                                               "anonymous).", unit=unit.key)))
    if is_anonymous and (row["reporter_name"] or row["reporter_email"] or row["reporter_phone"]):
        errors.append(RowError(line, "anonymous", _("An anonymous complaint cannot name its reporter.")))
    email = row["reporter_email"]
    if email and ("@" not in email or any(c.isspace() for c in email) or email.startswith(FORMULA_START)):
        errors.append(RowError(line, "reporter_email", _("Not an e-mail address.")))
    ref = row["source_reference"]
    # A reference is unique per unit: another unit's case with it neither skips this row nor is revealed by it.
    held = (unit.id if unit is not None else None, ref)
    if ref and held in ctx["seen"]:
        errors.append(RowError(line, "source_reference", _("Repeats line %(line)s.", line=str(ctx["seen"][held]))))
    elif ref:
        ctx["seen"][held] = line
        if ref.startswith(FORMULA_START):
            errors.append(RowError(line, "source_reference", _("Must not start with = + - or @.")))
    if errors:
        report.errors.extend(errors)
        report.bad_lines.add(line)
        return None
    if held in ctx["existing"]:
        report.skipped_existing += 1
        return None
    return NewCase(
        source_reference=ref, title=row["title"], content=row["description"], received_at=received_at,
        category_id=ctx["categories"].get(row["category"]), office_id=ctx["offices"].get(row["office"]),
        priority=Priority(priority), incident_date=row["incident_date"] or None,
        location_detail=row["location"] or None, is_anonymous=is_anonymous, subject_name=row["subject_name"],
        subject_badge=row["subject_badge"] or None, reporter_name=row["reporter_name"], reporter_email=email,
        reporter_phone=row["reporter_phone"], unit_id=unit.id if unit is not None else None,
    )


def validate(text: str | bytes, report: ImportReport) -> list[NewCase]:
    """Check the header and every row before anything is written; return the rows to create.

    `text` is the decoded file, or its bytes once decode() accepted them (read line by line: less memory).
    """
    lines = io.TextIOWrapper(io.BytesIO(text), encoding="utf-8-sig", newline="") if isinstance(text, bytes) \
        else io.StringIO(text, newline="")
    reader = csv.DictReader(lines)
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    missing = [c for c in REQUIRED if c not in header]
    unknown = [h for h in header if h not in NAMES]
    if missing or unknown:
        if missing:
            report.errors.append(RowError(1, ", ".join(missing), _("Missing required column(s).")))
        if unknown:
            report.errors.append(RowError(1, ", ".join(unknown), _("Unknown column(s); see the template.")))
        report.fatal = True
        return []
    try:
        fallback = default_unit()
    except ValidationError as exc:  # CASEFLOW_DEFAULT_UNIT names no active unit
        report.errors.append(RowError(1, "unit", exc.message))
        report.fatal = True
        return []
    ctx: dict[str, Any] = {"now": utcnow(), "categories": _codes(Category), "offices": _codes(Office), "seen": {},
                           "units": {u.key: u for u in active_units()}, "default_unit": fallback,
                           "existing": set(db.session.execute(sa.select(Case.unit_id, Case.source_reference)
                                                              .where(Case.source_reference.is_not(None))).tuples())}
    good: list[NewCase] = []
    try:
        for raw in reader:
            report.total += 1
            if report.total > MAX_ROWS:
                report.errors.append(RowError(reader.line_num, "-", ngettext("More than %(n)d row.",
                                                                             "More than %(n)d rows.", MAX_ROWS,
                                                                             n=MAX_ROWS)))
                report.fatal = True
                return []
            checked = _check_row(reader.line_num, raw, ctx, report)
            if checked is not None:
                good.append(checked)
    except csv.Error as exc:
        report.errors.append(RowError(reader.line_num, "-", _("Broken CSV: %(error)s", error=str(exc))))
        report.fatal = True
        return []
    return good


def import_csv(data: bytes, actor: User | None, skip_bad_rows: bool = False,
               progress: Callable[[int, int], None] | None = None) -> ImportReport:
    """Import complaints from CSV: nothing is written if a row is bad, unless skip_bad_rows (the caller commits).

    The good rows are written in batches but in one transaction: if any write fails, the whole import is
    rolled back (no case, key, event or mail of it remains) and the error is raised.
    """
    report = ImportReport()
    try:
        decode(data)
    except ValueError as exc:
        report.errors.append(RowError(0, "-", str(exc)))
        report.fatal = True
        return report
    rows = validate(data, report)
    if report.fatal or (report.errors and not skip_bad_rows):
        report.aborted = bool(report.errors)
        return report
    label = actor.username if actor is not None else "import-csv"
    total = len(rows)
    every = max(PROGRESS_EVERY_MIN, total // 10)
    shown = 0

    def written(done: int) -> None:
        nonlocal shown
        if progress is not None and (done // every > shown // every or done == total):
            progress(done, total)
        shown = done

    try:
        report.numbers = create_cases(rows, actor, {"via": "import-csv"}, written, min(BATCH_SIZE, every))
        report.created = len(report.numbers)
        audit.record("csv.import", actor, None, {"created": report.created, "skipped": report.skipped_existing,
                                                 "bad_rows": len(report.bad_lines)}, actor_label=label)
    except Exception:
        uow.discard()
        raise
    return report
