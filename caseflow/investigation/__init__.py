"""The investigation workspace: triage record, plan, tasks, interviews, evidence, referrals, clocks, retention."""

from flask import Blueprint

bp = Blueprint("investigation", __name__, url_prefix="/cases")

from caseflow.investigation import commands, views, views_evidence, views_files  # noqa: E402,F401
