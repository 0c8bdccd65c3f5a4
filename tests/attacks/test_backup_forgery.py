"""Attacks on backups: someone who can write to the backup store, but does not hold the KEK, alters a backup.

He swaps in a database in which a case's priority was changed (no audit event: case rows are not in the
chain), and rewrites the manifest's SHA-256 to match, or strips the manifest's authentication. Restore must
refuse, on SQLite and on PostgreSQL (run this file under scripts/with-postgres.sh), and change nothing.
"""

from __future__ import annotations

import hashlib
import json
import shutil

import pytest
import sqlalchemy as sa

from caseflow.backup import MANIFEST, BackupError, make_backup, restore_backup
from caseflow.enums import Priority
from caseflow.extensions import db
from caseflow.models import Case
from tests.factories import make_case


def _forge(tmp_path):
    """Make a genuine backup, then a doctored database from a second one; put it in the first and fix the hash."""
    case = make_case(title="Bribe at the port", priority=Priority.HIGH)
    db.session.commit()
    case_id = case.id
    make_backup(tmp_path / "genuine")
    db.session.execute(sa.update(Case).where(Case.id == case_id).values(priority=Priority.LOW))
    db.session.commit()
    make_backup(tmp_path / "doctored")
    manifest = json.loads((tmp_path / "genuine" / MANIFEST).read_text())
    name = manifest["database"]
    shutil.copyfile(tmp_path / "doctored" / name, tmp_path / "genuine" / name)
    manifest["files"][name] = hashlib.sha256((tmp_path / "genuine" / name).read_bytes()).hexdigest()
    (tmp_path / "genuine" / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    db.session.execute(sa.update(Case).where(Case.id == case_id).values(title="Live data"))
    db.session.commit()
    return tmp_path / "genuine", manifest


def test_a_database_swapped_with_its_hash_rewritten_is_refused(app, users, tmp_path):
    forged, _manifest = _forge(tmp_path)
    with pytest.raises(BackupError, match="HMAC does not verify"):
        restore_backup(forged)
    db.session.remove()
    assert db.session.scalar(sa.select(Case.title)) == "Live data"  # nothing was restored


def test_a_manifest_stripped_of_its_mac_is_refused(app, users, runner, tmp_path):
    forged, manifest = _forge(tmp_path)
    del manifest["mac"]
    (forged / MANIFEST).write_text(json.dumps(manifest))
    result = runner.invoke(args=["caseflow", "restore", str(forged), "--yes"])
    assert result.exit_code != 0 and "not authenticated" in result.output
    db.session.remove()
    assert db.session.scalar(sa.select(Case.title)) == "Live data"


def test_a_mac_recomputed_without_the_kek_is_refused(app, users, tmp_path):
    import hmac
    forged, manifest = _forge(tmp_path)
    body = {k: v for k, v in manifest.items() if k != "mac"}
    manifest["mac"] = hmac.new(b"guessed key", json.dumps(body, sort_keys=True, separators=(",", ":")).encode(),
                               hashlib.sha256).hexdigest()
    (forged / MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(BackupError, match="HMAC"):
        restore_backup(forged)
