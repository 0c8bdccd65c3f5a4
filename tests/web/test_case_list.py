"""The case list for daily use: sort by every column, saved views, supervisors' bulk actions; the case page's
header and timeline filter."""

from __future__ import annotations

import re
from collections import Counter

import pytest
import sqlalchemy as sa

from caseflow import workflow
from caseflow.cases import operations as ops
from caseflow.enums import CaseState, Priority
from caseflow.extensions import db
from caseflow.models import AuditEvent, Case, SavedView
from tests.factories import category, make_case, make_office


def _order(html: bytes | str) -> list[str]:
    text = html.decode() if isinstance(html, bytes) else html
    table = text.split('<table class="cases">')[1]
    return list(dict.fromkeys(re.findall(r'/cases/(IA-\d{4}-\d{5})"', table)))


def _token(client) -> str:
    match = re.search(r'name="form_token"[^>]*value="([^"]+)"', client.get("/cases").get_data(as_text=True))
    assert match
    return match.group(1)


@pytest.fixture
def three(users, clock):
    """Three cases that differ in every sortable column."""
    north, south = make_office("North Gate"), make_office("South Port")
    a = make_case(title="Alpha", priority=Priority.LOW, category_id=category("fraud").id, office_id=south.id)
    clock.advance(days=1)
    b = make_case(title="Bravo", priority=Priority.CRITICAL, category_id=category("bribery").id, office_id=north.id)
    clock.advance(days=1)
    c = make_case(title="Charlie", priority=Priority.MEDIUM)
    workflow.transition_case(b, CaseState.TRIAGE, users["supervisor"])
    ops.assign_lead_investigator(a, users["investigator2"], users["supervisor"])  # Iris
    ops.assign_lead_investigator(b, users["investigator"], users["supervisor"])   # Ivan
    db.session.commit()
    return a, b, c


def test_every_column_sorts_both_ways(client, users, login_as, three):
    a, b, c = (x.number for x in three)
    login_as(users["supervisor"])
    expected = {
        "number": [a, b, c], "received": [a, b, c], "state": [a, c, b] if a < c else [c, a, b],
        "priority": [a, c, b], "lead": [a, b, c], "category": [b, a, c], "office": [b, a, c],
        # acknowledgement falls due 7 days after receipt: the oldest case first
        "deadline": [a, b, c],
    }
    for key, ascending in expected.items():
        got = _order(client.get(f"/cases?sort={key}").data)
        if key == "state":
            assert got[-1] == b, key  # received before triage
        else:
            assert got == ascending, key
        desc = _order(client.get(f"/cases?sort=-{key}").data)
        missing_last = {"lead": 1, "category": 1, "office": 1}.get(key, 0)  # cases without a value stay last
        if key != "state":
            assert desc[:3 - missing_last] == list(reversed(ascending[:3 - missing_last])), key
            assert desc[3 - missing_last:] == ascending[3 - missing_last:], key
    page = client.get("/cases?sort=priority").get_data(as_text=True)
    assert 'aria-sort="ascending"' in page and "sort=-priority" in page  # the link turns the order round


@pytest.mark.parametrize("hostile", ["received;DROP TABLE cases", "--received", "id", "title", "-",
                                     "received desc", "\u0000", "x" * 5000, "deadline)--"])
def test_a_hostile_sort_key_gives_the_default_order(client, users, login_as, three, hostile):
    login_as(users["supervisor"])
    r = client.get("/cases", query_string={"sort": hostile})
    assert r.status_code in (200, 400)
    if r.status_code == 200:
        assert _order(r.data) == [x.number for x in reversed(three)]  # newest first
    assert db.session.scalar(sa.select(sa.func.count(Case.id))) == 3


def test_next_deadline_column_and_headers_do_not_split_words(client, users, login_as, three):
    login_as(users["supervisor"])
    page = client.get("/cases").get_data(as_text=True)
    assert "Next deadline" in page and "Acknowledgement" in page
    css = client.get("/static/caseflow.css").get_data(as_text=True)
    assert "table.cases th { white-space: nowrap; }" in css and "word-break: keep-all" in css
    assert '<div class="table-wrap"' in page


def test_saved_views_create_list_rename_delete(client, users, login_as, three):
    login_as(users["investigator"])
    r = client.post("/cases/views", data={"name": "  My   urgent ", "query": "sort=-priority&state=triage"})
    assert r.status_code == 302 and "sort=-priority" in r.location
    view = db.session.scalar(sa.select(SavedView))
    assert view.name == "My urgent" and view.user_id == users["investigator"].id
    page = client.get("/cases").get_data(as_text=True)
    assert "My urgent" in page and "state=triage" in page
    assert client.post("/cases/views", data={"name": "my URGENT", "query": ""}).status_code == 409
    r = client.post(f"/cases/views/{view.id}/edit", data={"name": "Triage first"})
    assert r.status_code == 302
    db.session.expire_all()
    assert db.session.get(SavedView, view.id).name == "Triage first"
    opened = client.get(f"/cases/views/{view.id}")
    assert opened.status_code == 302 and "state=triage" in opened.location
    assert client.post(f"/cases/views/{view.id}/delete").status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(SavedView.id))) == 0
    actions = set(db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.action.like("view.%"))))
    assert actions == {"view.save", "view.rename", "view.delete"}


def test_a_saved_view_stores_filters_so_it_never_shows_an_unseen_case(client, users, login_as, three):
    a, b, c = three
    login_as(users["investigator"])
    client.post("/cases/views", data={"name": "Everything", "query": ""})
    view = db.session.scalar(sa.select(SavedView))
    assert set(re.findall(r"IA-\d{4}-\d{5}", view.query)) == set()  # filters, never case numbers or ids
    assert _order(client.get(f"/cases/views/{view.id}", follow_redirects=True).data) == [b.number]
    b.lead_investigator_id = users["investigator2"].id  # taken off the case: the view follows at once
    db.session.commit()
    assert "table class=\"cases\"" not in client.get("/cases", follow_redirects=True).get_data(as_text=True)


def test_another_user_cannot_see_or_use_a_view(client, users, login_as, three):
    login_as(users["supervisor"])
    client.post("/cases/views", data={"name": "Sara's secret queue", "query": "priority=critical"})
    view = db.session.scalar(sa.select(SavedView))
    client.post("/logout")
    login_as(users["supervisor2"])
    assert "Sara's secret queue" not in client.get("/cases").get_data(as_text=True)
    assert client.get(f"/cases/views/{view.id}").status_code == 404
    assert client.get(f"/cases/views/{view.id}/edit").status_code == 404
    assert client.post(f"/cases/views/{view.id}/edit", data={"name": "mine"}).status_code == 404
    assert client.post(f"/cases/views/{view.id}/delete").status_code == 404
    db.session.expire_all()
    assert db.session.get(SavedView, view.id).name == "Sara's secret queue"


def test_bulk_assign_set_priority_and_category_go_through_the_audit(client, users, login_as, three):
    a, b, c = three
    login_as(users["supervisor"])
    numbers = [a.number, b.number, c.number]
    r = client.post("/cases/bulk", data={"case": numbers, "action": "assign_lead", "lead": users["investigator"].id,
                                         "form_token": _token(client)})
    assert r.status_code == 200
    done = r.get_data(as_text=True).split('id="bulk-done"')[1].split('id="bulk-refused"')[0]
    assert all(n in done for n in numbers) and "was already the lead investigator" in done
    db.session.expire_all()
    assert {db.session.get(Case, x.id).lead_investigator_id for x in three} == {users["investigator"].id}
    r = client.post("/cases/bulk", data={"case": numbers, "action": "priority", "priority": "high",
                                         "form_token": _token(client)})
    assert r.status_code == 200
    r = client.post("/cases/bulk", data={"case": [a.number], "action": "category",
                                         "category": category("extortion").id, "form_token": _token(client)})
    assert r.status_code == 200
    db.session.expire_all()
    assert {db.session.get(Case, x.id).priority for x in three} == {Priority.HIGH}
    assert db.session.get(Case, a.id).category_id == category("extortion").id
    events = db.session.execute(sa.select(AuditEvent.case_id, AuditEvent.action, AuditEvent.actor_id)
                                .where(AuditEvent.action.in_(("case.assign_lead", "case.update")),
                                       AuditEvent.actor_id == users["supervisor"].id)).all()
    assert sum(1 for e in events if e.action == "case.update") == 4  # three priorities, one category
    assigned = Counter(e.case_id for e in events if e.action == "case.assign_lead")
    assert assigned == {a.id: 2, b.id: 1, c.id: 1}  # one each in setting up; b was already his, so none more


def test_bulk_export_selected_cases_with_formula_cells_neutralised(client, users, login_as, three):
    a, b, c = three
    a.title = "=HYPERLINK(\"http://evil\")"
    db.session.commit()
    login_as(users["supervisor"])
    r = client.post("/cases/bulk", data={"case": [a.number, c.number], "action": "export"})
    assert r.status_code == 200 and r.mimetype == "text/csv"
    body = r.get_data(as_text=True)
    assert a.number in body and c.number in body and b.number not in body
    assert "'=HYPERLINK" in body
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "export.cases"))
    assert a.number in event.detail and b.number not in event.detail


def test_bulk_form_without_a_case_or_a_value_is_refused_cleanly(client, users, login_as, three):
    login_as(users["supervisor"])
    assert client.post("/cases/bulk", data={"action": "priority", "priority": "high",
                                            "form_token": _token(client)}).status_code == 400
    assert client.post("/cases/bulk", data={"case": [three[0].number], "action": "priority",
                                            "form_token": _token(client)}).status_code == 400
    assert client.post("/cases/bulk", data={"case": [three[0].number], "action": "drop",
                                            "form_token": _token(client)}).status_code == 400
    assert client.post("/cases/bulk", data={"case": [three[0].number], "action": "assign_lead", "lead": "99999",
                                            "form_token": _token(client)}).status_code == 400


def test_only_supervisors_see_the_bulk_form(client, users, login_as, three):
    login_as(users["investigator"])
    page = client.get("/cases").get_data(as_text=True)
    assert 'name="case"' not in page and "/cases/bulk" not in page


def test_case_page_header_and_timeline_filter(client, users, login_as, three):
    a = three[0]
    login_as(users["supervisor"])
    for _ in range(3):
        client.get(f"/cases/{a.number}")
    page = client.get(f"/cases/{a.number}").get_data(as_text=True)
    head = page.split('<header class="case-head">')[1].split("</header>")[0]
    for fact in ("State", "Priority", "Lead", "Next deadline", "Reporter", "Iris Okafor", "Acknowledgement",
                 "No reporter identity recorded"):
        assert fact in head, fact
    assert 'href="#h-timeline"' in page and 'href="#h-people"' in page
    timeline = page.split('id="h-timeline"')[1]
    assert "Case opened: 4 times, by 1 person" in timeline and "kind=reads" in timeline
    assert "<strong>Case opened</strong>" not in timeline and "Lead investigator assigned" in timeline
    reads = client.get(f"/cases/{a.number}?kind=reads").get_data(as_text=True).split('id="h-timeline"')[1]
    assert reads.count("<strong>Case opened</strong>") == 5 and "Lead investigator assigned" not in reads
    changes = client.get(f"/cases/{a.number}?kind=changes").get_data(as_text=True).split('id="h-timeline"')[1]
    assert "Lead investigator assigned" in changes and "<strong>Case opened</strong>" not in changes
    files = client.get(f"/cases/{a.number}?kind=files").get_data(as_text=True).split('id="h-timeline"')[1]
    assert "Nothing of this kind on the timeline." in files
    hostile = client.get(f"/cases/{a.number}?kind=<script>")
    assert hostile.status_code == 200 and "<script>" not in hostile.get_data(as_text=True).split('id="h-timeline"')[1]


def test_assign_a_lead_first_comes_with_the_assign_control(client, users, login_as, three):
    c = three[2]
    workflow.transition_case(c, CaseState.TRIAGE, users["supervisor"])
    c.category_id = category().id
    db.session.commit()
    login_as(users["supervisor"])
    page = client.get(f"/cases/{c.number}").get_data(as_text=True)
    assert "Assign a lead investigator first." in page
    assert f'href="/cases/{c.number}#assign"' in page and 'id="assign"' in page
    triage = client.get(f"/cases/{c.number}/investigation/triage").get_data(as_text=True)
    if "Assign a lead investigator first." in triage:
        assert f'href="/cases/{c.number}#assign"' in triage


def test_the_sql_next_deadline_is_the_case_pages_next_clock(users, clock):
    """The sortable SQL expression and the page's clocks agree, month ends and every state included."""
    from datetime import datetime, timedelta

    from caseflow import deadlines
    from caseflow.cases.queries import _sort_column
    from caseflow.clock import utcnow

    clock.at = datetime(2026, 1, 31, 15, 30, 0)
    cases = [make_case(title=f"Case {i}", priority=p) for i, p in enumerate(Priority)]
    cases.append(make_case(title="Month end"))  # acknowledged on 31 January: feedback due 30 April, not 1 May
    cases[4].state, cases[4].acknowledged_at, cases[4].triaged_at = CaseState.INVESTIGATION, utcnow(), utcnow()
    cases[0].acknowledged_at = utcnow() + timedelta(hours=2)
    cases[1].state, cases[1].triaged_at = CaseState.INVESTIGATION, utcnow()
    cases[1].investigation_started_at = utcnow() + timedelta(days=1)
    cases[2].state, cases[2].investigation_started_at = CaseState.ON_HOLD, utcnow()
    cases[3].state = CaseState.CLOSED
    db.session.commit()
    rows = dict(db.session.execute(sa.select(Case.id, _sort_column("deadline"))).tuples().all())
    for case in cases:
        clock_ = deadlines.next_running_clock(case)
        got = rows[case.id]
        if isinstance(got, str):
            got = datetime.fromisoformat(got)
        expected = clock_.due_at.replace(microsecond=0) if clock_ else None
        assert (got.replace(microsecond=0) if got else None) == expected, case.title
    assert deadlines.next_running_clock(cases[4]).due_at == datetime(2026, 4, 30, 15, 30)
