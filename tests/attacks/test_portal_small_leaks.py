"""Smaller leaks: a world-readable database file, mixed-direction text, untranslated sizes."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from caseflow.app import create_app
from caseflow.portal import create_portal_app
from config import Config
from tests.reporting_support import follow_up_login, receipt_of, reporter_post, submit


@pytest.mark.parametrize("factory", [create_app, create_portal_app])
def test_a_new_sqlite_database_is_readable_by_its_owner_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             factory: object) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("CASEFLOW_INSTANCE", str(tmp_path))
    monkeypatch.setenv("CASEFLOW_SECRET_KEY", "x" * 32)
    old = os.umask(0o022)
    try:
        factory(Config())  # type: ignore[operator]
    finally:
        os.umask(old)
    mode = stat.S_IMODE((tmp_path / "caseflow.db").stat().st_mode)
    assert mode == 0o600, oct(mode)


def test_messages_keep_their_own_direction_and_sizes_use_the_pages_number_format(
        portal_client: FlaskClient) -> None:
    receipt = receipt_of(submit(portal_client).text)
    follow_up_login(portal_client, receipt)
    reporter_post(portal_client, "/follow-up/message", body="Le bureau 12 (مكتب الجمارك) à 14h",
                  files=[(b"x" * 1500, "notes.txt"), (b"y" * 7, "tiny.txt")])
    page = portal_client.get("/follow-up/case?lang=fr").text
    assert '<p class="pre" dir="auto">Le bureau 12' in page
    assert "1,5" in page and "1.5 kB" not in page
    assert "7 octets" in page  # the count is formatted and its unit translated
