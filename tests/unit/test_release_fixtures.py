"""A populated database of each release upgrades to head, verifies its audit chain and renders its pages."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade
from sqlalchemy.engine import make_url

from caseflow import ROOT
from caseflow.app import create_app
from caseflow.extensions import db
from config import TestConfig
from tests import dbsetup

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
RELEASES = sorted(p.name for p in FIXTURES.glob("release-*") if p.is_dir())
DEMO_PASSWORD = "Demo!CaseFlow-2026"  # noqa: S105 - the published demo credential of the fixtures


def load_dump(release: Path, url: str) -> None:
    """Load the release's dump for this database into the empty database at url."""
    if url.startswith("sqlite"):
        with sqlite3.connect(make_url(url).database) as conn:
            conn.executescript((release / "sqlite.sql").read_text())
        return
    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    psql = str(Path(os.environ.get("CASEFLOW_PG_BIN", "/usr/bin")) / "psql")
    # pg_dump's plain format loads its rows with COPY FROM stdin, which only psql reads.
    subprocess.run([psql, "-q", "-v", "ON_ERROR_STOP=1", "-f", str(release / "postgresql.sql"), plain],
                   check=True, capture_output=True)


@pytest.mark.parametrize("release", RELEASES)
def test_release_database_upgrades_verifies_and_renders(release, tmp_path):
    folder = FIXTURES / release
    name = f"caseflow_{release.replace('-', '_')}_{dbsetup.worker_id()}"
    url = dbsetup.make_database(name, str(tmp_path))
    try:
        load_dump(folder, url)
        cfg = TestConfig(str(tmp_path), url)
        cfg.CASEFLOW_KEK_FILE = str(folder / "kek")
        cfg.CASEFLOW_RECEIPT_SALT_FILE = str(folder / "receipt.salt")
        cfg.WTF_CSRF_ENABLED = False
        app = create_app(cfg)
        with app.app_context():
            upgrade(directory=str(ROOT / "migrations"))
            runner = app.test_cli_runner()
            out = runner.invoke(args=["caseflow", "init"])
            assert out.exit_code == 0, out.output
            out = runner.invoke(args=["caseflow", "audit-verify"])
            assert out.exit_code == 0, out.output
            number = db.session.execute(sa.text("SELECT number FROM cases ORDER BY id LIMIT 1")).scalar()
            db.session.remove()
            client = app.test_client()
            signed = client.post("/login", data={"username": "sara", "password": DEMO_PASSWORD})
            assert signed.status_code == 302, signed.get_data(as_text=True)[:500]
            assert client.get(f"/cases/{number}").status_code == 200
            assert client.get("/dashboard").status_code == 200
            db.session.remove()
            db.engine.dispose()
    finally:
        dbsetup.drop_database(name)
