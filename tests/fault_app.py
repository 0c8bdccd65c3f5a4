"""The WSGI app the fault and load tests serve with gunicorn: the real app on the test database.

TestConfig from FAULT_INSTANCE / DATABASE_URL (rate limits off, CSRF off so scripted clients can post),
plus one test-only route that runs the real receive_complaint() and then waits before committing, so a
test can SIGKILL the worker in the middle of a submission (after the case and its audit event were
flushed, before the commit).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from flask import request

from caseflow.app import create_app
from caseflow.enums import Channel
from caseflow.extensions import db
from caseflow.intake.operations import receive_complaint
from config import TestConfig

cfg = TestConfig(os.environ["FAULT_INSTANCE"], os.environ["DATABASE_URL"])
cfg.WTF_CSRF_ENABLED = False
app = create_app(cfg)

if os.environ.get("FAULT_CREATE_SCHEMA") == "1":
    from caseflow.auth.operations import create_user
    from caseflow.enums import Role

    with app.app_context():
        db.create_all()
        create_user("faultsup", "Fault Supervisor", Role.SUPERVISOR, "Correct-Horse-Battery-9")
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


@app.post("/_fault/submit")
def slow_submit() -> tuple[str, int]:
    """Receive a complaint, flush it with its audit event, then (if asked) pause before committing."""
    case = receive_complaint(channel=Channel.WHISTLEBLOWER, title=request.form.get("title", "Fault test"),
                             summary="Submitted by the fault test", is_anonymous=True).case
    pause_file = request.form.get("pause_file")
    if pause_file:
        Path(pause_file).write_text(str(os.getpid()))
        time.sleep(30)
    db.session.commit()
    return case.number, 201
