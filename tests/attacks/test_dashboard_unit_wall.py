"""Attack: a supervisor of one unit reads another unit's cases off his exact dashboard figures.

Exact figures narrowed by month, office and category single out cases; a supervisor may count only what the
unit wall lets him open: his own units' cases and cases with no unit.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from caseflow.extensions import db
from tests import factories
from tests.unit_support import DASHBOARD_MONTH, dashboard_total, make_unit


def test_a_supervisor_counts_only_the_cases_his_unit_wall_lets_him_see(clock: Any, login_as: Any) -> None:
    sara = factories.make_user("supervisor", "sara-ia")
    internal, ethics = make_unit("internal", supervisors=[sara]), make_unit("ethics")
    february = clock.now() - timedelta(days=20)
    for i in range(12):
        factories.make_case(commit=False, unit=internal, received_at=february + timedelta(hours=i))
    for i in range(7):
        factories.make_case(commit=False, unit=ethics, received_at=february + timedelta(hours=i))
    factories.make_case(commit=False, received_at=february)  # a case with no unit: every supervisor sees it
    db.session.commit()
    client = login_as(sara)
    assert dashboard_total(client) == "13"  # her unit's 12 and the unit-less one; none of the Ethics Office's 7
    assert dashboard_total(client, unit=str(ethics.id)) == "13"  # asking for the other unit narrows to nothing of it
    assert dashboard_total(client, unit=str(internal.id)) == "12"
    page = client.get("/dashboard", query_string={**DASHBOARD_MONTH, "unit": str(ethics.id)}).get_data(as_text=True)
    assert f'value="{ethics.id}"' not in page  # the other unit is not offered
    pdf = client.post("/reports/management", data={**DASHBOARD_MONTH, "unit": str(ethics.id)})
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
