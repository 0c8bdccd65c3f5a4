"""After an anonymous report, the database, stored files and logs hold no reporter data or address in clear."""

from __future__ import annotations

import logging
import runpy
import uuid
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from caseflow import ROOT
from caseflow.extensions import db
from tests.reporting_support import IP, follow_up_login, png_bytes, receipt_of, reporter_post, submit


def _all_rows_as_text() -> str:
    """Every value of every table, as text (the database as a dump would show it: raw, no column type opens it)."""
    parts = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(sa.text(f"SELECT * FROM {table.name}")):
            parts.extend(repr(v) for v in row)
    return "\n".join(parts)


def _raw_database_bytes(app: Flask) -> bytes:
    url = sa.engine.make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "sqlite":
        return b""
    db.session.remove()
    db.engine.dispose()  # make sure everything is written to the file
    path = Path(url.database or "")
    return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal"), Path(f"{path}-journal")) if p.exists())


def _files_bytes(app: Flask) -> bytes:
    root = Path(app.config["CASEFLOW_UPLOAD_DIR"])
    return b"".join(p.read_bytes() for p in root.rglob("*") if p.is_file())


def test_database_files_and_logs_hold_no_clear_reporter_data_or_address(
        app: Flask, portal_client: FlaskClient, caplog: pytest.LogCaptureFixture) -> None:
    marker = uuid.uuid4().hex[:10]
    name, email = f"Zelda Quill{marker}", f"zq{marker}@mail.example"
    text, reply = f"Inspector skimmed fees at dock {marker}", f"Second detail {marker}"
    file_text = f"Spreadsheet of payments {marker}\n".encode()
    caplog.set_level(logging.DEBUG)
    response = submit(portal_client, what=text, where=f"Dock {marker}", **{"identity-name": name,
                                                                       "identity-contact": email},
                      files=[(file_text, f"payments-{marker}.txt"), (png_bytes(), f"photo-{marker}.png")])
    assert response.status_code == 200
    receipt = receipt_of(response.text)
    follow_up_login(portal_client, receipt)
    assert reporter_post(portal_client, "/follow-up/message", body=reply,
                         files=[(file_text, "again.txt")]).status_code == 302
    db.session.commit()

    secrets_in_clear = [name, email, text, reply, marker, file_text.decode().strip(), receipt.replace(" ", ""),
                        "Reporter Private Name"]
    dump = _all_rows_as_text()
    raw = _raw_database_bytes(app)
    files = _files_bytes(app)
    logs = caplog.text + "\n".join(str(r.__dict__) for r in caplog.records)
    assert files, "the files were stored"
    for secret in secrets_in_clear:
        assert secret not in dump, f"{secret!r} in the database"
        assert secret.encode() not in raw, f"{secret!r} in the raw database file"
        assert secret.encode() not in files, f"{secret!r} in a stored file"
        assert secret not in logs, f"{secret!r} in the logs"
    for address in (IP, "127.0.0.1"):
        assert address not in dump and address.encode() not in raw and address not in logs


def test_gunicorn_access_log_line_has_no_client_address() -> None:
    from gunicorn.config import Config
    from gunicorn.glogging import Logger

    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    cfg = Config()
    cfg.set("accesslog", "-")
    cfg.set("access_log_format", settings["access_log_format"])
    environ = {"REQUEST_METHOD": "POST", "RAW_URI": "/whistleblow?lang=fr", "SERVER_PROTOCOL": "HTTP/1.1",
               "PATH_INFO": "/whistleblow", "QUERY_STRING": "lang=fr", "REMOTE_ADDR": IP,
               "HTTP_X_FORWARDED_FOR": IP, "HTTP_X_REAL_IP": IP, "HTTP_REFERER": "https://news.example/"}
    response = SimpleNamespace(status="200 OK", sent=1234, headers=[])
    request = SimpleNamespace(headers=[("X-FORWARDED-FOR", IP), ("X-REAL-IP", IP)])
    atoms: Any = Logger(cfg).atoms(response, request, environ, timedelta(milliseconds=87))
    line = settings["access_log_format"] % atoms
    assert "/whistleblow" in line and "200" in line
    assert IP not in line and "news.example" not in line
    # Nor a query string: a staff search for a name or a plate would stay in the log after the case is purged.
    environ.update(RAW_URI="/people?q=ZX-9931-QK", PATH_INFO="/people", QUERY_STRING="q=ZX-9931-QK")
    line = settings["access_log_format"] % Logger(cfg).atoms(response, request, environ, timedelta(milliseconds=5))
    assert "/people" in line and "ZX-9931" not in line
