"""A short load run in the suite: 10 anonymous reporters on the portal's gunicorn and 2 staff on the staff app's;
no errors, and every receipt issued opens exactly one stored case (nothing lost, nothing duplicated).
The full run (50 reporters, 10 staff, 60 s) is `python -m bench.load` (bench/README.md)."""

from __future__ import annotations

from bench.client import gunicorn
from bench.load import check_receipts, run_load
from caseflow.extensions import db
from tests.factories import PASSWORD


def test_concurrent_reporters_and_staff_lose_and_duplicate_nothing(app, users, tmp_path):
    staff = [(users["supervisor"].username, PASSWORD), (users["supervisor2"].username, PASSWORD)]
    db.session.remove()
    env = {"DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "FAULT_INSTANCE": app.config["INSTANCE_PATH"]}
    with gunicorn("tests.fault_app:app", env, tmp_path / "gunicorn.log") as (port, _), \
            gunicorn("tests.fault_portal_app:app", env, tmp_path / "portal.log", probe="/") as (portal_port, _):
        result = run_load(port, reporters=10, investigators=2, seconds=10, staff=staff, portal_port=portal_port)
    assert result.errors == []
    assert len(result.receipts) >= 10
    assert result.staff_ms
    db.session.remove()
    assert check_receipts(result.receipts) == []

