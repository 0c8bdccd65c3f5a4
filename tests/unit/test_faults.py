"""Fault tolerance: a worker killed mid-submission, the database restarted under a running app, a full or
read-only upload disk. The app runs under real gunicorn (gunicorn.conf.py) where the fault needs a process."""

from __future__ import annotations

import contextlib
import errno
import glob
import http.client
import io
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa

from caseflow import ROOT, attachments
from caseflow.audit import verify_chain
from caseflow.enums import Channel
from caseflow.extensions import db
from caseflow.intake.operations import receive_complaint
from caseflow.models import AuditEvent, Case
from tests.conftest import csrf_token


def free_port() -> int:
    """Return a free loopback TCP port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def request(port: int, method: str, path: str, form: dict[str, str] | None = None,
            cookie: str | None = None) -> tuple[int, str, http.client.HTTPResponse]:
    """Make one HTTP request to the served app; return status, body text and the response."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=40)
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if form is not None else {}
    if cookie:
        headers["Cookie"] = cookie
    conn.request(method, path, body=urlencode(form) if form is not None else None, headers=headers)
    response = conn.getresponse()
    body = response.read().decode("utf-8", "replace")
    conn.close()
    return response.status, body, response


@contextlib.contextmanager
def served(database_url: str, instance: str, workers: int = 2, **env: str) -> Iterator[tuple[int, Path]]:
    """Run tests/fault_app.py under gunicorn with gunicorn.conf.py; yield its port and its log file."""
    port = free_port()
    log = Path(instance) / f"gunicorn-{port}.log"
    environ = {**os.environ, "DATABASE_URL": database_url, "FAULT_INSTANCE": instance, **env}
    with open(log, "wb") as out:
        proc = subprocess.Popen(  # noqa: S603 - fixed argv
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "--bind", f"127.0.0.1:{port}",
             "--workers", str(workers), "tests.fault_app:app"], cwd=ROOT, env=environ, stdout=out, stderr=out)
    try:
        for _ in range(300):
            with contextlib.suppress(OSError):
                if request(port, "GET", "/healthz")[0] == 200:
                    break
            assert proc.poll() is None, log.read_text()
            time.sleep(0.1)
        else:
            raise AssertionError(f"gunicorn did not start: {log.read_text()}")
        yield port, log
    finally:
        proc.send_signal(signal.SIGQUIT)  # quick shutdown
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def access_lines(log: Path, needle: str, wait: float = 10.0) -> list[str]:
    """Return the log lines containing needle, waiting for the first (gunicorn logs after the response)."""
    deadline = time.monotonic() + wait
    while True:
        lines = [line for line in log.read_text().splitlines() if needle in line]
        if lines or time.monotonic() > deadline:
            return lines
        time.sleep(0.1)


def _db_counts() -> tuple[int, int]:
    db.session.remove()
    return (db.session.scalar(sa.select(sa.func.count()).select_from(Case)) or 0,
            db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) or 0)


def test_worker_killed_mid_submission_leaves_no_partial_case_and_an_intact_chain(app, users, tmp_path):
    db.session.remove()
    _, events_before = _db_counts()
    with served(app.config["SQLALCHEMY_DATABASE_URI"], app.config["INSTANCE_PATH"]) as (port, log):
        pause = tmp_path / "paused"
        outcome: list[object] = []

        def submit() -> None:
            try:
                outcome.append(request(port, "POST", "/_fault/submit", {"title": "Killed", "pause_file": str(pause)}))
            except (OSError, http.client.HTTPException) as exc:
                outcome.append(exc)

        thread = threading.Thread(target=submit)
        thread.start()
        for _ in range(300):
            if pause.exists() and pause.read_text():
                break
            time.sleep(0.1)
        os.kill(int(pause.read_text()), signal.SIGKILL)  # the case and its audit event are flushed, not committed
        thread.join(timeout=40)
        assert outcome and not (isinstance(outcome[0], tuple) and outcome[0][0] == 201)
        assert _db_counts() == (0, events_before)
        assert verify_chain().ok
        # gunicorn replaces the worker; the next submission is stored whole and continues the chain
        status = 0
        for _ in range(100):
            with contextlib.suppress(OSError, http.client.HTTPException):
                status, number, _ = request(port, "POST", "/_fault/submit", {"title": "After the kill"})
                if status == 201:
                    break
            time.sleep(0.2)
        assert status == 201
        assert _db_counts() == (1, events_before + 1)
        result = verify_chain()
        assert result.ok, result.message
        assert db.session.scalar(sa.select(Case.title)) == "After the kill"
        lines = access_lines(log, '"POST /_fault/submit')
        assert lines and not any("127.0.0.1" in line for line in lines)  # no client address in the access log


def _pg_bin() -> str:
    found = os.environ.get("CASEFLOW_PG_BIN") or (sorted(glob.glob("/usr/lib/postgresql/*/bin")) or [""])[-1]
    assert found, "PostgreSQL is not installed (make system-deps)"
    return found


@contextlib.contextmanager
def private_postgres() -> Iterator[tuple[str, list[str], str]]:
    """Start a PostgreSQL cluster of this test's own (stopping it must not disturb the suite's database)."""
    pg_bin = _pg_bin()
    runas = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
    tmp = tempfile.mkdtemp(prefix="caseflow-fault-pg.")
    if runas:
        shutil.chown(tmp, "postgres")
    data, port = f"{tmp}/data", free_port()
    subprocess.run([*runas, f"{pg_bin}/initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8",  # noqa: S603
                    "--locale=C.UTF-8"], check=True, capture_output=True)
    ctl = [*runas, f"{pg_bin}/pg_ctl", "-D", data, "-l", f"{tmp}/log", "-w", "-o",
           f"-p {port} -k {tmp} -c listen_addresses=127.0.0.1 -c fsync=off"]
    subprocess.run([*ctl, "start"], check=True, capture_output=True)  # noqa: S603
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres", ctl, tmp
    finally:
        subprocess.run([*ctl, "-m", "immediate", "stop"], capture_output=True)  # noqa: S603
        shutil.rmtree(tmp, ignore_errors=True)


def test_database_restart_gives_a_clean_503_then_recovers_without_restarting_the_app(tmp_path):
    with private_postgres() as (url, ctl, _), \
            served(url, str(tmp_path), workers=1, FAULT_CREATE_SCHEMA="1") as (port, log):
        status, _, response = request(port, "POST", "/login",
                                      {"username": "faultsup", "password": "Correct-Horse-Battery-9"})
        assert status == 302
        cookie = response.getheader("Set-Cookie").split(";")[0]
        assert request(port, "GET", "/cases", cookie=cookie)[0] == 200
        subprocess.run([*ctl, "-m", "fast", "stop"], check=True, capture_output=True)  # noqa: S603
        status, body, _ = request(port, "GET", "/cases", cookie=cookie)
        assert status == 503, log.read_text()[-2000:]
        assert "temporarily unavailable" in body and "Traceback" not in body and "psycopg" not in body
        assert request(port, "GET", "/healthz")[0] == 503
        subprocess.run([*ctl, "start"], check=True, capture_output=True)  # noqa: S603
        statuses = []
        for _ in range(60):  # back within seconds, same gunicorn, same worker
            statuses.append(request(port, "GET", "/cases", cookie=cookie)[0])
            if statuses[-1] == 200:
                break
            time.sleep(0.25)
        assert statuses[-1] == 200, statuses
        assert "Traceback" not in log.read_text()



@contextlib.contextmanager
def upload_disk(path: Path, fault: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Make the upload folder a tiny full tmpfs or a read-only one (or, where mounting is not allowed,
    make the file system calls fail the same way)."""
    path.mkdir(parents=True)
    options = "ro,size=64k" if fault == "readonly" else "size=4k"
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)],  # noqa: S603,S607
                             capture_output=True).returncode == 0
    if not mounted:
        code = errno.EROFS if fault == "readonly" else errno.ENOSPC
        real_open = os.open

        def failing_open(file: str, *args: object, **kw: object) -> int:
            if str(file).startswith(str(path)):
                raise OSError(code, os.strerror(code), str(file))
            return real_open(file, *args, **kw)  # type: ignore[arg-type]
        monkeypatch.setattr(attachments.os, "open", failing_open)
    try:
        yield
    finally:
        if mounted:
            subprocess.run(["umount", str(path)], capture_output=True)  # noqa: S603,S607


@pytest.mark.parametrize("fault", ["full", "readonly"])
def test_full_or_read_only_upload_disk_stores_no_half_case(app, portal_app, users, tmp_path, monkeypatch, fault):
    uploads = tmp_path / "uploads"
    monkeypatch.setitem(app.config, "CASEFLOW_UPLOAD_DIR", str(uploads))
    monkeypatch.setitem(portal_app.config, "CASEFLOW_UPLOAD_DIR", str(uploads))
    _, events_before = _db_counts()
    big = b"Payments ledger, gate 4\n" * 3_000  # a plain file: the disk, not the parser, must fail
    with upload_disk(uploads, fault, monkeypatch):
        with pytest.raises(Exception) as caught:  # noqa: B017,PT011 - any error, as long as nothing is kept
            receive_complaint(channel=Channel.WHISTLEBLOWER, title="With a file", is_anonymous=True,
                              content="Evidence attached", attachments=[("evidence.txt", big)])
        db.session.rollback()
        assert _db_counts() == (0, events_before)
        assert verify_chain().ok
        message = str(caught.value)
        assert "space" in message.lower() or "read-only" in message.lower() or "stor" in message.lower(), message
        client = portal_app.test_client()
        page = client.get("/whistleblow")
        token = csrf_token(page.data, "form_token")
        response = client.post("/whistleblow", data={
            "form_token": token, "what": "The officer asked for money at gate 4",
            "files": [(io.BytesIO(big), "evidence.txt")]}, content_type="multipart/form-data")
        assert response.status_code >= 400 and b"Traceback" not in response.data
        assert _db_counts() == (0, events_before)
