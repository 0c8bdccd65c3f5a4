"""The investigation workspace: triage record, plan, tasks, interviews, evidence, referrals, clocks, retention."""

from flask import Blueprint

bp = Blueprint("investigation", __name__, url_prefix="/cases")

