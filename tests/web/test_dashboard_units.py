"""The dashboard filtered by reporting unit: exact for supervisors, protected alike for managers."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from caseflow.dashboards import protect
from caseflow.extensions import db
from caseflow.models import Case
from tests import factories
from tests.unit_support import DASHBOARD_MONTH, dashboard_total, make_unit


def _world(clock: Any) -> tuple[Any, Any, Any]:
    internal, ethics = make_unit("internal"), make_unit("ethics")
    north, south = factories.make_office("North post"), factories.make_office("South post")
    february = clock.now() - timedelta(days=20)
    for i in range(12):  # internal: the 12 cases of the north post; ethics: 7 of the south post's 9
        factories.make_case(commit=False, unit=internal, office_id=north.id, received_at=february + timedelta(hours=i))
    for i in range(9):
        factories.make_case(commit=False, unit=ethics if i < 7 else None, office_id=south.id,
                            received_at=february + timedelta(hours=i))
    db.session.commit()
    return internal, ethics, north


def test_supervisor_filters_the_dashboard_by_unit_exactly(app: Any, clock: Any, login_as: Any) -> None:
    internal, ethics, _north = _world(clock)
    sue = factories.make_user("supervisor", "sue-units")
    for unit in (internal, ethics):  # a supervisor of both units sees both exactly
        db.session.execute(sa.text("INSERT INTO unit_supervisors (unit_id, user_id) VALUES (:u, :s)"),
                           {"u": unit.id, "s": sue.id})
    db.session.commit()
    client = login_as(sue)
    assert dashboard_total(client) == "21"
    assert dashboard_total(client, unit=str(internal.id)) == "12"
    assert dashboard_total(client, unit=str(ethics.id)) == "7"
    page = client.get("/dashboard", query_string={**DASHBOARD_MONTH, "unit": str(ethics.id)}).get_data(as_text=True)
    assert 'name="unit"' in page and f'value="{ethics.id}" selected' in page
    assert "unit=" + str(ethics.id) in page  # the exports keep the filter
    assert client.get("/dashboard", query_string={"unit": "x' or 1=1"}).status_code == 200


def test_manager_sees_a_unit_protected_like_any_other_cell(app: Any, clock: Any, login_as: Any) -> None:
    internal, ethics, north = _world(clock)
    client = login_as(factories.make_user("manager", "max-units"))
    by_unit = dashboard_total(client, unit=str(internal.id))
    assert by_unit == dashboard_total(client, office=str(north.id))  # the same records: the same number, no new noise
    ids = db.session.scalars(sa.select(Case.id).where(Case.unit_id == internal.id)).all()
    key = db.session.scalar(sa.select(sa.func.sum(protect.record_key(Case.id))).where(Case.id.in_(ids))) or 0
    assert by_unit == str(protect.perturb(12, int(key) % protect.PRIME, 5))
    assert abs(int(by_unit) - 12) <= protect.NOISE_BOUND
    assert dashboard_total(client, unit=str(ethics.id)) in {"<5", *map(str, range(5, 11))}  # 7, perturbed
    pdf = client.post("/reports/management", data={**DASHBOARD_MONTH, "unit": str(ethics.id)})
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
