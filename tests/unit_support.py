"""Two reporting units with their own staff, for the unit tests and attacks."""

from __future__ import annotations

import csv
import io
from typing import Any

from caseflow.enums import Role
from caseflow.extensions import db
from caseflow.models.units import ReportingUnit
from caseflow.units.operations import UnitFields, create_unit
from tests import factories

NAMES = {
    "internal-affairs": {"en": "Internal Affairs", "fr": "Affaires internes", "es": "Asuntos Internos",
                         "pt": "Assuntos Internos", "ar": "الشؤون الداخلية"},
    "ethics": {"en": "Ethics Office", "fr": "Bureau de la déontologie", "es": "Oficina de Ética",
               "pt": "Gabinete de Ética", "ar": "مكتب الأخلاقيات"},
}


def make_unit(key: str, members: list[Any] = (), supervisors: list[Any] = (), **kw: Any) -> ReportingUnit:  # type: ignore[assignment]
    """Create a unit named in the five languages, with these members and supervisors."""
    names = kw.pop("names", NAMES.get(key, {"en": key.title()}))
    unit = create_unit(UnitFields(key=key, names=names, descriptions={"en": f"About {key}."},
                                  member_ids=[u.id for u in members], supervisor_ids=[u.id for u in supervisors],
                                  **kw), None)
    db.session.commit()
    return unit


def two_units(users: dict[str, Any]) -> dict[str, Any]:
    """Internal Affairs (Ivan, intake officer, Sara) and the Ethics Office (Iris, its intake officer, Samuel)."""
    ethics_intake = factories.make_user(Role.INTAKE_OFFICER, "etienne", full_name="Etienne Moreau")
    ia = make_unit("internal-affairs", members=[users["investigator"], users["intake"]],
                   supervisors=[users["supervisor"]])
    ethics = make_unit("ethics", members=[users["investigator2"], ethics_intake], supervisors=[users["supervisor2"]])
    return {"ia": ia, "ethics": ethics, "ethics_intake": ethics_intake}


DASHBOARD_MONTH = {"start": "2026-02-01", "end": "2026-02-28"}
RECEIVED_TABLE = "Cases received per month, by channel"


def dashboard_total(client: Any, **args: str) -> str:
    """Return the grand total of cases received in February 2026 as the viewer's dashboard CSV export gives it."""
    response = client.get("/dashboard/export.csv", query_string={**DASHBOARD_MONTH, **args})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    at = next(i for i, row in enumerate(rows) if row and row[0] == RECEIVED_TABLE)
    return next(row for row in rows[at + 1:] if row and row[0] == "Total")[-1]
