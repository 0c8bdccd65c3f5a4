"""Exports: case lists and dashboard tables, neutralised against formula injection, filtered and audited."""

from __future__ import annotations

import csv
import io
from typing import Any

import sqlalchemy as sa
from openpyxl import load_workbook

from caseflow.enums import Channel
from caseflow.exports import neutralise
from caseflow.extensions import db
from caseflow.models import AuditEvent
from tests.factories import make_case


def test_neutralise_dangerous_prefixes() -> None:
    for text in ("=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx"):
        assert neutralise(text) == "'" + text
    assert neutralise("Plain title") == "Plain title"
    assert neutralise(5) == 5


def _supervisor_export(users: dict[str, Any], login_as: Any, fmt: str, query: str = "") -> Any:
    client = login_as(users["supervisor"])
    response = client.get(f"/cases/export.{fmt}{query}")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    return response


def test_case_list_csv_neutralises_formulas_and_is_audited(users: dict[str, Any], login_as: Any) -> None:
    make_case(title='=HYPERLINK("http://evil.example","click")')
    make_case(title="@SUM(1,2)", channel=Channel.LETTER)
    response = _supervisor_export(users, login_as, "csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    titles = {r[1] for r in rows[1:]}
    assert titles == {'\'=HYPERLINK("http://evil.example","click")', "'@SUM(1,2)"}
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "export.cases"))
    assert event is not None and '"rows":2' in event.detail


def test_case_list_xlsx_holds_text_not_formulas(users: dict[str, Any], login_as: Any) -> None:
    make_case(title="=1+1")
    response = _supervisor_export(users, login_as, "xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet.cell(row=2, column=2).value == "'=1+1"
    assert sheet.cell(row=2, column=2).data_type == "s"


def test_case_export_respects_filters(users: dict[str, Any], login_as: Any) -> None:
    make_case(title="By letter", channel=Channel.LETTER)
    make_case(title="By phone", channel=Channel.PHONE)
    response = _supervisor_export(users, login_as, "csv", "?channel=letter")
    text = response.get_data(as_text=True)
    assert "By letter" in text and "By phone" not in text


def test_investigator_exports_only_own_cases(users: dict[str, Any], login_as: Any) -> None:
    mine = make_case(title="Mine", commit=False)
    mine.lead_investigator_id = users["investigator"].id
    make_case(title="Not mine")
    client = login_as(users["investigator"])
    text = client.get("/cases/export.csv").get_data(as_text=True)
    assert "Mine" in text and "Not mine" not in text


def test_managers_cannot_export_case_lists(users: dict[str, Any], login_as: Any) -> None:
    make_case(title="Secret")
    client = login_as(users["manager"])
    assert client.get("/cases/export.csv").status_code == 403
    assert client.get("/cases/export.xlsx").status_code == 403


def test_unknown_format_is_not_found(users: dict[str, Any], login_as: Any) -> None:
    client = login_as(users["supervisor"])
    assert client.get("/cases/export.pdf").status_code == 404
