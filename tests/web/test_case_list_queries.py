"""The case list reads each thing once per request: the same query twice is time a supervisor waits for."""

from __future__ import annotations

from collections import Counter
from typing import Any

import sqlalchemy as sa

from caseflow.extensions import db
from tests.factories import make_case


def test_the_supervisors_case_list_runs_no_query_twice(client: Any, login_as: Any, users: dict[str, Any]) -> None:
    for n in range(3):
        make_case(title=f"Cash at gate {n}", subject="Karim Benali")
    login_as(users["supervisor"])
    assert client.get("/cases").status_code == 200
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(" ".join(statement.split()))

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert client.get("/cases").status_code == 200
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    twice = {s[:120]: n for s, n in Counter(seen).items() if n > 1}
    assert not twice, twice
    assert len(seen) <= 12, len(seen)
