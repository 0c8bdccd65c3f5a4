"""The TLS settings for the mail servers: certificates are always verified (system trust or a given CA file)."""

from __future__ import annotations

import ssl

from flask import current_app


def mail_tls_context() -> ssl.SSLContext:
    """Return a verifying TLS context for IMAP and SMTP (CASEFLOW_MAIL_CA_FILE adds a private CA)."""
    return ssl.create_default_context(cafile=current_app.config["CASEFLOW_MAIL_CA_FILE"] or None)
