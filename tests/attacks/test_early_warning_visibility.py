"""Early warning must not leak restricted cases by their count, nor list the viewer as a repeat subject."""

from __future__ import annotations

from typing import Any

from caseflow.extensions import db
from tests.factories import make_case, make_office


def _page(client: Any) -> str:
    """Return the page's main content (the header names the signed-in user)."""
    html = client.get("/dashboard/early-warning").get_data(as_text=True)
    return html.split("<main", 1)[1]


def test_restricted_cases_are_not_counted_for_a_supervisor_not_granted(client, users, login_as, clock):
    office = make_office("Eastern Border Post")
    for i in range(3):
        case = make_case(title=f"Restricted {i}", subject="Omar Haddad", office_id=office.id, commit=False)
        case.restricted = True
    db.session.commit()
    login_as(users["supervisor"])
    page = _page(client)
    assert "Omar Haddad" not in page and "3 complaints (threshold" not in page


def test_the_same_cases_unrestricted_are_listed(client, users, login_as, clock):
    for i in range(3):
        make_case(title=f"Open {i}", subject="Omar Haddad")
    login_as(users["supervisor"])
    page = _page(client)
    assert "Omar Haddad" in page and "3 complaints (threshold" in page


def test_a_supervisor_named_as_subject_never_sees_himself_listed(client, users, login_as, clock):
    sara = users["supervisor"]
    for i in range(3):
        make_case(title=f"About Sara {i}", subject_user=sara)
    login_as(sara)
    page = _page(client)
    assert sara.full_name not in page and "3 complaints (threshold" not in page
    client.post("/logout")
    login_as(users["supervisor2"])  # another supervisor does see the pattern
    page = _page(client)
    assert sara.full_name in page and "3 complaints (threshold" in page
