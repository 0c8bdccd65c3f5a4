"""Per-worker test databases: a SQLite file, or a database of its own on the PostgreSQL under test."""

from __future__ import annotations

import os

import psycopg
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from config import test_database_url


def worker_id() -> str:
    """Return the pytest-xdist worker name (gw0, gw1, ...) or 'main'."""
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def is_postgres() -> bool:
    """Return whether the suite runs against PostgreSQL."""
    url = test_database_url()
    return bool(url) and url.startswith("postgresql")


def make_database(name: str, tmp_dir: str) -> str:
    """Create an empty database for this worker and return its URL."""
    base = test_database_url()
    if not is_postgres():
        return f"sqlite:///{tmp_dir}/{name}.db"
    url = make_url(base)
    admin = url.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url.set(database=name).render_as_string(hide_password=False)


def drop_database(name: str) -> None:
    """Drop a worker database on PostgreSQL (SQLite files go with their temp dir)."""
    if not is_postgres():
        return
    url = make_url(test_database_url())
    admin = url.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def empty_all_tables(db: object) -> None:
    """Delete every row of every table, quickly, between tests."""
    session = db.session  # type: ignore[attr-defined]
    session.rollback()
    tables = db.metadata.sorted_tables  # type: ignore[attr-defined]
    if session.get_bind().dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        session.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in reversed(tables):
            session.execute(table.delete())
    session.commit()
