"""Migrations: upgrade to head gives exactly the models' schema; downgrade then upgrade works."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from caseflow import ROOT, search
from caseflow.app import create_app
from caseflow.extensions import db
from config import TestConfig
from tests import dbsetup


def test_upgrade_matches_models_and_downgrade_roundtrips(tmp_path):
    name = f"caseflow_mig_{dbsetup.worker_id()}"
    url = dbsetup.make_database(name, str(tmp_path))
    app = create_app(TestConfig(str(tmp_path), url))
    directory = str(ROOT / "migrations")
    try:
        with app.app_context():
            upgrade(directory=directory)
            with db.engine.connect() as conn:
                opts = {"compare_type": True, "include_name": search.include_name}
                diff = compare_metadata(MigrationContext.configure(conn, opts=opts), db.metadata)
            assert diff == [], f"models and migrations differ: {diff}"
            downgrade(directory=directory, revision="base")
            with db.engine.connect() as conn:
                assert set(db.inspect(conn).get_table_names()) <= {"alembic_version"}
            upgrade(directory=directory)
            with db.engine.connect() as conn:
                assert "cases" in db.inspect(conn).get_table_names()
            db.engine.dispose()
    finally:
        dbsetup.drop_database(name)
