"""Revision 0019 moves existing staff links of subjects into the blind reference and the sealed id, and back."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from caseflow import ROOT, casekeys, crypto
from caseflow.app import create_app
from caseflow.crypto import user_ref
from caseflow.extensions import db
from caseflow.models import Case
from config import TestConfig
from tests import dbsetup

MIGRATIONS = str(ROOT / "migrations")


def _dummy(column: dict) -> object:
    kind = column["type"]
    if isinstance(kind, sa.Integer):
        return 1
    if isinstance(kind, sa.Boolean):
        return False
    if isinstance(kind, sa.DateTime | sa.Date):
        return datetime(2026, 1, 5, 10, 0)
    if isinstance(kind, sa.LargeBinary):
        return b"x"
    return "x"


def _insert(conn: sa.Connection, table: str, **values: object) -> None:
    """Insert a row giving every required column a plausible value (the schema of that revision, not the models)."""
    for column in sa.inspect(conn).get_columns(table):
        needs = not column["nullable"] and column["default"] is None and column.get("autoincrement") is not True
        if column["name"] not in values and needs and column["name"] != "id":
            values[column["name"]] = _dummy(column)
    names = ", ".join(values)
    marks = ", ".join(f":{k}" for k in values)
    conn.execute(sa.text(f"INSERT INTO {table} ({names}) VALUES ({marks})"), values)  # noqa: S608 - test names


def test_existing_links_move_into_the_reference_and_back(tmp_path):
    name = f"caseflow_mig19_{dbsetup.worker_id()}"
    url = dbsetup.make_database(name, str(tmp_path))
    app = create_app(TestConfig(str(tmp_path), url))
    try:
        with app.app_context():
            crypto.kek_fingerprint()  # the installation's key file, as a database with rows has
            upgrade(directory=MIGRATIONS, revision="0019_tokenunits")
            with db.engine.begin() as conn:
                _insert(conn, "users", id=41, username="kbrandt", role="investigator")
                _insert(conn, "cases", id=7, number="IA-2026-00007", state="triage", channel="phone",
                        priority="medium", seq=7)
                _insert(conn, "people", id=3, full_name="s1:x", user_id=41)
                _insert(conn, "case_parties", id=5, case_id=7, person_id=3, role="subject")
                _insert(conn, "subject_matches", id=9, case_id=7, person_id=3, user_id=41, status="linked",
                        basis="badge")
            upgrade(directory=MIGRATIONS, revision="0020_subjectrefs")
            with db.engine.connect() as conn:
                person = conn.execute(sa.text("SELECT * FROM people WHERE id = 3")).mappings().one()
                match = conn.execute(sa.text("SELECT * FROM subject_matches WHERE id = 9")).mappings().one()
            assert "user_id" not in person and "user_id" not in match
            assert person["user_ref"] == user_ref(41) and match["user_ref"] == user_ref(41)
            case = db.session.get(Case, 7)
            assert casekeys.open_text(case, match["sealed_user"]) == "41"  # the case key made for it opens it
            db.session.remove()
            downgrade(directory=MIGRATIONS, revision="0019_tokenunits")
            with db.engine.connect() as conn:
                assert conn.execute(sa.text("SELECT user_id FROM people WHERE id = 3")).scalar() == 41
                assert conn.execute(sa.text("SELECT user_id FROM subject_matches WHERE id = 9")).scalar() == 41
            db.engine.dispose()
    finally:
        dbsetup.drop_database(name)
