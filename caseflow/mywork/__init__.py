"""My work: each member of staff's landing page, and the notices that bring them there."""

from typing import Any

from flask import Blueprint

bp = Blueprint("mywork", __name__, url_prefix="/my-work")


def init_app(app: Any) -> None:
    """Connect the notices to the case events (in app, and by e-mail through the outbox)."""
    from caseflow.mywork import notices

    notices.connect()


