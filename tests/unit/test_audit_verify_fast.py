"""The fast SQLite verifier and its two-process split: every kind of tampering found, reported as before.

The split threshold is lowered through verify_chain's parallel_from (or the module default for the CLI and the
web page), so a chain of ~130 events is checked as two halves: seq <= MIDDLE in a worker process, the rest here.
On PostgreSQL the same results come from the in-database verifier (there is no split to observe).
"""

from __future__ import annotations

import logging
import sys
from datetime import datetime
from typing import Any

import pytest
import sqlalchemy as sa

from caseflow import audit, audit_verify
from caseflow.extensions import db
from caseflow.models import AuditEvent, AuditHead

SPLIT = 10  # parallel_from low enough to split the test chain
ONE_PROCESS = 10**12  # parallel_from that never splits
EXTRA = 120  # events recorded on top of the users' own


def _sqlite() -> bool:
    return db.session.get_bind().dialect.name == "sqlite"


@pytest.fixture
def chain(users: dict[str, Any]) -> int:
    """A committed chain of EXTRA events plus the users' own, with varied actors, cases and details."""
    actors = [None, users["intake"], users["auditor"], users["investigator"]]
    for i in range(EXTRA):
        audit.record("test.event", actors[i % 4], case_id=(i % 7) or None,
                     detail={"i": i, "note": "ünïcode ✓" if i % 5 == 0 else "plain"})
    db.session.commit()
    return int(db.session.execute(sa.select(sa.func.max(AuditEvent.seq))).scalar_one())


@pytest.fixture
def middle(chain: int) -> int:
    """The last seq the worker process checks (the parent checks the events after it)."""
    return chain // 2


@pytest.fixture
def splits(monkeypatch: pytest.MonkeyPatch) -> list[audit_verify.ChainCheck | None]:
    """Record what each split pass returned (None: it found a fault, or its worker could not run)."""
    calls: list[audit_verify.ChainCheck | None] = []
    real = audit_verify._check_split

    def spy(*args: Any) -> audit_verify.ChainCheck | None:
        found = real(*args)
        calls.append(found)
        return found

    monkeypatch.setattr(audit_verify, "_check_split", spy)
    return calls


@pytest.fixture(autouse=True)
def _verifier_log_enabled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Re-enable the verifier's logger: an in-process `flask db upgrade` earlier in this pytest process runs
    migrations/env.py's fileConfig(), which disables every logger that already exists (and so its warnings)."""
    monkeypatch.setattr(logging.getLogger(audit_verify.__name__), "disabled", False)


def _worker_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == audit_verify.__name__]


def _verify_split(splits: list[Any], caplog: pytest.LogCaptureFixture, intact: bool) -> audit.VerifyResult:
    """Verify with the split; check it ran its worker and certified the chain only if intact; compare one process."""
    with caplog.at_level(logging.WARNING, logger=audit_verify.__name__):
        result = audit.verify_chain(parallel_from=SPLIT)
    assert result == audit.verify_chain(parallel_from=ONE_PROCESS)
    if _sqlite():
        assert len(splits) == 1 and _worker_warnings(caplog) == []
        assert (splits[0] is not None) is intact
    return result


def _event(seq: int) -> AuditEvent:
    return db.session.execute(sa.select(AuditEvent).where(AuditEvent.seq == seq)).scalar_one()


def _rehash(event: AuditEvent) -> None:
    """Give an edited event the hash of its stored fields, as a forger would."""
    event.hash = audit.event_hash(event.prev_hash, event.seq, event.occurred_at, event.actor_id, event.actor_label,
                                  event.case_id, event.action, event.detail)


def _rechain(from_seq: int) -> None:
    """Recompute prev_hash and hash from from_seq on, and the head, as a forger who rewrites the tail would."""
    prev = db.session.scalar(sa.select(AuditEvent.hash).where(AuditEvent.seq == from_seq - 1)) or audit.GENESIS
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.seq >= from_seq).order_by(AuditEvent.seq))
    for event in events:
        event.prev_hash = prev
        _rehash(event)
        prev = event.hash
    db.session.execute(sa.update(AuditHead).values(last_hash=prev))
    db.session.commit()


def test_encoding_constants_match_the_audit_module() -> None:
    assert (audit_verify.GENESIS, audit_verify.SEP) == (audit.GENESIS, audit.SEP)


@pytest.mark.parametrize("value", [
    "2026-03-02 09:00:00.123456", "2026-03-02 09:00:00.000000", "2021-11-02 00:17:39", "2024-02-29 23:59:59",
    "0001-01-01 00:00:00", "2021-02-29 00:00:00", "0000-01-01 00:00:00", "2021-01-01 24:00:00",
    "2021-W01-1 12:00:00", "2021-01-01 12:30+01", "2021-01-01T12:30:45", "2020-01-01 00:00",
    "20 1-11-22 07:44:32.372171",
    "2021-01-01 12:30:4\uff15", "not a time", datetime(2026, 3, 2, 9, 0, 0, 5), 12345,
])
def test_timestamp_text_is_the_hashed_form_or_fails_alike(value: Any) -> None:
    def reference(v: Any) -> str:
        if isinstance(v, str) and len(v) == 26 and v[10] == " ":
            return v[:10] + "T" + v[11:]
        return audit._ts(v)

    def outcome(fn: Any) -> tuple[str, str]:
        try:
            return "text", fn(value)
        except Exception as exc:  # noqa: BLE001 - the failure's kind is what is compared
            return "error", type(exc).__name__

    assert outcome(audit_verify._timestamp) == outcome(reference)


def test_split_pass_certifies_an_intact_chain(chain, splits, caplog):
    result = _verify_split(splits, caplog, intact=True)
    assert result == audit.VerifyResult(True, chain)
    if _sqlite():
        assert splits[0].count == chain and splits[0].last_hash == audit.head_hash()


def test_a_bulk_loaded_timestamp_without_microseconds_verifies(chain, middle, splits, caplog):
    for seq in (3, middle + 3):  # one in each half, stored as bulk loaders write it, hashed by event_hash
        db.session.execute(sa.text("UPDATE audit_events SET occurred_at = :v WHERE seq = :s"),
                           {"v": "2021-11-02 00:17:39", "s": seq})
    db.session.commit()
    db.session.expire_all()
    _rechain(3)
    if _sqlite():  # still the short text form, so the verifier's own parsing of it is what is checked
        stored = db.session.scalar(sa.text("SELECT occurred_at FROM audit_events WHERE seq = :s"), {"s": middle + 3})
        assert stored == "2021-11-02 00:17:39"
    assert _verify_split(splits, caplog, intact=True) == audit.VerifyResult(True, chain)


@pytest.mark.parametrize("where", ["first half", "second half"])
def test_altered_detail_in_the_middle_is_reported(chain, middle, splits, caplog, where):
    seq = middle // 2 if where == "first half" else middle + (chain - middle) // 2
    db.session.execute(sa.update(AuditEvent).where(AuditEvent.seq == seq).values(detail='{"i":-1}'))
    db.session.commit()
    result = _verify_split(splits, caplog, intact=False)
    assert result == audit.VerifyResult(False, seq - 1, seq, f"event #{seq} was altered (hash mismatch)")


@pytest.mark.parametrize("forgery", ["prev_hash edited", "second half rewritten", "last of first half rehashed"])
def test_broken_link_at_the_split_boundary_is_reported(chain, middle, splits, caplog, forgery):
    first = middle + 1  # the first event the parent checks; its link is the one checked across the halves
    if forgery == "prev_hash edited":
        db.session.execute(sa.update(AuditEvent).where(AuditEvent.seq == first).values(prev_hash="f" * 64))
        db.session.commit()
    elif forgery == "second half rewritten":  # each half consistent in itself: only the boundary link is wrong
        event = _event(first)
        event.prev_hash = "f" * 64
        _rehash(event)
        db.session.commit()
        _rechain(first + 1)
    else:  # the worker's last event edited and given a matching hash: the parent's first link no longer holds
        event = _event(middle)
        event.detail = '{"i":-1}'
        _rehash(event)
        db.session.commit()
    result = _verify_split(splits, caplog, intact=False)
    assert result == audit.VerifyResult(False, middle, first, f"event #{first} does not link to event #{middle}")


@pytest.mark.parametrize("which", ["early", "last of first half", "first of second half", "late"])
def test_deleted_event_is_reported(chain, middle, splits, caplog, which):
    seq = {"early": 5, "last of first half": middle, "first of second half": middle + 1, "late": chain - 3}[which]
    db.session.execute(sa.delete(AuditEvent).where(AuditEvent.seq == seq))
    db.session.commit()
    result = _verify_split(splits, caplog, intact=False)
    message = f"event #{seq} is missing or out of order (found #{seq + 1})"
    assert result == audit.VerifyResult(False, seq - 1, seq, message)


@pytest.mark.parametrize("field", ["last_hash", "seq"])
def test_tampered_head_is_reported(chain, splits, caplog, field):
    values: dict[str, Any] = {"last_hash": "e" * 64} if field == "last_hash" else {"seq": chain + 2}
    db.session.execute(sa.update(AuditHead).values(**values))
    db.session.commit()
    result = _verify_split(splits, caplog, intact=True)  # the events are intact; the head check fails after
    said = chain + 2 if field == "seq" else chain
    assert result == audit.VerifyResult(
        False, chain, chain + 1, f"the chain ends at event #{chain} but the head says #{said}: events were removed")


def test_the_last_event_deleted_with_the_head_left_is_reported(chain, splits, caplog):
    db.session.execute(sa.delete(AuditEvent).where(AuditEvent.seq == chain))
    db.session.commit()
    result = _verify_split(splits, caplog, intact=True)
    message = f"the chain ends at event #{chain - 1} but the head says #{chain}: events were removed"
    assert result == audit.VerifyResult(False, chain - 1, chain, message)


def test_a_worker_that_cannot_start_falls_back_to_one_process(chain, middle, splits, caplog, monkeypatch):
    monkeypatch.setattr(sys, "executable", "/nonexistent/python")
    with caplog.at_level(logging.WARNING, logger=audit_verify.__name__):
        assert audit.verify_chain(parallel_from=SPLIT) == audit.VerifyResult(True, chain)
        db.session.execute(sa.update(AuditEvent).where(AuditEvent.seq == middle).values(action="case.tampered"))
        db.session.commit()
        result = audit.verify_chain(parallel_from=SPLIT)
    assert result == audit.VerifyResult(False, middle - 1, middle, f"event #{middle} was altered (hash mismatch)")
    if _sqlite():
        assert splits == [None, None] and any("did not start" in m for m in _worker_warnings(caplog))


def test_no_split_when_the_executable_is_not_python(chain, splits, monkeypatch):
    monkeypatch.setattr(sys, "executable", "/usr/local/bin/uwsgi")  # an embedding server cannot run the worker
    assert audit.verify_chain(parallel_from=SPLIT) == audit.VerifyResult(True, chain)
    assert splits == []


def test_uncommitted_events_are_verified_in_this_transaction(chain, users, splits):
    for _ in range(3):
        audit.record("test.uncommitted", users["auditor"])
    db.session.flush()
    assert audit.verify_chain(parallel_from=SPLIT) == audit.VerifyResult(True, chain + 3)
    assert splits == []  # the worker could not see them, so the chain is not split
    db.session.rollback()
    assert audit.verify_chain(parallel_from=SPLIT) == audit.VerifyResult(True, chain)


def test_cli_and_web_page_use_the_split(chain, middle, splits, runner, users, login_as, monkeypatch):
    monkeypatch.setattr(audit_verify, "PARALLEL_MIN_EVENTS", SPLIT)
    out = runner.invoke(args=["caseflow", "audit-verify"])
    assert out.exit_code == 0 and f"{chain} events" in out.output
    client = login_as(users["auditor"])
    assert b"The chain is intact" in client.post("/audit/verify").data
    db.session.execute(sa.update(AuditEvent).where(AuditEvent.seq == middle + 2).values(actor_label="mallory"))
    db.session.commit()
    out = runner.invoke(args=["caseflow", "audit-verify"])
    assert out.exit_code != 0 and f"BROKEN at event #{middle + 2}" in out.output
    page = client.post("/audit/verify").data
    assert b"BROKEN" in page and f"#{middle + 2}".encode() in page
    if _sqlite():
        assert len(splits) == 4 and [found is not None for found in splits] == [True, True, False, False]
