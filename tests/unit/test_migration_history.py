"""Databases made at earlier commits of main upgrade to exactly the models' schema (0011_repair).

Each commit that changed 0001 or 0002 after a database could have been made with it: an empty database
is upgraded with that commit's own revision files (tests/old_schema.py), then with head's, and must then
match the models, with the full-text objects in place.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from caseflow import ROOT, search
from caseflow.app import create_app
from caseflow.extensions import db
from config import TestConfig
from tests import dbsetup, old_schema

# Commits whose 0001 or 0002 a database may report (env.py repairs them first, then 0011_repair).
STAMPED_0001 = ["8dd6f82", "3450de1", "356de72", "6f764aa", "7f225ac"]
STAMPED_0002 = ["4b17428", "6640180", "28b8935", "feb7d49", "7916340", "a44d6fd", "479c09e"]
MIGRATIONS = str(ROOT / "migrations")


def search_objects(conn: sa.Connection) -> set[str]:
    """Return the names of the full-text objects present (FTS5 table and triggers, or vector and index)."""
    if conn.dialect.name == "sqlite":
        rows = conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE name IN "
            "('cases_fts', 'cases_fts_ai', 'cases_fts_ad', 'cases_fts_au')").scalars()
        return set(rows)
    inspector = sa.inspect(conn)
    columns = {c["name"] for c in inspector.get_columns("cases")} & {"search_vector"}
    indexes = {i["name"] for i in inspector.get_indexes("cases")} & {"ix_cases_search_vector",
                                                                    "ix_cases_fulltext"}
    return columns | indexes


def schema_snapshot(conn: sa.Connection) -> list:
    """Return every table's columns (name, type, nullability), indexes and constraints, for comparison."""
    inspector = sa.inspect(conn)
    snapshot = []
    for table in sorted(inspector.get_table_names()):
        if table == "alembic_version":
            continue
        columns = [(c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)]
        indexes = sorted((i["name"], str(i["column_names"])) for i in inspector.get_indexes(table))
        uniques = sorted(str(u["column_names"]) for u in inspector.get_unique_constraints(table))
        foreign = sorted(str(f["constrained_columns"]) for f in inspector.get_foreign_keys(table))
        snapshot.append((table, columns, indexes, uniques, foreign))
    return snapshot


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("old_schema")


def test_the_listed_commits_are_every_0002_era_commit():
    commits = old_schema.history_commits()
    assert commits == STAMPED_0001 + STAMPED_0002


@pytest.mark.parametrize("commit", STAMPED_0001 + STAMPED_0002)
def test_database_made_at_an_earlier_commit_upgrades_to_the_models(commit, workdir):
    name = f"caseflow_hist_{commit}_{dbsetup.worker_id()}"
    url = dbsetup.make_database(name, str(workdir))
    try:
        old_schema.build(commit, url, workdir)
        app = create_app(TestConfig(str(workdir / commit), url))
        with app.app_context():
            upgrade(directory=MIGRATIONS)
            with db.engine.connect() as conn:
                opts = {"compare_type": True, "include_name": search.include_name}
                diff = compare_metadata(MigrationContext.configure(conn, opts=opts), db.metadata)
                found = search_objects(conn)
            db.engine.dispose()
        assert diff == [], f"a database made at {commit} differs from the models after upgrade: {diff}"
        wanted = ({"cases_fts", "cases_fts_ai", "cases_fts_ad", "cases_fts_au"} if url.startswith("sqlite")
                  else {"search_vector", "ix_cases_search_vector"})
        assert found == wanted
    finally:
        dbsetup.drop_database(name)


def test_repair_leaves_a_database_made_at_head_unchanged(tmp_path):
    name = f"caseflow_hist_head_{dbsetup.worker_id()}"
    url = dbsetup.make_database(name, str(tmp_path))
    app = create_app(TestConfig(str(tmp_path), url))
    try:
        with app.app_context():
            upgrade(directory=MIGRATIONS, revision="0011_repair-1")
            with db.engine.connect() as conn:
                before = (schema_snapshot(conn), search_objects(conn))
            upgrade(directory=MIGRATIONS, revision="0011_repair")
            with db.engine.connect() as conn:
                after = (schema_snapshot(conn), search_objects(conn))
            db.engine.dispose()
        assert after == before
    finally:
        dbsetup.drop_database(name)
