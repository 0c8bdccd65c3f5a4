"""Configuration: the only module that reads the environment."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent
DEFAULT_INSTANCE = BASE_DIR / "instance"


def _env(name: str, default: str | None = None) -> str | None:
    """Return an environment variable or its default."""
    return os.environ.get(name, default)


def _env_int(name: str, default: int) -> int:
    """Return an integer environment variable or its default."""
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def _mailboxes_file(path: str | None) -> list[dict[str, object]]:
    """Read the further mailboxes' JSON list ([{"name", "host", "user", "password", ...}]); none without a file."""
    import json

    if not path:
        return []
    with open(path, encoding="utf-8") as fh:
        entries = json.load(fh)
    if not isinstance(entries, list) or not all(isinstance(e, dict) and {"name", "host", "user"} <= set(e)
                                                for e in entries):
        raise ValueError(f"{path}: a JSON list of mailboxes, each with name, host and user")
    return entries


def _env_bool(name: str, default: bool) -> bool:
    """Return a boolean environment variable (1/true/yes/on) or its default."""
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key(instance: Path) -> str:
    """Return CASEFLOW_SECRET_KEY, or a key persisted 0600 under the instance folder."""
    key = _env("CASEFLOW_SECRET_KEY")
    if key:
        return key
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return path.read_text().strip()


class Config:
    """Settings for a running installation, read from the environment."""

    def __init__(self) -> None:
        instance = Path(_env("CASEFLOW_INSTANCE", str(DEFAULT_INSTANCE)) or DEFAULT_INSTANCE)
        self.INSTANCE_PATH = str(instance)
        self.SECRET_KEY = _secret_key(instance)
        self.SQLALCHEMY_DATABASE_URI = _env("DATABASE_URL") or f"sqlite:///{instance / 'caseflow.db'}"
        self.SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = {"pool_pre_ping": True}
        self.CASEFLOW_KEK_FILE = _env("CASEFLOW_KEK_FILE") or str(instance / "kek.key")
        self.CASEFLOW_UPLOAD_DIR = _env("CASEFLOW_UPLOAD_DIR") or str(instance / "files")
        self.CASEFLOW_RECEIPT_SALT_FILE = _env("CASEFLOW_RECEIPT_SALT_FILE") or str(instance / "receipt.salt")
        self.CASEFLOW_CASE_PREFIX = _env("CASEFLOW_CASE_PREFIX", "IA")
        # The reporting unit (its key) given to a complaint whose channel names none; empty: no unit.
        self.CASEFLOW_DEFAULT_UNIT = _env("CASEFLOW_DEFAULT_UNIT", "")
        # Legal clocks (EU Directive 2019/1937, ISO 37002 practice).
        self.CASEFLOW_ACK_DAYS = _env_int("CASEFLOW_ACK_DAYS", 7)
        self.CASEFLOW_TRIAGE_DAYS = _env_int("CASEFLOW_TRIAGE_DAYS", 14)
        self.CASEFLOW_FEEDBACK_MONTHS = _env_int("CASEFLOW_FEEDBACK_MONTHS", 3)
        self.CASEFLOW_INVESTIGATION_DAYS = {
            "critical": _env_int("CASEFLOW_INVESTIGATION_DAYS_CRITICAL", 30),
            "high": _env_int("CASEFLOW_INVESTIGATION_DAYS_HIGH", 60),
            "medium": _env_int("CASEFLOW_INVESTIGATION_DAYS_MEDIUM", 90),
            "low": _env_int("CASEFLOW_INVESTIGATION_DAYS_LOW", 180),
        }
        self.CASEFLOW_REMINDER_DAYS = _env_int("CASEFLOW_REMINDER_DAYS", 2)
        self.CASEFLOW_RETENTION_DAYS = {
            "closed": _env_int("CASEFLOW_RETENTION_DAYS_CLOSED", 5 * 365),
            "dismissed": _env_int("CASEFLOW_RETENTION_DAYS_DISMISSED", 2 * 365),
            "referred": _env_int("CASEFLOW_RETENTION_DAYS_REFERRED", 2 * 365),
        }
        self.CASEFLOW_MAX_UPLOAD_MB = _env_int("CASEFLOW_MAX_UPLOAD_MB", 30)
        self.MAX_CONTENT_LENGTH = (self.CASEFLOW_MAX_UPLOAD_MB * 5 + 1) * 1024 * 1024
        # Budgets for the files of one submission, checked before anything is decoded or written.
        self.CASEFLOW_MAX_FILES = _env_int("CASEFLOW_MAX_FILES", 10)
        self.CASEFLOW_MAX_SUBMISSION_MB = _env_int("CASEFLOW_MAX_SUBMISSION_MB", 60)
        self.CASEFLOW_MAX_IMAGE_PIXELS = _env_int("CASEFLOW_MAX_IMAGE_MEGAPIXELS", 40) * 1_000_000
        self.CASEFLOW_MAX_IMAGE_FRAMES = _env_int("CASEFLOW_MAX_IMAGE_FRAMES", 50)
        self.CASEFLOW_MAX_DECODED_PIXELS = _env_int("CASEFLOW_MAX_DECODED_MEGAPIXELS", 100) * 1_000_000
        self.CASEFLOW_MAX_UNPACKED_MB = _env_int("CASEFLOW_MAX_UNPACKED_MB", 100)
        self.CASEFLOW_MAX_PACK_RATIO = _env_int("CASEFLOW_MAX_PACK_RATIO", 100)
        self.CASEFLOW_MAX_PACK_ENTRIES = _env_int("CASEFLOW_MAX_PACK_ENTRIES", 1000)
        self.CASEFLOW_MAX_PDF_PAGES = _env_int("CASEFLOW_MAX_PDF_PAGES", 300)
        # Text fields of a form may hold up to 8 MB together, so an overlong text gets the form's length
        # message instead of a bare 413 (Flask's default is 500 kB).
        self.MAX_FORM_MEMORY_SIZE = 8 * 1024 * 1024
        self.CASEFLOW_SUPPRESSION_THRESHOLD = _env_int("CASEFLOW_SUPPRESSION_THRESHOLD", 5)
        # Targets of the dashboard: the share of each legal clock met on time, in per cent
        self.CASEFLOW_TARGET_ACK_PCT = _env_int("CASEFLOW_TARGET_ACK_PCT", 95)
        self.CASEFLOW_TARGET_TRIAGE_PCT = _env_int("CASEFLOW_TARGET_TRIAGE_PCT", 90)
        self.CASEFLOW_TARGET_FEEDBACK_PCT = _env_int("CASEFLOW_TARGET_FEEDBACK_PCT", 90)
        # Early warning (dashboards): thresholds over a rolling period; a subject or office at or above
        # any threshold is listed for supervisors.
        self.CASEFLOW_EW_PERIOD_DAYS = _env_int("CASEFLOW_EW_PERIOD_DAYS", 365)
        self.CASEFLOW_EW_SUBJECT_CASES = _env_int("CASEFLOW_EW_SUBJECT_CASES", 3)
        self.CASEFLOW_EW_SUBJECT_CATEGORY_CASES = _env_int("CASEFLOW_EW_SUBJECT_CATEGORY_CASES", 2)
        self.CASEFLOW_EW_SUBJECT_SUSTAINED = _env_int("CASEFLOW_EW_SUBJECT_SUSTAINED", 2)
        self.CASEFLOW_EW_OFFICE_CASES = _env_int("CASEFLOW_EW_OFFICE_CASES", 20)
        self.CASEFLOW_EW_OFFICE_SUSTAINED = _env_int("CASEFLOW_EW_OFFICE_SUSTAINED", 5)
        # Reports: the issuing unit printed on PDF covers.
        self.CASEFLOW_UNIT_NAME = _env("CASEFLOW_UNIT_NAME", "Integrity and Internal Affairs Unit")
        # Its name in each other language (CASEFLOW_UNIT_NAME_FR, ..._AR); unset: the shipped translation of
        # the default name, or CASEFLOW_UNIT_NAME itself once renamed.
        self.CASEFLOW_UNIT_NAMES = {lang: name for lang in ("fr", "es", "pt", "ar")
                                    if (name := _env(f"CASEFLOW_UNIT_NAME_{lang.upper()}"))}
        # The roles that decide a sanction (the disciplinary authority); investigators only recommend one.
        self.CASEFLOW_DISCIPLINARY_ROLES = tuple(
            r.strip() for r in (_env("CASEFLOW_DISCIPLINARY_ROLES", "supervisor") or "").split(",") if r.strip())
        self.CASEFLOW_REQUIRE_2FA = _env_bool("CASEFLOW_REQUIRE_2FA", True)
        self.CASEFLOW_ARGON2 = {"time_cost": 3, "memory_cost": 65536, "parallelism": 2}
        self.CASEFLOW_IDLE_MINUTES = _env_int("CASEFLOW_IDLE_MINUTES", 30)
        self.CASEFLOW_SESSION_HOURS = _env_int("CASEFLOW_SESSION_HOURS", 12)
        self.CASEFLOW_LOCKOUT_ATTEMPTS = _env_int("CASEFLOW_LOCKOUT_ATTEMPTS", 5)
        self.CASEFLOW_LOCKOUT_MINUTES = _env_int("CASEFLOW_LOCKOUT_MINUTES", 15)
        self.CASEFLOW_BEHIND_PROXY = _env_bool("CASEFLOW_BEHIND_PROXY", False)
        # Backups on PostgreSQL: the folder holding pg_dump / pg_restore (else PATH, /usr/lib/postgresql/*/bin).
        self.CASEFLOW_PG_BIN = _env("CASEFLOW_PG_BIN", "")
        self.CASEFLOW_PAGE_SIZE = _env_int("CASEFLOW_PAGE_SIZE", 25)
        # Mail channels.
        self.CASEFLOW_IMAP_HOST = _env("CASEFLOW_IMAP_HOST", "")
        self.CASEFLOW_IMAP_PORT = _env_int("CASEFLOW_IMAP_PORT", 993)
        self.CASEFLOW_IMAP_USER = _env("CASEFLOW_IMAP_USER", "")
        self.CASEFLOW_IMAP_PASSWORD = _env("CASEFLOW_IMAP_PASSWORD", "")
        self.CASEFLOW_IMAP_SSL = _env_bool("CASEFLOW_IMAP_SSL", True)
        self.CASEFLOW_IMAP_FOLDER = _env("CASEFLOW_IMAP_FOLDER", "INBOX")
        self.CASEFLOW_IMAP_FAILED_FOLDER = _env("CASEFLOW_IMAP_FAILED_FOLDER", "CaseFlow-Unparseable")
        self.CASEFLOW_IMAP_MAX_BYTES = _env_int("CASEFLOW_IMAP_MAX_MB", 25) * 1024 * 1024
        self.CASEFLOW_IMAP_TIMEOUT = _env_int("CASEFLOW_IMAP_TIMEOUT", 30)
        self.CASEFLOW_IMAP_DONE_FOLDER = _env("CASEFLOW_IMAP_DONE_FOLDER", "")
        # XOAUTH2 (Microsoft 365, Google) instead of the password when a token URL is set
        self.CASEFLOW_IMAP_OAUTH = {"token_url": _env("CASEFLOW_IMAP_OAUTH_TOKEN_URL", ""),
                                    "client_id": _env("CASEFLOW_IMAP_OAUTH_CLIENT_ID", ""),
                                    "client_secret": _env("CASEFLOW_IMAP_OAUTH_CLIENT_SECRET", ""),
                                    "refresh_token": _env("CASEFLOW_IMAP_OAUTH_REFRESH_TOKEN", ""),
                                    "scope": _env("CASEFLOW_IMAP_OAUTH_SCOPE", "")}
        # further mailboxes (one per regional office or reporting unit), from a JSON file kept like a key file
        self.CASEFLOW_MAILBOXES = _mailboxes_file(_env("CASEFLOW_MAILBOXES_FILE", ""))
        self.CASEFLOW_API_MAX_BYTES = _env_int("CASEFLOW_API_MAX_KB", 256) * 1024
        self.CASEFLOW_SMTP_HOST = _env("CASEFLOW_SMTP_HOST", "")
        self.CASEFLOW_SMTP_PORT = _env_int("CASEFLOW_SMTP_PORT", 25)
        self.CASEFLOW_SMTP_USER = _env("CASEFLOW_SMTP_USER", "")
        self.CASEFLOW_SMTP_PASSWORD = _env("CASEFLOW_SMTP_PASSWORD", "")
        self.CASEFLOW_SMTP_STARTTLS = _env_bool("CASEFLOW_SMTP_STARTTLS", False)
        self.CASEFLOW_SMTP_SSL = _env_bool("CASEFLOW_SMTP_SSL", False)  # implicit TLS (port 465)
        # XOAUTH2 for outgoing mail: a token from the SMTP server's own OAuth client when its token URL is set,
        # else (CASEFLOW_SMTP_XOAUTH2=true) from the mailbox's CASEFLOW_IMAP_OAUTH_* client
        self.CASEFLOW_SMTP_XOAUTH2 = _env_bool("CASEFLOW_SMTP_XOAUTH2", False)
        self.CASEFLOW_SMTP_OAUTH = {"token_url": _env("CASEFLOW_SMTP_OAUTH_TOKEN_URL", ""),
                                    "client_id": _env("CASEFLOW_SMTP_OAUTH_CLIENT_ID", ""),
                                    "client_secret": _env("CASEFLOW_SMTP_OAUTH_CLIENT_SECRET", ""),
                                    "refresh_token": _env("CASEFLOW_SMTP_OAUTH_REFRESH_TOKEN", ""),
                                    "scope": _env("CASEFLOW_SMTP_OAUTH_SCOPE", "")}
        self.CASEFLOW_MAIL_FROM = _env("CASEFLOW_MAIL_FROM", "caseflow@localhost")
        # TLS to the mail servers is always verified; a PEM file of extra CAs for a private mail server.
        self.CASEFLOW_MAIL_CA_FILE = _env("CASEFLOW_MAIL_CA_FILE", "")
        # Languages and time zone.
        self.BABEL_DEFAULT_LOCALE = _env("CASEFLOW_DEFAULT_LOCALE", "en")
        self.BABEL_DEFAULT_TIMEZONE = _env("CASEFLOW_TIMEZONE", "UTC")
        self.CASEFLOW_LANGUAGES = ["en", "fr", "es", "pt", "ar"]
        # Rate limits (Flask-Limiter), counted once for all the workers of a host (a SQLite file in the instance
        # folder); CASEFLOW_LIMITER_URL=redis://... when several app hosts serve one installation.
        # A Redis that cannot be reached hands the counting to that host-local file (caseflow.limitstore), so a
        # Redis outage neither fails requests nor lifts the limits; CASEFLOW_LIMITER_RETRY_SECONDS between tries.
        self.CASEFLOW_LIMITER_URL = _env("CASEFLOW_LIMITER_URL") or _env("CASEFLOW_RATELIMIT_STORAGE_URI") or ""
        local_limits = f"caseflow+sqlite://{instance / 'limits.sqlite'}"
        self.RATELIMIT_STORAGE_URI = self.CASEFLOW_LIMITER_URL or local_limits
        if self.CASEFLOW_LIMITER_URL.startswith(("redis://", "rediss://", "redis+unix://")):
            self.RATELIMIT_STORAGE_URI = "caseflow+failover://"
            self.RATELIMIT_STORAGE_OPTIONS = {"shared": self.CASEFLOW_LIMITER_URL, "local": local_limits,
                                              "retry_seconds": float(_env("CASEFLOW_LIMITER_RETRY_SECONDS") or 5)}
        self.RATELIMIT_ENABLED = _env_bool("CASEFLOW_RATELIMIT_ENABLED", True)
        # A deployment reading a streaming replica: the dashboard writes nothing and counts stale months live.
        self.RATELIMIT_HEADERS_ENABLED = False
        # Reporter pages (confidential reporting): per-connection limits, keyed by an HMAC of the address.
        self.CASEFLOW_LIMIT_REPORT = _env("CASEFLOW_LIMIT_REPORT", "5 per hour;20 per day")
        self.CASEFLOW_LIMIT_API = _env("CASEFLOW_LIMIT_API", "600 per minute")
        self.CASEFLOW_LIMIT_UPLOAD = _env("CASEFLOW_LIMIT_UPLOAD", "20 per hour")
        self.CASEFLOW_LIMIT_FOLLOW_UP = _env("CASEFLOW_LIMIT_FOLLOW_UP", "10 per 15 minutes;30 per day")
        # Follow-up login: per client (address, or Tor circuit through the PROXY protocol), then failed attempts
        # only, per receipt lookup key (its first 8 digits) and for everyone together.
        self.CASEFLOW_LIMIT_FOLLOW_UP_RECEIPT = _env("CASEFLOW_LIMIT_FOLLOW_UP_RECEIPT", "5 per hour;20 per day")
        self.CASEFLOW_LIMIT_FOLLOW_UP_ALL = _env("CASEFLOW_LIMIT_FOLLOW_UP_ALL", "600 per hour")
        self.CASEFLOW_LIMIT_REPORT_MESSAGES = _env("CASEFLOW_LIMIT_REPORT_MESSAGES", "30 per hour")
        # Receipt hashes (argon2id): fixed once receipts exist, since changing them invalidates every receipt.
        self.CASEFLOW_RECEIPT_ARGON2 = {"time_cost": 3, "memory_cost": 65536, "parallelism": 2}
        # Reporter sessions (server-side, opened by a receipt): idle limit and absolute limit.
        self.CASEFLOW_REPORTER_IDLE_MINUTES = _env_int("CASEFLOW_REPORTER_IDLE_MINUTES", 20)
        self.CASEFLOW_REPORTER_SESSION_MINUTES = _env_int("CASEFLOW_REPORTER_SESSION_MINUTES", 120)
        # The portal's discreet link to the staff sign-in (empty: no link, e.g. on an internet-facing portal).
        self.CASEFLOW_STAFF_URL = _env("CASEFLOW_STAFF_URL", "http://127.0.0.1:5000/")
        # Cookies.
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = _env_bool("CASEFLOW_SECURE_COOKIES", False)
        self.SESSION_COOKIE_NAME = "caseflow_session"
        self.REMEMBER_COOKIE_DURATION = 0
        self.WTF_CSRF_TIME_LIMIT = 3600 * 8
        self.TESTING = False


class TestConfig(Config):
    """Settings for the test suite: a throwaway instance folder, fast hashes, no 2FA by default."""

    __test__ = False

    def __init__(self, instance: str, database_url: str | None = None) -> None:
        os.environ.setdefault("CASEFLOW_SECRET_KEY", "test-secret-key-not-for-production")
        previous = os.environ.get("CASEFLOW_INSTANCE")
        os.environ["CASEFLOW_INSTANCE"] = instance
        try:
            super().__init__()
        finally:
            if previous is None:
                os.environ.pop("CASEFLOW_INSTANCE", None)
            else:
                os.environ["CASEFLOW_INSTANCE"] = previous
        self.TESTING = True
        self.SQLALCHEMY_DATABASE_URI = database_url or f"sqlite:///{Path(instance) / 'test.db'}"
        self.CASEFLOW_REQUIRE_2FA = False
        self.RATELIMIT_ENABLED = False
        # Tests move the clock by days while signed in; tests of the timeouts switch them on (0 = off).
        self.CASEFLOW_IDLE_MINUTES = 0
        self.CASEFLOW_SESSION_HOURS = 0
        self.CASEFLOW_ARGON2 = {"time_cost": 1, "memory_cost": 8192, "parallelism": 1}
        self.CASEFLOW_RECEIPT_ARGON2 = {"time_cost": 1, "memory_cost": 8192, "parallelism": 1}


def test_database_url() -> str | None:
    """Return the DATABASE_URL the test suite should run against, if any."""
    return _env("DATABASE_URL")
