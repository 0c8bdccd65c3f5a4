"""Count page loads and form submissions of the case-list part of the investigator's day, in Chromium.

    PYTHONPATH=<tree> python -m bench.journey_caselist

The same journey on any tree: with bulk actions, sorting and the timeline filter when the tree has them
(caseflow/cases/bulk.py), else the way it had to be done before (each case opened, assigned and edited one by
one; every case of the investigator opened to find the next deadline). A page load is a document GET
(redirects and downloads included), a form submission a document POST. The journey:

1. the supervisor makes Ivan the lead of three new cases, sets their priority to high and exports them;
2. Ivan finds which of his five cases falls due first, opens it and reads only the changes on its timeline.
"""

from __future__ import annotations

import importlib.util
import tempfile
import threading
from collections import Counter
from typing import Any

from werkzeug.serving import make_server

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
NEW = importlib.util.find_spec("caseflow.cases.bulk") is not None


def _seed(users: dict[str, Any]) -> tuple[list[Any], list[Any]]:
    from caseflow import workflow
    from caseflow.cases import operations as ops
    from caseflow.enums import CaseState
    from caseflow.extensions import db
    from caseflow.models import ConflictDeclaration
    from tests.factories import make_case

    his = []  # his cases came in first, so one of them falls due first
    for i in range(5):
        case = make_case(title=f"Ivan's case {i}", commit=False)
        workflow.transition_case(case, CaseState.TRIAGE, users["supervisor"])
        ops.assign_lead_investigator(case, users["investigator"], users["supervisor"])
        db.session.add(ConflictDeclaration(case_id=case.id, user_id=users["investigator"].id, has_conflict=False))
        his.append(case)
    db.session.commit()
    new = [make_case(title=f"New complaint {i}") for i in range(3)]
    return new, his


def _sign_in(page: Any, base: str, username: str) -> None:
    from tests.factories import PASSWORD

    page.goto(f"{base}/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def _supervisor_before(page: Any, base: str, new: list[Any], lead: Any) -> None:
    page.goto(f"{base}/cases")
    for case in new:
        page.get_by_role("link", name=case.number).click()
        page.locator("#assign-user_id").select_option(str(lead.id))
        page.get_by_label("Make lead investigator").check()
        page.get_by_role("button", name="Assign", exact=True).click()
        page.get_by_role("link", name="Edit details and triage").click()
        page.get_by_label("Priority").select_option("high")
        page.get_by_role("button", name="Save").click()
        page.get_by_role("link", name="Cases", exact=True).click()
    # no selection to export: the nearest list is the filtered one (lead Ivan, priority high)
    page.goto(f"{base}/cases?assignee={lead.id}&priority=high")
    with page.expect_download():
        page.get_by_role("link", name="CSV", exact=True).click()


def _supervisor_after(page: Any, base: str, new: list[Any], lead: Any) -> None:
    page.goto(f"{base}/cases")
    for action in ("assign_lead", "priority", "export"):
        for case in new:
            page.get_by_label(f"Select {case.number}").check()
        if action == "assign_lead":
            page.locator("#bulk-lead").select_option(str(lead.id))
            page.get_by_role("button", name="Assign lead").click()
        elif action == "priority":
            page.locator("#bulk-priority").select_option("high")
            page.get_by_role("button", name="Set priority").click()
        else:
            with page.expect_download():
                page.get_by_role("button", name="Export ticked (CSV)").click()


def _investigator_before(page: Any, base: str, his: list[Any]) -> None:
    page.goto(f"{base}/cases")
    for case in his:  # the list has no deadline: each case's clocks are on its own page (the new ones not counted)
        page.get_by_role("link", name=case.number).click()
        page.go_back()
    page.get_by_role("link", name=his[0].number).click()  # the timeline lists every read among the changes


def _investigator_after(page: Any, base: str, his: list[Any]) -> None:
    page.goto(f"{base}/cases")
    page.get_by_role("link", name="Next deadline").click()
    page.locator("table.cases tbody tr").first.get_by_role("link").first.click()
    page.get_by_role("link", name="Changes", exact=True).click()


def main() -> None:
    """Run the journey on this tree and print its page loads and form submissions."""
    from playwright.sync_api import sync_playwright

    from caseflow import create_app
    from caseflow.enums import Role
    from caseflow.extensions import db
    from config import TestConfig
    from tests import factories

    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryDirectory() as profile:
        cfg = TestConfig(tmp, f"sqlite:///{tmp}/journey.db")
        cfg.WTF_CSRF_ENABLED = True
        app = create_app(cfg)
        with app.app_context():
            db.create_all()
            users = {"supervisor": factories.make_user(Role.SUPERVISOR, "sara", full_name="Sara Lindqvist"),
                     "investigator": factories.make_user(Role.INVESTIGATOR, "ivan", full_name="Ivan Petrov")}
            new, his = _seed(users)
            server = make_server("127.0.0.1", 0, app, threaded=True)
            threading.Thread(target=server.serve_forever, daemon=True).start()
            base = f"http://127.0.0.1:{server.server_port}"
            counts: Counter[str] = Counter()
            with sync_playwright() as pw:
                context = pw.chromium.launch_persistent_context(profile, executable_path="/usr/bin/chromium",
                                                                args=CHROMIUM_ARGS, headless=True,
                                                                accept_downloads=True)
                page = context.new_page()
                page.on("request", lambda r: counts.update(
                    [f"{who[0]} {r.method}"]) if r.resource_type == "document" else None)
                who = ["sign-in"]
                _sign_in(page, base, "sara")
                who[0] = "supervisor"
                (_supervisor_after if NEW else _supervisor_before)(page, base, new, users["investigator"])
                who[0] = "sign-in"
                page.get_by_role("button", name="Sign out").click()
                _sign_in(page, base, "ivan")
                who[0] = "investigator"
                (_investigator_after if NEW else _investigator_before)(page, base, his)
                context.close()
            server.shutdown()
    print("tree:", "with bulk actions, sort and timeline filter" if NEW else "before (one by one)")
    for part in ("supervisor", "investigator"):
        print(f"{part}: {counts[part + ' GET']} page loads, {counts[part + ' POST']} form submissions")
    total_get = counts["supervisor GET"] + counts["investigator GET"]
    total_post = counts["supervisor POST"] + counts["investigator POST"]
    print(f"total (sign-ins apart): {total_get} page loads, {total_post} form submissions")


if __name__ == "__main__":
    main()
