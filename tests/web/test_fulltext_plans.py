"""Both search plans give the same, complete answer: rare terms (ids from the index first) and common terms
(newest cases first, each row checked), whichever the number of matches."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import pytest

from caseflow import search
from tests.factories import make_case


def _numbers(html: bytes) -> list[str]:
    return list(dict.fromkeys(re.findall(r"IA-\d{4}-\d{5}", html.decode())))  # in order, each once


@pytest.fixture
def tobacco_cases(clock: Any) -> list[Any]:
    """Seven tobacco cases received a day apart, and two others."""
    cases = [make_case(title=f"Smuggled tobacco lot {i}", summary="Seized at the north gate",
                       received_at=datetime(2026, 1, 1) + timedelta(days=i)) for i in range(7)]
    make_case(title="Perfume declared as soap", received_at=datetime(2026, 1, 20))
    make_case(title="Rude officer", received_at=datetime(2026, 1, 21))
    return cases


@pytest.mark.parametrize("selective_max", [2, 10_000])
def test_common_and_rare_terms_list_every_match_newest_first(tobacco_cases: list[Any], users: dict[str, Any],
                                                            login_as: Any, client: Any, monkeypatch: Any,
                                                            selective_max: int) -> None:
    monkeypatch.setattr(search, "SELECTIVE_MAX", selective_max)
    login_as(users["supervisor"])
    newest_first = [c.number for c in reversed(tobacco_cases)]
    page = client.get("/cases?q=tobacco").data
    assert _numbers(page) == newest_first  # 7 matches: the common plan when the bound is 2
    assert "7 cases" in page.decode()
    assert _numbers(client.get("/cases?q=tobac+north").data) == newest_first  # prefixes, all words
    assert _numbers(client.get("/cases?q=perfume").data) != []
    assert _numbers(client.get("/cases?q=tobacco+perfume").data) == []
    assert _numbers(client.get("/cases?q=zzzqqq").data) == []


def test_common_term_pages_continue_in_order(tobacco_cases: list[Any], users: dict[str, Any], login_as: Any,
                                             client: Any, monkeypatch: Any, app: Any) -> None:
    monkeypatch.setattr(search, "SELECTIVE_MAX", 2)
    monkeypatch.setitem(app.config, "CASEFLOW_PAGE_SIZE", 3)
    login_as(users["supervisor"])
    pages = [_numbers(client.get(f"/cases?q=tobacco&page={p}").data) for p in (1, 2, 3)]
    assert sum(pages, []) == [c.number for c in reversed(tobacco_cases)]
