"""A manager collects every number the dashboard, its filters and periods, the exports and the management PDF
show, and tries to work out a count from 1 to threshold-1 by differencing and exact linear solving."""

from __future__ import annotations

import csv
import io
import random
import subprocess
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from openpyxl import load_workbook

from caseflow import deadlines
from caseflow.dashboards.aggregates import AGE_BANDS, WORK_STATES
from caseflow.enums import CaseState, Channel, Finding, Sanction
from caseflow.extensions import db
from caseflow.models import Allegation, Case, Category, Office, User
from caseflow.reference import ensure_categories
from tests import factories
from tests.attacks.stats_solver import Published, recovered

try:  # the public bound of the noise added to shown counts (none before perturbation existed)
    from caseflow.dashboards.protect import NOISE_BOUND
except ImportError:  # pragma: no cover - the code before the protection
    NOISE_BOUND = 0

NOW = datetime(2026, 3, 2, 9, 0)
Member = Callable[[Case], bool]


def _month_range(first: date, months: int) -> Iterator[tuple[date, date]]:
    y, m = first.year, first.month
    for _i in range(months):
        start = date(y, m, 1)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        yield start, date(y, m, 1) - timedelta(days=1)


def _periods() -> list[tuple[date, date]]:
    """The last twelve whole months, each quarter of them, and all twelve (what a manager may ask for)."""
    months = list(_month_range(date(2025, 3, 1), 12))
    quarters = [(months[i][0], months[i + 2][1]) for i in range(0, 12, 3)]
    return [*months, *quarters, (months[0][0], months[-1][1])]


def _filters() -> list[dict[str, str]]:
    offices = db.session.scalars(sa.select(Office.id)).all()
    categories = db.session.scalars(sa.select(Category.id)).all()
    out: list[dict[str, str]] = [{}]
    out += [{"office": str(o)} for o in offices]
    out += [{"category": str(c)} for c in categories]
    out += [{"channel": c.value} for c in db.session.scalars(sa.select(Case.channel).distinct())]
    return out


def _tables(text: str) -> dict[str, list[list[str]]]:
    """Split the dashboard CSV into its titled tables."""
    tables: dict[str, list[list[str]]] = {}
    block: list[list[str]] = []
    for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))):
        if not row:
            if block:
                tables[block[0][0]] = block[1:]
            block = []
        else:
            block.append(row)
    if block:
        tables[block[0][0]] = block[1:]
    return tables


def _shown(value: str) -> int | None:
    try:
        return int(value)
    except ValueError:
        return None  # "<5", "hidden", "–": no number


class Truth:
    """The records behind each published number, computed from the database (the identities a reader knows)."""

    def __init__(self) -> None:
        self.cases = list(db.session.scalars(sa.select(Case)))
        self.allegations = list(db.session.scalars(sa.select(Allegation).where(Allegation.finding_at.is_not(None))))
        self.case_of = {c.id: c for c in self.cases}
        self.categories = {c.id: c.label for c in db.session.scalars(sa.select(Category))}
        self.names = dict(db.session.execute(sa.select(User.id, User.full_name)).all())

    def band(self, case: Case) -> str:
        age = NOW - case.received_at
        band = 0
        for i, (lo, _hi, _label) in enumerate(AGE_BANDS):
            if age >= timedelta(days=lo):
                band = i
        return AGE_BANDS[band][2]

    def scoped(self, case: Case, flt: dict[str, str]) -> bool:
        return (("office" not in flt or case.office_id == int(flt["office"]))
                and ("category" not in flt or case.category_id == int(flt["category"]))
                and ("channel" not in flt or case.channel.value == flt["channel"]))

    def cells(self, title: str, rows: list[list[str]], flt: dict[str, str], start: date,
              end: date) -> list[tuple[str, set[Any], str]]:
        """Return (system, records, shown) for each number of one table, or nothing for tables not modelled."""
        lo, hi = datetime(start.year, start.month, start.day), datetime(end.year, end.month, end.day) + timedelta(1)
        received = [c for c in self.cases if lo <= c.received_at < hi and self.scoped(c, flt)]
        header, body = rows[0], rows[1:]
        out: list[tuple[str, set[Any], str]] = []

        def grid(system: str, population: list[Any], row_of: Callable[[Any], str],
                 col_of: Callable[[Any], str], cols: list[str] | None = None) -> None:
            by: dict[tuple[str, str], set[Any]] = {}
            for x in population:
                record = ("c" if isinstance(x, Case) else "a", x.id)
                r, c = row_of(x), col_of(x)
                for key in ((r, c), (r, "Total"), ("Total", c), ("Total", "Total")):
                    by.setdefault(key, set()).add(record)
            for line in body:
                for j, value in enumerate(line[1:], start=1):
                    if cols is None or header[j] in cols:
                        out.append((system, by.get((line[0], header[j]), set()), value))

        if title == "Cases received per month, by channel":
            grid("received", received, lambda c: f"{c.received_at:%Y-%m}", lambda c: c.channel.label)
        elif title == "Cases received per month, by category":
            grid("received", received, lambda c: f"{c.received_at:%Y-%m}",
                 lambda c: self.categories.get(c.category_id, "Not categorised"))
        elif title == "Anonymous and named complaints":
            grid("received", received, lambda c: "Anonymous" if c.is_anonymous else "Named", lambda _c: "Cases")
        elif title == "Anonymous reporters who followed up":
            grid("received", [c for c in received if c.is_anonymous], lambda _c: "Anonymous cases",
                 lambda _c: "Cases", cols=["Cases"])
        elif title.startswith("Time to triage and to close"):
            timed = [("Receipt to triage decision", c) for c in received if c.triaged_at] + \
                [("Receipt to closure", c) for c in received if c.closed_at]
            for line in body:
                records = {("c", c.id) for label, c in timed if label == line[0]}
                out.append(("received", records, line[1]))
        elif title.startswith("Open cases now, by state"):
            open_cases = [c for c in self.cases if c.state in deadlines.OPEN_STATES and self.scoped(c, flt)]
            grid("open", open_cases, lambda c: c.state.label, self.band)
        elif title.startswith("Investigator workload"):
            working = [c for c in self.cases if c.state in WORK_STATES and c.lead_investigator_id
                       and self.scoped(c, flt)]
            grid("open", working, lambda c: self.names[c.lead_investigator_id], lambda c: c.state.label)
        elif title.startswith(("Findings per allegation", "Sanctions decided", "Substantiation rate")):
            found = [a for a in self.allegations
                     if lo <= a.finding_at < hi and self.scoped(self.case_of[a.case_id], flt)]
            if title.startswith("Findings"):
                grid("findings", found, lambda a: a.finding.label, lambda _a: "Allegations")
            elif title.startswith("Sanctions"):
                grid("findings", [a for a in found if a.decided_sanction], lambda a: a.decided_sanction.label,
                     lambda _a: "Allegations")
            else:
                for line in body:
                    out.append(("findings", {("a", a.id) for a in found}, line[1]))
                    out.append(("findings", {("a", a.id) for a in found if a.finding == Finding.SUSTAINED}, line[2]))
        return out


def _collect(client: Any) -> tuple[dict[str, list[Published]], int]:
    """Download every period x filter as CSV and return the published numbers per system, and the request count."""
    truth, seen, requests = Truth(), {}, 0
    cells: dict[str, list[Published]] = {"received": [], "open": [], "findings": []}
    every, offices = _filters(), [{}] + [f for f in _filters() if "office" in f]
    for start, end in _periods():
        # single months by office; quarters and the year by every office, category and channel
        for flt in offices if (end - start).days < 31 else every:
            args = {"start": start.isoformat(), "end": end.isoformat(), **flt}
            response = client.get("/dashboard/export.csv", query_string=args)
            requests += 1
            assert response.status_code == 200
            for title, rows in _tables(response.get_data(as_text=True)).items():
                for system, records, value in truth.cells(title, rows, flt, start, end):
                    key = (system, frozenset(records))
                    if key in seen:
                        continue
                    seen[key] = value
                    cells[system].append(Published(frozenset(records), _shown(value), len(records)))
    return cells, requests


def _numbers_in(text: str) -> set[int]:
    return {int(w) for w in text.replace("\xa0", " ").split() if w.isdigit()}


def _check_other_outputs(client: Any, cells: dict[str, list[Published]], threshold: int) -> None:
    """The page, the XLSX and the PDF for the year show the numbers of the CSV and nothing more (no note with
    a small count in it)."""
    start, end = _periods()[-1]
    args = {"start": start.isoformat(), "end": end.isoformat()}
    page = client.get("/dashboard", query_string=args).get_data(as_text=True)
    assert "at least one clock overdue" not in page
    book = load_workbook(io.BytesIO(client.get("/dashboard/export.xlsx", query_string=args).data))
    csv_text = client.get("/dashboard/export.csv", query_string=args).get_data(as_text=True)
    xlsx_values = {str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None}
    assert {v for row in csv.reader(io.StringIO(csv_text.lstrip("\ufeff"))) for v in row[1:]} <= xlsx_values | {""}
    pdf = client.post("/reports/management", data=args)
    assert pdf.status_code == 200
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf.data, capture_output=True,
                          check=True).stdout.decode()
    assert "Management report" in text and "at least one clock overdue" not in text


def _attack(client: Any, threshold: int) -> None:
    cells, requests = _collect(client)
    _check_other_outputs(client, cells, threshold)
    found = {system: recovered(published, threshold, NOISE_BOUND) for system, published in cells.items()}
    small = sum(1 for published in cells.values() for p in published if 0 < p.true < threshold)
    assert small > 20, "the data set has small counts to attack"
    assert requests > 150
    assert found == {"received": [], "open": [], "findings": []}, found


def _manager(login_as: Any) -> Any:
    return login_as(factories.make_user("manager", "maria-attacker"))


def test_demo_data_gives_away_no_small_count(app: Any, clock: Any, login_as: Any) -> None:
    from caseflow.demo import load_demo

    load_demo(cases=120)
    db.session.commit()
    _attack(_manager(login_as), app.config["CASEFLOW_SUPPRESSION_THRESHOLD"])


def test_many_small_offices_give_away_no_small_count(app: Any, clock: Any, login_as: Any) -> None:
    rng = random.Random(14)
    ensure_categories()
    categories = db.session.scalars(sa.select(Category.id).limit(3)).all()
    offices = [factories.make_office(f"Border post {i}") for i in range(12)]
    leads = [factories.make_user("investigator", f"lead{i}", full_name=f"Lead {i}") for i in range(3)]
    channels = [Channel.PHONE, Channel.WEB, Channel.LETTER]
    for i in range(170):
        received = NOW - timedelta(days=rng.uniform(1, 360))
        case = factories.make_case(channel=rng.choice(channels), commit=False, received_at=received,
                                   office_id=offices[min(11, int(rng.expovariate(0.25)))].id,
                                   category_id=rng.choice(categories), is_anonymous=rng.random() < 0.3)
        case.state = rng.choice([CaseState.TRIAGE, CaseState.INVESTIGATION, CaseState.CLOSED, CaseState.CLOSED])
        if case.state != CaseState.TRIAGE:
            case.triaged_at = received + timedelta(days=rng.uniform(1, 20))
            case.lead_investigator_id = rng.choice(leads).id
        if case.state == CaseState.CLOSED:
            case.closed_at = case.triaged_at + timedelta(days=rng.uniform(5, 120))
            case.state = CaseState.CLOSED if case.closed_at < NOW else CaseState.INVESTIGATION
            if case.state == CaseState.CLOSED:
                db.session.add(Allegation(case_id=case.id, conduct=f"conduct {i}", finding=rng.choice(list(Finding)),
                                          finding_at=case.closed_at - timedelta(days=1),
                                          decided_sanction=rng.choice(list(Sanction))))
            else:
                case.closed_at = None
    db.session.commit()
    _attack(_manager(login_as), app.config["CASEFLOW_SUPPRESSION_THRESHOLD"])
