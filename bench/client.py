"""A tiny HTTP client (stdlib http.client) for the benchmarks and the load test: the reporter's and the
investigator's journeys through the real pages, a gunicorn launcher and worker memory."""

from __future__ import annotations

import contextlib
import html
import http.client
import itertools
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

ROOT = Path(__file__).resolve().parent.parent


class HttpError(Exception):
    """An unexpected status from the server."""


def hidden(page: str, name: str) -> str:
    """Return the value of a hidden input in a page."""
    match = re.search(rf'name="{re.escape(name)}"[^>]*value="([^"]*)"', page) or \
        re.search(rf'value="([^"]*)"[^>]*name="{re.escape(name)}"', page)
    if not match:
        raise HttpError(f"no {name} in page")
    return html.unescape(match.group(1))


class Client:
    """One browser-like client: a keep-alive connection and its cookies."""

    def __init__(self, port: int, timeout: float = 120) -> None:
        self.port = port
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, form: dict[str, Any] | None = None,
                expect: tuple[int, ...] = (200,)) -> tuple[int, str, dict[str, str]]:
        """Send one request (retrying once on a closed keep-alive connection); check the status."""
        headers = {"Content-Type": "application/x-www-form-urlencoded"} if form is not None else {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = urlencode(form, doseq=True) if form is not None else None
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.close()
                if attempt == 2 or method != "GET":
                    raise
            except (OSError, http.client.HTTPException):
                self.close()  # never reuse a connection left half-way through a request
                raise
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            cookie_value = rest.split(";")[0]
            if "Max-Age=0" in value or "expires=Thu, 01 Jan 1970" in value:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = cookie_value
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        if response.status not in expect:
            raise HttpError(f"{method} {path}: {response.status} {text[:200]}")
        return response.status, text, {k.lower(): v for k, v in response.getheaders()}

    def close(self) -> None:
        """Close the connection."""
        if self.conn is not None:
            self.conn.close()
            self.conn = None


WHAT = ("At gate 4 of the container terminal the officer on the night shift asked the driver for cash "
        "before stamping the declaration; this has happened several times this month.")
# each report says something new: the portal answers the same words sent again within hours as the same report
_REPORTS = itertools.count(1)


def submit_report(client: Client, timed: list[float] | None = None) -> str:
    """File an anonymous report through /whistleblow; return the receipt code shown."""
    _, page, _ = client.request("GET", "/whistleblow")
    form = {"form_token": hidden(page, "form_token"), "what": f"{WHAT} Seen on trip {next(_REPORTS)}.",
            "when": "last week", "website": "",
            # two people named, so subject matching against staff and the blind index are measured too
            "involved-0-full_name": "Karl Brandt", "involved-0-badge_number": "C-4471",
            "involved-0-position": "night shift, gate 4", "involved-1-full_name": "Mohammed El Amrani"}
    t0 = time.perf_counter()
    _, page, _ = client.request("POST", "/whistleblow", form)
    if timed is not None:
        timed.append((time.perf_counter() - t0) * 1000)
    match = re.search(r'id="receipt-code">\s*([^<]+?)\s*<', page)
    if not match:
        raise HttpError("no receipt code on the receipt page")
    return match.group(1)


def reporter_login(client: Client, receipt: str) -> None:
    """Come back with a receipt code (one slow hash) and open the reporter's case page."""
    _, page, _ = client.request("GET", "/follow-up")
    client.request("POST", "/follow-up", {"form_token": hidden(page, "form_token"), "receipt": receipt},
                   expect=(302, 303))


def send_message(client: Client, body: str, timed: list[float] | None = None) -> None:
    """Post a reporter message from the follow-up case page."""
    _, page, _ = client.request("GET", "/follow-up/case")
    action = re.search(r'action="([^"]*follow-up/message[^"]*)"', page)
    if not action:
        raise HttpError("no message form on the reporter's case page")
    form = {"form_token": hidden(page, "form_token"), "body": body}
    t0 = time.perf_counter()
    client.request("POST", html.unescape(action.group(1)), form, expect=(302, 303))
    if timed is not None:
        timed.append((time.perf_counter() - t0) * 1000)


def staff_login(client: Client, username: str, password: str) -> None:
    """Sign a member of staff in (2FA off in bench/test configurations)."""
    _, page, _ = client.request("GET", "/login")
    form = {"username": username, "password": password}
    with contextlib.suppress(HttpError):
        form["csrf_token"] = hidden(page, "csrf_token")
    client.request("POST", "/login", form, expect=(302, 303))


def free_port() -> int:
    """Return a free loopback port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def gunicorn(app_spec: str, env: dict[str, str], log: Path, workers: int = 2,
             probe: str = "/healthz") -> Iterator[tuple[int, int]]:
    """Serve app_spec with gunicorn.conf.py on a free loopback port once probe answers; yield (port, master pid)."""
    port = free_port()
    with open(log, "wb") as out:
        proc = subprocess.Popen(  # noqa: S603 - fixed argv
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "--bind", f"127.0.0.1:{port}",
             "--workers", str(workers), app_spec], cwd=ROOT, env={**os.environ, **env}, stdout=out, stderr=out)
    try:
        prober = Client(port, timeout=5)
        for _ in range(600):
            with contextlib.suppress(OSError, HttpError, http.client.HTTPException):
                prober.request("GET", probe)
                break
            if proc.poll() is not None:
                raise RuntimeError(log.read_text()[-2000:])
            time.sleep(0.1)
        prober.close()
        yield port, proc.pid
    finally:
        proc.send_signal(signal.SIGQUIT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def worker_rss_mb(master: int) -> list[float]:
    """Return the resident memory (MB) of each gunicorn worker of a master process."""
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            status = (entry / "status").read_text()
            ppid = int(re.search(r"PPid:\s+(\d+)", status).group(1))  # type: ignore[union-attr]
            if ppid == master:
                out.append(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024)  # type: ignore[union-attr]
    return out
