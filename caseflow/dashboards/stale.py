"""Mark dashboard months stale when an operation changes what they count (cases, findings, reporters' follow-up).

The operations say what they changed through the named signals of caseflow.events; connect() subscribes the
receivers below and is called by both app factories, never on import. A mark is written in the operation's
transaction, so a rolled-back change marks nothing.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from blinker import NamedSignal
from sqlalchemy.orm import SessionTransaction

from caseflow import events
from caseflow.dashboards.months import month_key
from caseflow.extensions import db
from caseflow.models import Allegation, Case
from caseflow.models.rollup import DashboardStale

Mark = tuple[str, str]  # (month, part)

# the date fields a transition may set that the monthly cells count (clock compliance, durations)
COUNTED_DATES = frozenset({"triaged_at", "closed_at", "acknowledged_at", "feedback_given_at"})
# the case fields that say which cell (and which finding row) a case is counted in
SCOPE_FIELDS = frozenset({"office_id", "category_id", "channel", "is_anonymous"})

# marks already written per open transaction (or savepoint): one insert per month and part, however many
# operations of a request touch it
_written: weakref.WeakKeyDictionary[SessionTransaction, set[Mark]] = weakref.WeakKeyDictionary()


def _key(when: Any) -> str | None:
    if isinstance(when, str):
        when = datetime.fromisoformat(when)
    return month_key(when) if isinstance(when, datetime) else None


def _transactions() -> list[SessionTransaction]:
    """Return the open transaction chain, innermost savepoint first."""
    session = db.session()
    txn = session.get_nested_transaction() or session.get_transaction()
    chain = []
    while txn is not None:
        chain.append(txn)
        txn = txn.parent
    return chain


def mark_stale(marks: Iterable[tuple[str | None, str]]) -> None:
    """Record (month, part) marks in the current transaction; months given as None are ignored."""
    seen: set[Mark] = set().union(*(_written.get(t, set()) for t in _transactions()))
    new = sorted({(m, p) for m, p in marks if m and (m, p) not in seen})
    if not new:
        return
    db.session.execute(sa.insert(DashboardStale), [{"month": m, "part": p} for m, p in new])
    _written.setdefault(_transactions()[0], set()).update(new)


def _finding_months(case_id: int) -> list[str | None]:
    stmt = sa.select(Allegation.finding_at).where(Allegation.case_id == case_id, Allegation.finding_at.is_not(None))
    return [_key(v) for v in db.session.scalars(stmt)]


def on_case_changed(case: Case, **_kw: Any) -> None:
    """Mark the month the case was received in: a new case, an acknowledgement, feedback, a reporter's return."""
    mark_stale([(_key(case.received_at), "cases")])


def on_cases_imported(_sender: Any, received: Iterable[datetime] = (), **_kw: Any) -> None:
    """Mark the months of cases written in bulk."""
    mark_stale((_key(when), "cases") for when in received)


def on_transitioned(case: Case, dates: Iterable[str] = (), **_kw: Any) -> None:
    """Mark the case's month when the transition set or cleared a date the cells count."""
    if COUNTED_DATES & set(dates):
        on_case_changed(case)


def on_details_changed(case: Case, changes: Iterable[str] = (), **_kw: Any) -> None:
    """A case moved to another office or category: its month and the months of its findings move with it."""
    if SCOPE_FIELDS & set(changes):
        mark_stale([(_key(case.received_at), "cases"), *((m, "findings") for m in _finding_months(case.id))])


def on_finding_recorded(_case: Case, allegation: Allegation, previous_at: datetime | None = None,
                        **_kw: Any) -> None:
    """Mark the finding's month, and the month it was recorded in before if it changed."""
    mark_stale([(_key(allegation.finding_at), "findings"), (_key(previous_at), "findings")])


def on_sanction_decided(_case: Case, allegation: Allegation, **_kw: Any) -> None:
    """Mark the month of the finding the sanction was decided on."""
    mark_stale([(_key(allegation.finding_at), "findings")])


SUBSCRIPTIONS: tuple[tuple[NamedSignal, Callable[..., None]], ...] = (
    *((signal, on_case_changed) for signal in (
        events.case_received, events.case_acknowledged, events.feedback_given, events.reporter_message_posted,
        events.reporter_returned, events.case_purged)),
    (events.cases_imported, on_cases_imported),
    (events.case_transitioned, on_transitioned),
    (events.case_details_changed, on_details_changed),
    (events.finding_recorded, on_finding_recorded),
    (events.sanction_decided, on_sanction_decided),
)


def connect() -> None:
    """Subscribe the stale marks to the operations' signals (idempotent: a receiver is connected once)."""
    for signal, receiver in SUBSCRIPTIONS:
        signal.connect(receiver)
