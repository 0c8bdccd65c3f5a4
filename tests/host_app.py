"""The apps one more host serves under gunicorn in tests: the production Config read from the environment, as in
wsgi.py and portal_wsgi.py, only with the test suite's cheap password and receipt hashes (so a receipt made by the
in-process portal opens the served one, and a guess costs milliseconds, not an argon2id of 64 MiB)."""

from __future__ import annotations

from flask import Flask

from config import Config


def _config() -> Config:
    cfg = Config()
    cfg.CASEFLOW_ARGON2 = {"time_cost": 1, "memory_cost": 8192, "parallelism": 1}
    cfg.CASEFLOW_RECEIPT_ARGON2 = {"time_cost": 1, "memory_cost": 8192, "parallelism": 1}
    return cfg


def portal() -> Flask:
    """The reporter portal (portal_wsgi:app) of one host: gunicorn 'tests.host_app:portal()'."""
    from caseflow.portal import create_portal_app

    return create_portal_app(_config())


def staff() -> Flask:
    """The staff app (wsgi:app) of one host: gunicorn 'tests.host_app:staff()'."""
    from caseflow.app import create_app

    return create_app(_config())
