"""The daily tools in Chromium: an interviewee picked from the case's people, a file on a task downloaded,
and the pages they live on free of serious accessibility violations (axe-core)."""

from __future__ import annotations

import hashlib

import pytest

from caseflow.extensions import db
from caseflow.investigation import evidence as ev
from tests.e2e.test_a11y import describe, run_axe, sign_in
from tests.workspace_helpers import investigation_case

pytestmark = pytest.mark.browser


def test_an_interviewee_is_picked_and_a_task_file_comes_back_identical(live_server, page, users, clock, tmp_path):
    case = investigation_case(users, title="Cash at the gate")
    ev.register_evidence(case, users["investigator"], "Ledger", "Broker", "Safe 1", upload=("l.txt", b"Ledger\n"))
    db.session.commit()
    sign_in(page, live_server, "ivan")
    base = f"{live_server}/cases/{case.number}/investigation"

    page.goto(f"{base}/interviews")
    page.get_by_label("Person interviewed").select_option(label="Marc Dubois (Subject)")
    page.locator("#iv-held_at").fill("2026-03-01T10:30")
    page.get_by_role("button", name="Record interview").click()
    assert "Interview recorded." in page.locator(".flashes").inner_text()
    assert "Marc Dubois" in page.locator("article.interview").inner_text()
    assert not run_axe(page), describe(run_axe(page))

    page.goto(base)
    assert page.locator("#task-owner_id").input_value() == str(users["investigator"].id)
    content = b"CCTV export log, gate 4\n"
    page.locator("#task-title").fill("Request the CCTV export")
    page.locator("#task-files").set_input_files([{"name": "cctv.txt", "mimeType": "text/plain", "buffer": content}])
    page.get_by_role("button", name="Add task").click()
    assert "Task added." in page.locator(".flashes").inner_text()
    assert hashlib.sha256(content).hexdigest() in page.locator("section:has(#h-tasks)").inner_text()
    with page.expect_download() as info:
        page.get_by_role("link", name="cctv.txt").click()
    info.value.save_as(tmp_path / "got")
    assert (tmp_path / "got").read_bytes() == content
    violations = run_axe(page)
    assert not violations, describe(violations)

    page.goto(f"{base}/evidence")
    violations = run_axe(page)
    assert not violations, describe(violations)
