"""The dashboard learns of every counted change through the operations' named signals, and of nothing else.

Each operation that changes a figure the monthly tables count sends its signal, and the dashboard's receiver
(subscribed by the app factories) marks that month stale in the same transaction. No module registers a
SQLAlchemy flush listener for it, and importing the code subscribes nothing.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from blinker import NamedSignal

from caseflow import events, uow, workflow
from caseflow.cases import operations as case_ops
from caseflow.channels.csvimport import import_csv
from caseflow.enums import CaseState, Channel, Finding, Sanction
from caseflow.extensions import db
from caseflow.intake.operations import acknowledge_case
from caseflow.investigation.purge import archive_case
from caseflow.models import DashboardStale, ReportSubmission
from caseflow.reporting import operations as reporting_ops
from tests.factories import make_case, make_office
from tests.workspace_helpers import investigation_case

ROOT = Path(__file__).resolve().parents[2]
NOVEMBER = datetime(2025, 11, 20, 10, 0)


def _marks() -> set[tuple[str, str]]:
    return set(db.session.execute(sa.select(DashboardStale.month, DashboardStale.part)).tuples())


def _forget_marks() -> None:
    db.session.execute(sa.delete(DashboardStale))
    db.session.commit()


@pytest.fixture
def sent() -> Iterator[list[str]]:
    """The names of the signals sent while the test runs."""
    names: list[str] = []
    spies: list[tuple[NamedSignal, Callable[..., None]]] = []
    for value in vars(events).values():
        if isinstance(value, NamedSignal):
            def spy(_sender: Any, _name: str = value.name, **_kw: Any) -> None:
                names.append(_name)
            value.connect(spy, weak=False)
            spies.append((value, spy))
    yield names
    for signal, spy in spies:
        signal.disconnect(spy)


def _anonymous_case() -> tuple[Any, ReportSubmission]:
    case = make_case(Channel.WHISTLEBLOWER, received_at=NOVEMBER, is_anonymous=True, content="He took cash.",
                     issue_receipt=True)
    submission = db.session.scalar(sa.select(ReportSubmission).where(ReportSubmission.case_id == case.id))
    assert submission is not None
    return case, submission


def _in_investigation(users: dict[str, Any], clock: Any) -> Any:
    clock.at = NOVEMBER
    case = investigation_case(users)
    clock.at = datetime(2026, 3, 2, 9, 0)
    return case


def _received(users: dict[str, Any], clock: Any) -> Callable[[], object]:
    return lambda: make_case(Channel.LETTER, received_at=NOVEMBER, commit=False)


def _acknowledged(users: dict[str, Any], clock: Any) -> Callable[[], object]:
    case = make_case(received_at=NOVEMBER)
    return lambda: acknowledge_case(case, users["intake"])


def _triaged_and_dismissed(users: dict[str, Any], clock: Any) -> Callable[[], object]:
    case = make_case(received_at=NOVEMBER)
    workflow.transition_case(case, CaseState.TRIAGE, users["intake"])
    db.session.commit()
    return lambda: workflow.transition_case(case, CaseState.DISMISSED, users["supervisor"], reason="Service matter")


def _reopened(users: dict[str, Any], clock: Any) -> Callable[[], object]:
    case = make_case(received_at=NOVEMBER)
    workflow.transition_case(case, CaseState.TRIAGE, users["intake"])
    workflow.transition_case(case, CaseState.DISMISSED, users["supervisor"], reason="Service matter")
    db.session.commit()
    return lambda: workflow.transition_case(case, CaseState.TRIAGE, users["supervisor"], reason="New facts")


def _moved_office(users: dict[str, Any], clock: Any) -> Callable[[], object]:
    case = _in_investigation(users, clock)
    clock.at = datetime(2026, 1, 12, 9, 0)
    case_ops.record_finding(case.allegations[0], users["investigator"], Finding.UNFOUNDED, "No trace of it.")
    clock.at = datetime(2026, 3, 2, 9, 0)
    office = make_office("South Quay")
    return lambda: case_ops.update_case_details(case, users["supervisor"], office_id=office.id)


def _finding(users: dict[str, Any], clock: Any) -> Callable[[], object]:
    case = _in_investigation(users, clock)
    clock.at = datetime(2026, 1, 12, 9, 0)
    case_ops.record_finding(case.allegations[0], users["investigator"], Finding.UNFOUNDED, "No trace of it.")
    db.session.commit()
    clock.at = datetime(2026, 2, 3, 9, 0)  # changed a month later: both months change
    return lambda: case_ops.record_finding(case.allegations[0], users["investigator"], Finding.SUSTAINED,
                                           "A witness saw it.")


def _sanction(users: dict[str, Any], clock: Any) -> Callable[[], object]:
    case = _in_investigation(users, clock)
    clock.at = datetime(2026, 1, 12, 9, 0)
    case_ops.record_finding(case.allegations[0], users["investigator"], Finding.SUSTAINED, "A witness saw it.")
    db.session.commit()
    clock.at = datetime(2026, 3, 2, 9, 0)
    return lambda: case_ops.decide_sanction(case.allegations[0], users["supervisor"], Sanction.WRITTEN_REPRIMAND,
                                            datetime(2026, 2, 20).date(), "DB-2026-14")


def _reporter_message(users: dict[str, Any], clock: Any) -> Callable[[], object]:
    _case, submission = _anonymous_case()
    return lambda: reporting_ops.post_reporter_message(submission, "I remember the date now.")


def _reporter_login(users: dict[str, Any], clock: Any) -> Callable[[], object]:
    _case, submission = _anonymous_case()
    return lambda: reporting_ops.record_reporter_login(submission)


def _feedback(users: dict[str, Any], clock: Any) -> Callable[[], object]:
    case, _submission = _anonymous_case()
    return lambda: reporting_ops.reply_to_reporter(case, users["investigator"], "We are looking into it.")


def _purged(users: dict[str, Any], clock: Any) -> Callable[[], object]:
    case, submission = _anonymous_case()
    reporting_ops.record_reporter_login(submission)
    workflow.transition_case(case, CaseState.TRIAGE, users["intake"])
    workflow.transition_case(case, CaseState.DISMISSED, users["supervisor"], reason="Service matter")
    db.session.commit()
    clock.advance(days=4000)
    return lambda: archive_case(case)


def _imported(users: dict[str, Any], clock: Any) -> Callable[[], object]:
    rows = "source_reference,title,description,received_at\nREF-1,Imported,What happened,2025-11-20\n" \
           "REF-2,Imported too,What happened,2025-10-02\n"
    return lambda: import_csv(rows.encode(), users["intake"])


CHANGES = {
    "received": (_received, "case-received", {("2025-11", "cases")}),
    "acknowledged": (_acknowledged, "case-acknowledged", {("2025-11", "cases")}),
    "triaged and dismissed": (_triaged_and_dismissed, "case-transitioned", {("2025-11", "cases")}),
    "reopened": (_reopened, "case-transitioned", {("2025-11", "cases")}),
    "moved to another office": (_moved_office, "case-details-changed", {("2025-11", "cases"),
                                                                        ("2026-01", "findings")}),
    "finding recorded": (_finding, "finding-recorded", {("2026-01", "findings"), ("2026-02", "findings")}),
    "sanction decided": (_sanction, "sanction-decided", {("2026-01", "findings")}),
    "reporter wrote": (_reporter_message, "reporter-message-posted", {("2025-11", "cases")}),
    "reporter came back": (_reporter_login, "reporter-returned", {("2025-11", "cases")}),
    "feedback given": (_feedback, "feedback-given", {("2025-11", "cases")}),
    "purged": (_purged, "case-purged", {("2025-11", "cases")}),
    "imported in bulk": (_imported, "cases-imported", {("2025-11", "cases"), ("2025-10", "cases")}),
}


@pytest.mark.parametrize("change", CHANGES)
def test_each_counted_change_marks_its_month_stale_through_its_signal(change: str, users: dict[str, Any],
                                                                      clock: Any, sent: list[str]) -> None:
    setup, signal, expected = CHANGES[change]
    act = setup(users, clock)
    db.session.commit()
    _forget_marks()
    sent.clear()
    act()
    assert signal in sent
    assert _marks() == expected


def test_a_change_nothing_counts_marks_nothing(users: dict[str, Any], clock: Any) -> None:
    case = make_case(received_at=NOVEMBER)
    _forget_marks()
    workflow.transition_case(case, CaseState.TRIAGE, users["intake"])  # starts triage: no counted date
    case_ops.update_case_details(case, users["supervisor"], title="Cash at the north gate")
    assert _marks() == set()


def test_without_the_dashboards_subscription_nothing_is_marked(users: dict[str, Any]) -> None:
    from caseflow.dashboards import stale

    for signal, receiver in stale.SUBSCRIPTIONS:
        signal.disconnect(receiver)
    try:
        make_case(received_at=NOVEMBER)
        assert _marks() == set()  # no listener behind the signals
    finally:
        stale.connect()
    make_case(received_at=NOVEMBER)
    assert _marks() == {("2025-11", "cases")}


def test_a_mark_undone_with_its_savepoint_is_written_again_by_the_next_change(users: dict[str, Any]) -> None:
    first, second = make_case(received_at=NOVEMBER), make_case(received_at=NOVEMBER)
    _forget_marks()
    with pytest.raises(RuntimeError), uow.savepoint():
        acknowledge_case(first, users["intake"])
        raise RuntimeError  # one case of a bulk action fails: its savepoint is rolled back
    assert _marks() == set()
    acknowledge_case(second, users["intake"])
    assert _marks() == {("2025-11", "cases")}


def test_one_request_writes_a_month_once(users: dict[str, Any]) -> None:
    case = make_case(received_at=NOVEMBER)
    _forget_marks()
    acknowledge_case(case, users["intake"])
    reporting_ops.reply_to_reporter(case, users["investigator"], "We are looking into it.")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DashboardStale)) == 1


def _registers_listener(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    return name in ("listen", "listens_for")


def _listener_events(tree: ast.AST) -> list[str]:
    out = []
    for node in ast.walk(tree):
        if _registers_listener(node):
            args = node.args  # type: ignore[attr-defined]
            out += [a.value for a in args[1:2] if isinstance(a, ast.Constant)]
    return out


def test_no_module_listens_to_flushes_and_the_dashboard_listens_to_no_sqlalchemy_event() -> None:
    flush_events = {"before_flush", "after_flush", "after_flush_postexec", "after_insert", "after_update",
                    "after_delete", "before_insert", "before_delete"}
    offenders = []
    for path in sorted((ROOT / "caseflow").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = _listener_events(tree)
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith("caseflow/dashboards/") and any(_registers_listener(n) for n in ast.walk(tree)):
            offenders.append(rel)
        offenders += [f"{rel}: {name}" for name in names if name in flush_events]
    assert offenders == []


def test_importing_every_module_subscribes_nothing_to_the_signals() -> None:
    script = (
        "import pkgutil, importlib, caseflow\n"
        "from blinker import NamedSignal\n"
        "for m in pkgutil.walk_packages(caseflow.__path__, 'caseflow.'):\n"
        "    importlib.import_module(m.name)\n"
        "from caseflow import events\n"
        "print(sorted(s.name for s in vars(events).values() if isinstance(s, NamedSignal) and s.receivers))\n")
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert out.stdout.strip() == "[]"
