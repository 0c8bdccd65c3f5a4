"""A manager collects every number the dashboard, its filters and periods, the exports and the management PDF
show, and tries to work out a count from 1 to threshold-1 by differencing and exact linear solving."""

from __future__ import annotations

import csv
import io
import random
import re
import subprocess
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa
from openpyxl import load_workbook

from caseflow import deadlines
from caseflow.dashboards.aggregates import AGE_BANDS, WORK_STATES
from caseflow.dashboards.director import band_label
from caseflow.enums import CaseState, Channel, Finding, Sanction
from caseflow.extensions import db
from caseflow.incident import BANDS
from caseflow.models import Allegation, Case, Category, Office, ReportingUnit, User
from caseflow.reference import ensure_categories
from tests import factories
from tests.attacks.stats_solver import Published, recovered
from tests.unit_support import make_unit

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
    out += [{"unit": str(u)} for u in db.session.scalars(sa.select(ReportingUnit.id))]
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


def _snapshot(rows: list[Any], kind: str, names: tuple[str, ...]) -> list[SimpleNamespace]:
    """Plain copies of the rows (the ORM objects expire at every request's commit)."""
    return [SimpleNamespace(kind=kind, **{n: getattr(r, n) for n in names}) for r in rows]


CASE_FIELDS = ("id", "received_at", "office_id", "category_id", "channel", "is_anonymous", "state",
               "lead_investigator_id", "acknowledged_at", "triaged_at", "feedback_given_at", "closed_at",
               "incident_band", "unit_id")
ALLEGATION_FIELDS = ("id", "case_id", "finding", "finding_at", "decided_sanction")
PERIOD = re.compile(r"\((\d{4}-\d{2})(?: – (\d{4}-\d{2}))?\)")


def _months(first: str, last: str) -> set[str]:
    out, key = set(), first
    while key <= last:
        out.add(key)
        y, m = int(key[:4]), int(key[5:7])
        key = f"{y + m // 12:04d}-{m % 12 + 1:02d}"
    return out


class Truth:
    """The records behind each published number, computed from the database (the identities a reader knows)."""

    def __init__(self) -> None:
        self.cases = _snapshot(list(db.session.scalars(sa.select(Case))), "c", CASE_FIELDS)
        self.allegations = _snapshot(list(db.session.scalars(
            sa.select(Allegation).where(Allegation.finding_at.is_not(None)))), "a", ALLEGATION_FIELDS)
        self.case_of = {c.id: c for c in self.cases}
        self.categories = {c.id: c.label for c in db.session.scalars(sa.select(Category))}
        self.offices = {o.id: (o.name, o.headcount) for o in db.session.scalars(sa.select(Office))}
        self.names = dict(db.session.execute(sa.select(User.id, User.full_name).where(User.id.in_(
            {c.lead_investigator_id for c in self.cases if c.lead_investigator_id}))).all())
        self.rates_checked = 0

    def band(self, case: Any) -> str:
        age = NOW - case.received_at
        band = 0
        for i, (lo, _hi, _label) in enumerate(AGE_BANDS):
            if age >= timedelta(days=lo):
                band = i
        return AGE_BANDS[band][2]

    def scoped(self, case: Any, flt: dict[str, str]) -> bool:
        return (("office" not in flt or case.office_id == int(flt["office"]))
                and ("category" not in flt or case.category_id == int(flt["category"]))
                and ("channel" not in flt or case.channel.value == flt["channel"])
                and ("unit" not in flt or case.unit_id == int(flt["unit"])))

    @staticmethod
    def clock(case: Any, row: str) -> str | None:
        """Return 'met', 'late' or None (pending) for one legal clock of a case, as the compliance table counts."""
        if row.startswith("Acknowledged"):
            done, due = case.acknowledged_at, case.received_at + timedelta(days=7)
        elif row.startswith("Triage"):
            done, due = case.triaged_at, case.received_at + timedelta(days=14)
        else:
            done = case.feedback_given_at
            due = deadlines.add_months(case.acknowledged_at or case.received_at + timedelta(days=7), 3)
        if done is not None:
            return "met" if done <= due else "late"
        return "late" if NOW > due else None

    def cells(self, title: str, rows: list[list[str]], flt: dict[str, str], start: date,
              end: date) -> list[tuple[str, set[Any], str]]:
        """Return (system, records, shown) for each number of one table, or nothing for tables not modelled."""
        lo, hi = datetime(start.year, start.month, start.day), datetime(end.year, end.month, end.day) + timedelta(1)
        received = [c for c in self.cases if lo <= c.received_at < hi and self.scoped(c, flt)]
        found = [a for a in self.allegations if lo <= a.finding_at < hi and self.scoped(self.case_of[a.case_id], flt)]
        header, body = rows[0], rows[1:]
        out: list[tuple[str, set[Any], str]] = []

        def grid(system: str, population: list[Any], row_of: Callable[[Any], str],
                 col_of: Callable[[Any], str], cols: list[str] | None = None) -> None:
            by: dict[tuple[str, str], set[Any]] = {}
            for x in population:
                record = (x.kind, x.id)
                r, c = row_of(x), col_of(x)
                for key in ((r, c), (r, "Total"), ("Total", c), ("Total", "Total")):
                    by.setdefault(key, set()).add(record)
            for line in body:
                for j, value in enumerate(line[1:], start=1):
                    if cols is None or header[j] in cols:
                        out.append((system, by.get((line[0], header[j]), set()), value))

        def in_months(months: set[str]) -> tuple[list[Any], list[Any]]:
            cases = [c for c in self.cases if f"{c.received_at:%Y-%m}" in months and self.scoped(c, flt)]
            alls = [a for a in self.allegations if f"{a.finding_at:%Y-%m}" in months
                    and self.scoped(self.case_of[a.case_id], flt)]
            return cases, alls

        def recs(xs: list[Any]) -> set[Any]:
            return {(x.kind, x.id) for x in xs}

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
        elif title.startswith(("Legal-clock compliance", "Targets per legal clock")):
            for line in body:
                outcome = {c.id: self.clock(c, line[0]) for c in received}
                for j, name in enumerate(header):
                    wanted = {"Decided": ("met", "late"), "On time": ("met",), "Late": ("late",)}.get(name)
                    if wanted:
                        out.append(("received", {("c", i) for i, o in outcome.items() if o in wanted}, line[j]))
        elif title.startswith("Open cases now, by state"):
            open_cases = [c for c in self.cases if c.state in deadlines.OPEN_STATES and self.scoped(c, flt)]
            grid("open", open_cases, lambda c: c.state.label, self.band)
        elif title.startswith("Investigator workload"):
            working = [c for c in self.cases if c.state in WORK_STATES and c.lead_investigator_id
                       and self.scoped(c, flt)]
            grid("open", working, lambda c: self.names[c.lead_investigator_id], lambda c: c.state.label)
        elif title.startswith(("Findings per allegation", "Sanctions decided", "Substantiation rate")):
            if title.startswith("Findings"):
                grid("findings", found, lambda a: a.finding.label, lambda _a: "Allegations")
            elif title.startswith("Sanctions"):
                grid("findings", [a for a in found if a.decided_sanction], lambda a: a.decided_sanction.label,
                     lambda _a: "Allegations")
            else:
                for line in body:
                    out.append(("findings", recs(found), line[1]))
                    out.append(("findings", recs([a for a in found if a.finding == Finding.SUSTAINED]), line[2]))
        elif title.startswith("This period against"):
            for j in (1, 2, 4):  # this period, the previous one, a year earlier (the months in the heading)
                first, last = PERIOD.search(header[j]).groups()  # type: ignore[union-attr]
                cases, alls = in_months(_months(first, last or first))
                sets = {"Cases received": cases, "Anonymous cases": [c for c in cases if c.is_anonymous],
                        "Allegations decided": alls,
                        "Allegations sustained": [a for a in alls if a.finding == Finding.SUSTAINED]}
                for line in body:
                    system = "findings" if line[0].startswith("Allegations") else "received"
                    out.append((system, recs(sets[line[0]]), line[j]))
        elif title == "Trend over the years":
            for line in body:
                year = line[0][:4]
                last = re.search(r"(\d{4}-\d{2})\)$", line[0])  # "2026 (to 2026-02)": a year so far
                cases, alls = in_months(_months(f"{year}-01", last.group(1) if last else f"{year}-12"))
                out.append(("received", recs(cases), line[1]))
                out.append(("findings", recs(alls), line[2]))
                out.append(("findings", recs([a for a in alls if a.finding == Finding.SUSTAINED]), line[3]))
        elif title == "Cases received by office and category":
            grid("received", received, lambda c: self.offices[c.office_id][0] if c.office_id else "No office",
                 lambda c: self.categories.get(c.category_id, "Not categorised"))
        elif title == "Rates per 100 staff":
            for line in body:
                office = next(i for i, (name, _h) in self.offices.items() if name == line[0])
                cases = recs([c for c in received if c.office_id == office])
                sustained = recs([a for a in found if self.case_of[a.case_id].office_id == office
                                  and a.finding == Finding.SUSTAINED])
                for count_at, rate_at, records in ((2, 3, cases), (4, 5, sustained)):
                    system = "received" if count_at == 2 else "findings"
                    out.append((system, records, line[count_at]))
                    if _rate(line[rate_at]) is not None:  # a rate times the known headcount is a count
                        staff = int(line[1])
                        derived = round(_rate(line[rate_at]) * staff / 100)  # type: ignore[operator]
                        assert str(derived) == line[count_at], (line, "rate not from the count as shown")
                        self.rates_checked += 1
                        out.append((system, records, str(derived)))
        elif title == "Substantiation by channel and by anonymity":
            for line in body:
                if line[0] == "Named reporters":
                    chosen = [a for a in found if not self.case_of[a.case_id].is_anonymous]
                elif line[0] == "Anonymous reporters":
                    chosen = [a for a in found if self.case_of[a.case_id].is_anonymous]
                else:
                    chosen = [a for a in found if self.case_of[a.case_id].channel.label == line[0]]
                out.append(("findings", recs(chosen), line[1]))
                out.append(("findings", recs([a for a in chosen if a.finding == Finding.SUSTAINED]), line[2]))
        elif title == "Time from incident to report":
            labels = {b: band_label(b) for b in [*range(len(BANDS)), None]}
            grid("received", received, lambda c: labels[c.incident_band], lambda _c: "Cases")
        return out


def _rate(value: str) -> float | None:
    try:
        return float(value.replace(" %", ""))
    except ValueError:
        return None


def _collect(client: Any) -> tuple[dict[str, list[Published]], int, Truth]:
    """Download every period x filter as CSV; return the published numbers per system, the request count and
    what the attacker knows of the records."""
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
    return cells, requests, truth


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
    _check_summary_page(pdf.data, csv_text)


SUMMARY_LABELS = ("Acknowledged within 7 days", "Triage decided within 14 days", "Feedback within 3 months",
                  "per 100 staff")
NUMBER = re.compile(r"(?<![\w.-])[+-]?\d[\d,]*(?:\.\d+)?(?![\w-])")


def _check_summary_page(pdf: bytes, csv_text: str) -> None:
    """Every number on the one-page summary is one the CSV of the same period shows (it adds none)."""
    page = subprocess.run(["pdftotext", "-layout", "-f", "1", "-l", "1", "-", "-"], input=pdf,
                          capture_output=True, check=True).stdout.decode()
    assert "Summary for" in page and "Top concerns" in page and "Targets" in page
    page = page.split("These figures are protected")[0]  # the protection note: its bound and threshold
    for label in SUMMARY_LABELS:
        page = page.replace(label, "")
    shown = {v.replace(" %", "").lstrip("+") for row in csv.reader(io.StringIO(csv_text.lstrip("\ufeff")))
             for v in row[1:]}
    numbers = {n.lstrip("+") for n in NUMBER.findall(page)}
    assert numbers, page
    assert numbers <= shown, (numbers - shown, page)


def _attack(client: Any, threshold: int) -> None:
    cells, requests, truth = _collect(client)
    assert truth.rates_checked > 20, "rates per 100 staff were read back into counts"
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
    offices = [factories.make_office(f"Border post {chr(65 + i)}") for i in range(12)]  # no digit in a name
    for office in offices:  # small, known headcounts: a rate per 100 staff gives its count back exactly
        office.headcount = rng.randint(6, 60)
    leads = [factories.make_user("investigator", f"lead{i}", full_name=f"Lead {i}") for i in range(3)]
    units = [make_unit("internal"), make_unit("ethics"), None]  # a manager may filter by reporting unit too
    channels = [Channel.PHONE, Channel.WEB, Channel.LETTER]
    for i in range(170):
        received = NOW - timedelta(days=rng.uniform(1, 360))
        case = factories.make_case(channel=rng.choice(channels), commit=False, received_at=received,
                                   office_id=offices[min(11, int(rng.expovariate(0.25)))].id,
                                   category_id=rng.choice(categories), is_anonymous=rng.random() < 0.3,
                                   unit=rng.choice(units))
        case.incident_band = rng.choice([0, 0, 1, 2, 3, None])
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
