"""Case numbers: IA-YYYY-NNNNN, sequential per year, unique under concurrent creation."""

from __future__ import annotations

import threading
from datetime import datetime

import sqlalchemy as sa

from caseflow.extensions import db
from caseflow.models import Case
from tests import dbsetup
from tests.factories import make_case


def test_numbers_are_sequential_per_year():
    a = make_case(received_at=datetime(2025, 12, 31, 23, 0))
    b = make_case(received_at=datetime(2026, 1, 1, 0, 5))
    c = make_case(received_at=datetime(2026, 1, 2))
    assert (a.number, b.number, c.number) == ("IA-2025-00001", "IA-2026-00001", "IA-2026-00002")


def test_concurrent_creation_gives_unique_numbers(app):
    if not dbsetup.is_postgres():
        # SQLite serialises writers itself; the interesting case is PostgreSQL's row-level concurrency.
        threads_n = 4
    else:
        threads_n = 8
    errors: list[BaseException] = []

    def work() -> None:
        with app.app_context():
            try:
                for _ in range(5):
                    make_case(received_at=datetime(2026, 5, 1))
            except BaseException as exc:  # noqa: BLE001
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=work) for _ in range(threads_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if not dbsetup.is_postgres():
        errors = [e for e in errors if "locked" not in str(e)]
    assert not errors
    seqs = sorted(db.session.scalars(sa.select(Case.seq).where(Case.year == 2026)))
    assert seqs == list(range(1, len(seqs) + 1)) and len(seqs) >= 5
