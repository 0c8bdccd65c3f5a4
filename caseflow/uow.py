"""The unit of work: a request (or a command) commits once, at the end, or not at all.

Views and operations never commit. After a request the staff and portal apps call finish_request(): a
response below 400 commits what the request wrote (including the audit events of reads); any other response,
or an exception, rolls everything back, except the trace of a denial that denials.py recorded after the rollback.
Mail is queued in the outbox table inside the same transaction and sent by its job, so it leaves only after the
commit. CLI commands and jobs use `with unit_of_work():` or commit_step() between independent steps.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask, g

from caseflow.extensions import db

_KEEP = "cf_uow_keep"


def keep() -> None:
    """Commit what this request wrote even though its response is an error (a denial trace, a spent form token)."""
    g.setdefault(_KEEP, True)


def discard() -> None:
    """Throw away what this request wrote so far (a refused operation), before the page is re-rendered."""
    db.session.rollback()


def commit_step() -> None:
    """Commit one independent step of a command or job (one message of a mailbox, one mail of the outbox)."""
    db.session.commit()


def finish_request(response: Any) -> Any:
    """After a request: commit if it succeeded (status below 400) or kept a trace; otherwise roll back."""
    keep = g.pop(_KEEP, False)
    if response.status_code < 400 or keep:
        try:
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
    else:
        db.session.rollback()
    return response


@contextmanager
def savepoint() -> Iterator[None]:
    """Run a block in a savepoint: an exception undoes only what the block wrote (one case of a bulk action)."""
    with db.session.begin_nested():
        yield


def _rollback_on_error(exc: BaseException | None) -> None:
    if exc is not None:
        db.session.rollback()


@contextmanager
def unit_of_work() -> Iterator[None]:
    """Commit once when the block ends, roll back if it raises: the unit of work for commands and jobs."""
    try:
        yield
    except BaseException:
        db.session.rollback()
        raise
    db.session.commit()


def init_app(app: Flask) -> None:
    """Register the end-of-request commit; call it first so that it runs after every other after_request hook."""
    app.after_request(finish_request)
    app.teardown_request(_rollback_on_error)
