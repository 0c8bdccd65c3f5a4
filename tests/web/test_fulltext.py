"""Full-text case search (PostgreSQL tsvector + GIN, SQLite FTS5) and the capped list count."""

from __future__ import annotations

import re

from caseflow.cases import queries
from caseflow.extensions import db
from tests.factories import make_case


def _numbers(html: bytes) -> set[str]:
    return set(re.findall(r"IA-\d{4}-\d{5}", html.decode()))


def test_words_prefixes_and_non_ascii_words_find_cases(client, users, login_as):
    a = make_case(title="Officer demanded bribes at the gate", summary="Cash paid for a faster clearance")
    b = make_case(title="Rude behaviour", summary="Agent shouted at a driver in Pétionville")
    make_case(title="Lost container", summary="Paperwork missing")
    login_as(users["supervisor"])
    assert _numbers(client.get("/cases?q=bribe").data) == {a.number}
    assert _numbers(client.get("/cases?q=cash+clearance").data) == {a.number}
    assert _numbers(client.get("/cases?q=cash+container").data) == set()
    assert _numbers(client.get("/cases?q=P%C3%A9tionville").data) == {b.number}
    assert _numbers(client.get(f"/cases?q={b.number}").data) == {b.number}


def test_index_follows_edits_and_deletes(client, users, login_as):
    case = make_case(title="Smuggled tobacco", summary="")
    other = make_case(title="Smuggled perfume", summary="")
    login_as(users["supervisor"])
    assert _numbers(client.get("/cases?q=tobacco").data) == {case.number}
    case.title = "Smuggled cigarettes"
    db.session.commit()
    assert _numbers(client.get("/cases?q=tobacco").data) == set()
    assert _numbers(client.get("/cases?q=cigarettes").data) == {case.number}
    db.session.delete(other)
    db.session.commit()
    assert _numbers(client.get("/cases?q=smuggled").data) == {case.number}


def test_short_queries_fall_back_to_substring(client, users, login_as):
    a = make_case(title="Tax on ox carts")
    make_case(title="Parking")
    login_as(users["supervisor"])
    assert _numbers(client.get("/cases?q=ox").data) == {a.number}


def test_count_above_the_cap_says_more_than(client, users, login_as, monkeypatch):
    for i in range(4):
        make_case(title=f"Case {i}")
    monkeypatch.setattr(queries, "COUNT_CAP", 3)
    login_as(users["supervisor"])
    page = client.get("/cases").data.decode()
    assert "More than 3 cases" in page
    monkeypatch.setattr(queries, "COUNT_CAP", 10)
    assert "4 cases" in client.get("/cases").data.decode()
