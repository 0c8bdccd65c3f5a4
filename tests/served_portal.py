"""The reporter portal under real gunicorn (gunicorn.conf.py), over the test database, for process-level tests."""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from caseflow import ROOT


def free_port() -> int:
    """Return a free loopback TCP port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def call(port: int, method: str, path: str, form: dict[str, str] | None = None,
         headers: dict[str, str] | None = None) -> tuple[int, str, http.client.HTTPResponse]:
    """Make one HTTP request; return status, body text and the response."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    sent = dict(headers or {})
    if form is not None:
        sent["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, path, body=urlencode(form) if form is not None else None, headers=sent)
    response = conn.getresponse()
    body = response.read().decode("utf-8", "replace")
    conn.close()
    return response.status, body, response


def token_of(html: str) -> str:
    """Return the first form token of a page."""
    match = re.search(r'name="form_token" value="([^"]+)"', html)
    assert match, "no form token"
    return match.group(1)


@contextlib.contextmanager
def served_portal(app: Any, workers: int = 2, wsgi: str = "portal_wsgi:app",
                  ready: tuple[str, int] = ("/favicon.ico", 204), **env: str) -> Iterator[tuple[int, Path]]:
    """Run portal_wsgi:app (or wsgi) under gunicorn on a free port, over the app's database and instance folder.

    CASEFLOW_INSTANCE in env gives the host an instance folder of its own; it is ready when `ready` answers.
    """
    port = free_port()
    instance = app.config["INSTANCE_PATH"]
    log = Path(env.get("CASEFLOW_INSTANCE", instance)) / f"{wsgi.split(':')[0]}-{port}.log"
    environ = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "CASEFLOW_INSTANCE": instance,
               "CASEFLOW_SECRET_KEY": str(app.config["SECRET_KEY"]), **env}
    with open(log, "wb") as out:
        proc = subprocess.Popen(  # noqa: S603 - fixed argv
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "--bind", f"127.0.0.1:{port}",
             "--workers", str(workers), wsgi], cwd=ROOT, env=environ, stdout=out, stderr=out)
    try:
        for _ in range(300):
            with contextlib.suppress(OSError):
                if call(port, "GET", ready[0])[0] == ready[1]:
                    break
            assert proc.poll() is None, log.read_text()
            time.sleep(0.1)
        else:
            raise AssertionError(f"gunicorn did not start: {log.read_text()}")
        yield port, log
    finally:
        proc.send_signal(signal.SIGQUIT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
