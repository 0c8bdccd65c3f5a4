"""The unit of work is the only place that commits or rolls back: views, operations and jobs go through it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Response

from caseflow import uow
from caseflow.extensions import db
from caseflow.models import Office

ROOT = Path(__file__).resolve().parents[2] / "caseflow"


def _calls(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in ("commit", "rollback") and not node.args:
            found.append(f"{path.relative_to(ROOT.parent)}:{node.lineno} .{node.func.attr}()")
    return found


def test_nothing_outside_the_unit_of_work_commits_or_rolls_back() -> None:
    offenders = [hit for path in sorted(ROOT.rglob("*.py")) if path.name != "uow.py" for hit in _calls(path)]
    assert offenders == []


def _offices() -> set[str]:
    db.session.expire_all()
    return set(db.session.scalars(sa.select(Office.name)))


def test_a_request_answered_with_an_error_keeps_nothing(app) -> None:  # type: ignore[no-untyped-def]
    with app.test_request_context("/"):
        db.session.add(Office(code="UOW1", name="Written by a refused request"))
        db.session.flush()
        uow.finish_request(Response(status=409))
    assert "Written by a refused request" not in _offices()


def test_a_successful_request_commits_once_at_its_end(app) -> None:  # type: ignore[no-untyped-def]
    with app.test_request_context("/"):
        db.session.add(Office(code="UOW2", name="Written by a good request"))
        uow.finish_request(Response(status=302))
        db.session.rollback()  # what a later error would do: the request's work is already committed
    assert "Written by a good request" in _offices()


def test_a_denial_trace_is_kept_although_the_answer_is_an_error(app) -> None:  # type: ignore[no-untyped-def]
    with app.test_request_context("/"):
        db.session.add(Office(code="UOW3", name="The trace of a denial"))
        uow.keep()
        uow.finish_request(Response(status=403))
    assert "The trace of a denial" in _offices()


def test_a_command_block_commits_or_rolls_back_as_a_whole(app) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RuntimeError), uow.unit_of_work():
        db.session.add(Office(code="UOW4", name="Half-done import"))
        db.session.flush()
        raise RuntimeError("the mailbox went away")
    with uow.unit_of_work():
        db.session.add(Office(code="UOW5", name="Finished import"))
    assert _offices() >= {"Finished import"} and "Half-done import" not in _offices()
