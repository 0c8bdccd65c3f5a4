"""Gunicorn settings for production (`make serve`); command-line flags override them.

Privacy: the access log never records a client address (no %(h)s, no X-Forwarded-For) and the log level
stays at "info", so gunicorn's debug lines that name a peer address are never written.
Behind a reverse proxy set CASEFLOW_BEHIND_PROXY=1 (the app then trusts one hop of X-Forwarded-For/
-Proto/-Host through werkzeug's ProxyFix) and bind to loopback or a private interface only.
"""

import os as _os
from pathlib import Path as _Path

from gunicorn.glogging import Logger as _Logger

# Workers: synchronous, one request each. 2 x cores is a good start; argon2id (64 MiB) and PDF rendering
# are CPU-bound, so more workers than ~2 x cores only queues work. Each worker stays well under 150 MB.
workers = 2
threads = 1
worker_class = "sync"
bind = "127.0.0.1:8000"
# Timeouts: a slow hash plus encryption takes well under a second; a 200-event PDF under one second;
# 60 s leaves room for a large upload on a slow line before the arbiter kills the worker.
timeout = 60
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so memory cannot creep (jitter avoids all restarting at once).
max_requests = 2000
max_requests_jitter = 200
# Request size limits: header lines and fields; the body is limited by Flask (MAX_CONTENT_LENGTH,
# from CASEFLOW_MAX_UPLOAD_MB) and should also be limited at the proxy (client_max_body_size).
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
# Heartbeat files in memory, not on a possibly slow or full disk.
worker_tmp_dir = "/dev/shm"  # noqa: S108 - gunicorn heartbeat files, recommended location
# Forwarded headers: gunicorn itself trusts X-Forwarded-Proto only from the local proxy.
forwarded_allow_ips = "127.0.0.1"
# An onion service with `HiddenServiceExportCircuitID haproxy` sends a PROXY header naming the Tor circuit:
# CASEFLOW_PROXY_PROTOCOL=v1 makes that per-circuit pseudo-address the client address the limits key on.
proxy_protocol = _os.environ.get("CASEFLOW_PROXY_PROTOCOL", "off")
proxy_allow_ips = "127.0.0.1"
# Logs to stdout/stderr (journald, docker); method, path, status, bytes, duration: no address, and no query
# string (a person search's name, plate or phone, an early-warning subject's key would stay in the log).
accesslog = "-"
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
errorlog = "-"
# No access-log line for the reporter portal's paths by default: per-second "POST /follow-up" lines could be
# matched against a reporter's other traces. CASEFLOW_PORTAL_ACCESS_LOG=1 writes them (still with no address).
_PORTAL_EXACT = {"/", "/favicon.ico"}
_PORTAL_PREFIXES = ("/report", "/whistleblow", "/follow-up", "/questionnaire", "/static/")


class _QuietPortalLogger(_Logger):
    """Gunicorn's logger, minus the access lines of reporter-portal paths."""

    def access(self, resp, req, environ, request_time):  # noqa: ANN001,ANN201 - gunicorn's signature
        """Write the access line unless it is a portal path (and portal lines were not asked for)."""
        path = environ.get("PATH_INFO", "")
        portal_app = "portal" in str(self.cfg.default_proc_name or "")  # portal_wsgi:app serves reporters only
        if not _LOG_PORTAL and (portal_app or path in _PORTAL_EXACT or path.startswith(_PORTAL_PREFIXES)):
            return
        super().access(resp, req, environ, request_time)


_LOG_PORTAL = _os.environ.get("CASEFLOW_PORTAL_ACCESS_LOG", "").strip().lower() in {"1", "true", "yes", "on"}
logger_class = _QuietPortalLogger
loglevel = "info"
capture_output = False
# The control socket (gunicorn 27) lives in the instance folder, owner-only, one per master (staff and portal
# each run their own), never in a shared home-directory path.
_instance = _os.environ.get("CASEFLOW_INSTANCE") or str(_Path(__file__).resolve().parent / "instance")
_Path(_instance).mkdir(parents=True, exist_ok=True)
control_socket = str(_Path(_instance) / f"gunicorn-{_os.getpid()}.ctl")
control_socket_mode = 0o600
# Import the app once in the master: workers fork with it loaded (shared memory, a replaced worker is
# ready at once). No database connection is opened at import; post_fork drops any inherited pool anyway.
preload_app = True


def when_ready(server):  # noqa: ANN001,ANN201 - gunicorn hook signature
    """Move everything loaded so far out of the garbage collector's way (the workers inherit it on fork)."""
    import gc

    gc.freeze()  # the full collections that scan these objects took 100-150 ms every few dashboard requests


def post_fork(server, worker):  # noqa: ANN001,ANN201 - gunicorn hook signature
    """Give each worker its own database connections (never share a socket across a fork)."""
    from caseflow.extensions import db

    app = server.app.wsgi()
    with app.app_context():
        db.engine.dispose(close=False)
