"""Exports: the case list and the dashboard tables as CSV and XLSX, neutralised against formula injection."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from caseflow import audit
from caseflow.cases.queries import CaseFilters, visible_cases
from caseflow.dashboards.figures import Shown
from caseflow.extensions import db
from caseflow.models import Case, User

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MAX_EXPORT_ROWS = 100_000
CSV_MIME = "text/csv; charset=utf-8"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value: Any) -> Any:
    """Return a cell value that a spreadsheet will not run as a formula (text starting = + - @ tab CR)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | float):
        return value
    text = str(value)
    if text.startswith(DANGEROUS_PREFIXES):
        return "'" + text
    return text


def case_rows(user: User, filters: CaseFilters,
              case_ids: list[int] | None = None) -> tuple[list[str], Iterable[list[Any]]]:
    """Return the header and rows of the user's filtered case list, or of the selected cases among it."""
    header = [_("Number"), _("Title"), _("State"), _("Channel"), _("Category"), _("Office"), _("Priority"),
              _("Received"), _("Lead investigator"), _("Anonymous"), _("Closed")]
    stmt = visible_cases(user, filters).limit(MAX_EXPORT_ROWS)
    if case_ids is not None:  # a selection: still only the cases the user may see
        stmt = stmt.where(Case.id.in_(case_ids))

    def rows() -> Iterable[list[Any]]:
        for case in db.session.scalars(stmt.execution_options(yield_per=1000)):
            yield [case.number, case.title, case.state.label, case.channel.label,
                   case.category.label if case.category else "", case.office.label if case.office else "",
                   case.priority.label, case.received_at.strftime("%Y-%m-%d"),
                   case.lead_investigator.full_name if case.lead_investigator else "", case.is_anonymous,
                   case.closed_at.strftime("%Y-%m-%d") if case.closed_at else ""]
    return header, rows()


def to_csv(tables: Sequence[tuple[str, list[str], Iterable[list[Any]]]]) -> bytes:
    """Return CSV bytes (UTF-8 with BOM for spreadsheets); several tables are separated by a blank line."""
    out = io.StringIO()
    writer = csv.writer(out)
    for i, (title, header, rows) in enumerate(tables):
        if len(tables) > 1:
            if i:
                writer.writerow([])
            writer.writerow([neutralise(title)])
        writer.writerow([neutralise(h) for h in header])
        for row in rows:
            writer.writerow([neutralise(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _xlsx_cell(value: Any) -> Any:
    """Return a neutralised cell without the control characters a worksheet cannot hold."""
    cell = neutralise(value)
    return ILLEGAL_CHARACTERS_RE.sub("", cell) if isinstance(cell, str) else cell


def to_xlsx(tables: Sequence[tuple[str, list[str], Iterable[list[Any]]]]) -> bytes:
    """Return an XLSX workbook with one sheet per table."""
    book = Workbook(write_only=False)
    book.remove(book.active)
    used: set[str] = set()
    for title, header, rows in tables:
        name = "".join(ch for ch in title if ch not in "[]:*?/\\")[:28] or "Sheet"
        while name in used:
            name = name[:26] + str(len(used))
        used.add(name)
        sheet = book.create_sheet(name)
        sheet.append([_xlsx_cell(h) for h in header])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([_xlsx_cell(v) for v in row])
        for col in range(1, len(header) + 1):
            sheet.column_dimensions[get_column_letter(col)].width = 22
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def render(fmt: str, tables: Sequence[tuple[str, list[str], Iterable[list[Any]]]]) -> tuple[bytes, str]:
    """Return the export's bytes and MIME type for 'csv' or 'xlsx'."""
    if fmt == "xlsx":
        return to_xlsx(tables), XLSX_MIME
    return to_csv(tables), CSV_MIME


def export_cases(user: User, filters: CaseFilters, fmt: str,
                 case_ids: list[int] | None = None) -> tuple[bytes, str]:
    """Export the user's filtered case list (or the selected cases) and audit it (filters, selection, row count)."""
    header, rows = case_rows(user, filters, case_ids)
    materialised = list(rows)
    data, mime = render(fmt, [(_("Cases"), header, materialised)])
    detail: dict[str, Any] = {"format": fmt, "rows": len(materialised), "filters": filters.as_args()}
    if case_ids is not None:
        detail["selected"] = [row[0] for row in materialised]
    audit.record("export.cases", user, detail=detail)
    db.session.flush()
    return data, mime


def shown_table(shown: Shown) -> tuple[str, list[str], list[list[Any]]]:
    """Return a presented dashboard figure as (title, header, rows), totals line included."""
    rows = [list(r) for r in shown.body]
    if shown.footer:
        rows.append(list(shown.footer))
    return shown.title, [str(h) for h in shown.header], rows


def export_dashboard(user: User, shown: Sequence[Shown], scope: dict[str, Any], fmt: str) -> tuple[bytes, str]:
    """Export the dashboard's tables as the user sees them (suppressed for managers) and audit it."""
    data, mime = render(fmt, [shown_table(s) for s in shown])
    audit.record("export.dashboard", user, detail={"format": fmt, "scope": scope,
                                                   "suppressed": any(s.suppressed for s in shown)})
    db.session.flush()
    return data, mime

