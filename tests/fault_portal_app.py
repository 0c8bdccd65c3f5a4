"""The reporter portal the load test serves with gunicorn: portal_wsgi's app, on the test database.

Built like portal_wsgi.app but from TestConfig (FAULT_INSTANCE / DATABASE_URL), so its receipt hashes, keys
and disabled rate limits match the staff app of the same test (tests.fault_app) and the checking process.
"""

from __future__ import annotations

import os

from caseflow.portal import create_portal_app
from config import TestConfig

app = create_portal_app(TestConfig(os.environ["FAULT_INSTANCE"], os.environ["DATABASE_URL"]))
