"""An integration walled to one reporting unit learns nothing of another unit's cases from a source reference."""

from __future__ import annotations

import sqlalchemy as sa

from caseflow.extensions import db
from caseflow.models import Case
from tests.conftest import login
from tests.unit_support import two_units


def test_a_walled_token_cannot_probe_another_units_source_reference(client, users):
    """The Ethics hotline re-posts a source reference Internal Affairs already holds: it gets a new case, no 409."""
    from caseflow.api.tokens import create_token

    two_units(users)
    _ia, ia_secret = create_token("ia-hotline", ["cases:create"], None, ["internal-affairs"])
    _eth, eth_secret = create_token("ethics-hotline", ["cases:create"], None, ["ethics"])
    db.session.commit()
    body = {"title": "Fees at the port", "description": "A broker asks for cash.", "source_reference": "HOT-7781"}
    first = client.post("/api/v1/cases", json=body, headers={"Authorization": f"Bearer {ia_secret}"})
    assert first.status_code == 201 and first.get_json()["unit"] == "internal-affairs"
    probe = client.post("/api/v1/cases", json=body, headers={"Authorization": f"Bearer {eth_secret}"})
    assert probe.status_code == 201, probe.get_json()
    assert probe.get_json()["unit"] == "ethics" and "HOT-7781" not in str(probe.get_json().get("error", ""))
    units = set(db.session.scalars(sa.select(Case.unit_id).where(Case.source_reference == "HOT-7781")))
    assert len(units) == 2
    # Within its own unit the reference is still a duplicate.
    again = client.post("/api/v1/cases", json=body, headers={"Authorization": f"Bearer {eth_secret}"})
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "duplicate_source_reference"


def test_a_csv_import_does_not_reveal_or_drop_on_another_units_source_reference(users):
    """Internal Affairs imports a reference the Ethics Office holds: a new IA case, not "already imported"."""
    import csv
    import io

    from caseflow.channels.csvimport import NAMES, import_csv

    two_units(users)
    db.session.commit()

    def file(unit: str) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(NAMES)
        row = {"source_reference": "ETH-CSVPROBE-6f1fd8", "title": "Gifts from a broker",
               "description": "A broker gives gifts at the post.", "unit": unit, "anonymous": "yes"}
        writer.writerow([row.get(h, "") for h in NAMES])
        return out.getvalue().encode("utf-8")

    assert import_csv(file("ethics"), None).created == 1
    db.session.commit()
    probe = import_csv(file("internal-affairs"), None)  # a guessed reference of the other unit
    assert probe.created == 1 and probe.skipped_existing == 0 and not probe.errors
    db.session.commit()
    assert len(set(db.session.scalars(sa.select(Case.unit_id)
                                      .where(Case.source_reference == "ETH-CSVPROBE-6f1fd8")))) == 2
    again = import_csv(file("internal-affairs"), None)  # within its own unit a re-import still skips it
    assert again.created == 0 and again.skipped_existing == 1


def test_moving_a_case_answers_the_same_whether_the_new_unit_holds_its_reference(client, users):
    """The Ethics supervisor moves two of his cases to Internal Affairs; one carries a reference IA holds.

    Both moves succeed alike (no 500, no refusal that would tell him IA has such a case); the moved case lets
    the clashing reference go, and the audit trail says so.
    """
    from caseflow.models import AuditEvent
    from tests.factories import make_case

    units = two_units(users)
    held = make_case(title="IA's own case", commit=False)
    held.unit_id, held.source_reference = units["ia"].id, "MOVE-REF-1"
    answers = []
    for reference in ("MOVE-REF-1", "MOVE-REF-2"):
        mine = make_case(title=f"Ethics case {reference}", commit=False)
        mine.unit_id, mine.source_reference = units["ethics"].id, reference
        db.session.commit()
        login(client, users["supervisor2"])
        moved = client.post(f"/cases/{mine.number}/access/unit",
                            data={"unit": "internal-affairs", "reason": "Customs fraud belongs to IA"})
        answers.append((moved.status_code, moved.headers.get("Location")))
        client.post("/logout")
        db.session.expire_all()
        assert db.session.get(Case, mine.id).unit_id == units["ia"].id
    assert answers[0] == answers[1] and answers[0][0] == 302
    refs = db.session.execute(sa.select(Case.title, Case.source_reference)
                              .where(Case.unit_id == units["ia"].id)).all()
    assert ("IA's own case", "MOVE-REF-1") in refs and ("Ethics case MOVE-REF-1", None) in refs
    assert ("Ethics case MOVE-REF-2", "MOVE-REF-2") in refs
    details = [str(e.detail) for e in
               db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "case.move_unit"))]
    assert len(details) == 2 and sum("source_reference_released" in d and "MOVE-REF-1" in d for d in details) == 1
