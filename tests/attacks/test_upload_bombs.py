"""Bombs and budgets on the anonymous form: each answered fast, in bounded memory, with nothing written."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from caseflow.errors import ValidationError
from caseflow.extensions import db
from caseflow.models import Attachment, Case
from tests.attacks import bombs
from tests.reporting_support import png_bytes, submit

SECONDS = 5.0
RSS_GROWTH_KB = 100 * 1024


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise AssertionError(field)


def _measured(action: Callable[[], Any]) -> tuple[Any, float, int]:
    """Run action; return its result, the seconds it took and the peak resident-memory growth in kB."""
    Path("/proc/self/clear_refs").write_text("5")  # reset the peak (VmHWM) to the current size
    before = _status_kb("VmRSS")
    start = time.monotonic()
    result = action()
    return result, time.monotonic() - start, _status_kb("VmHWM") - before


def _stored_files(app: Any) -> list[Path]:
    return [p for p in Path(app.config["CASEFLOW_UPLOAD_DIR"]).rglob("*") if p.is_file()]


def _refused_quickly(app: Any, portal: Any, data: bytes, name: str, words: str) -> None:
    before = _stored_files(app)
    response, seconds, growth = _measured(lambda: submit(portal.test_client(), files=[(data, name)]))
    assert response.status_code == 400, response.text[:500]
    assert name in response.text and words in response.text
    assert seconds < SECONDS, f"{name}: {seconds:.1f} s"
    assert growth <= RSS_GROWTH_KB, f"{name}: resident memory grew by {growth // 1024} MB"
    assert _stored_files(app) == before and db.session.scalar(sa.select(sa.func.count(Case.id))) == 0


def test_animated_gif_of_300_frames_of_2000_by_2000_is_refused_fast(app, portal_app):
    _refused_quickly(app, portal_app, bombs.gif_frames_bomb(), "cctv.gif", "too many frames")


def test_image_that_decodes_to_240_mb_is_refused_fast(app, portal_app):
    _refused_quickly(app, portal_app, bombs.png_large(), "scan.png", "too large to process")


@pytest.mark.parametrize("kind", ["docx", "odt"])
def test_office_file_inflating_to_1_gb_is_refused_without_inflating(app, portal_app, kind):
    _refused_quickly(app, portal_app, bombs.office_zip_bomb(kind), f"minutes.{kind}", "compression bomb")


def test_more_files_than_the_cap_are_refused_and_none_stored(app, portal_app):
    before = _stored_files(app)
    files = [(f"note {n}\n".encode(), f"note{n}.txt") for n in range(11)]
    response = submit(portal_app.test_client(), files=files)
    assert response.status_code == 400 and "at most 10" in response.text and "note10.txt" in response.text
    assert _stored_files(app) == before and db.session.scalar(sa.select(sa.func.count(Case.id))) == 0


def test_files_over_the_total_budget_are_refused_and_none_stored(app, portal_app, monkeypatch):
    before = _stored_files(app)
    monkeypatch.setitem(portal_app.config, "CASEFLOW_MAX_SUBMISSION_MB", 1)
    files = [(b"a" * 600_000, "first.txt"), (b"b" * 600_000, "second.txt")]
    response = submit(portal_app.test_client(), files=files)
    assert response.status_code == 400 and "second.txt" in response.text and "1 MB" in response.text
    assert _stored_files(app) == before


def test_good_files_with_one_bad_leave_nothing_on_disk(app, portal_app):
    before = _stored_files(app)
    good = [(png_bytes(), f"photo{n}.png") for n in range(4)]
    response = submit(portal_app.test_client(), files=[*good, (b"MZ\x90\x00 not allowed", "tool.exe")])
    assert response.status_code == 400 and "tool.exe" in response.text
    assert _stored_files(app) == before and db.session.scalar(sa.select(sa.func.count(Attachment.id))) == 0


def test_files_written_before_a_later_failure_are_removed(app, portal_app, monkeypatch):
    from caseflow.reporting import operations

    def fail(case: Any, actor: Any) -> None:
        raise ValidationError("the acknowledgement failed")

    monkeypatch.setattr(operations, "acknowledge_case", fail)
    before = _stored_files(app)
    response = submit(portal_app.test_client(), files=[(png_bytes(), "photo.png"), (b"Ledger\n", "ledger.txt")])
    assert response.status_code == 400 and "the acknowledgement failed" in response.text
    assert _stored_files(app) == before and db.session.scalar(sa.select(sa.func.count(Case.id))) == 0
