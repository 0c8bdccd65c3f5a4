"""CaseFlow: complaints management and administrative investigation.

The staff app is built by caseflow.app.create_app(), the reporter portal by caseflow.portal.create_portal_app().
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def keep_sqlite_private(uri: str) -> None:
    """Create a SQLite database file owner-only (0600, like the key files); tighten an existing one."""
    if not uri.startswith("sqlite:///") or ":memory:" in uri:
        return
    path = Path(uri.removeprefix("sqlite:///").split("?", 1)[0])
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))  # SQLite's journals copy these permissions
    elif path.stat().st_mode & 0o077 and path.stat().st_uid == os.getuid():
        path.chmod(0o600)
