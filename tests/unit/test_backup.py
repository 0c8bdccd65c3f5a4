"""Backup and restore round trip: nothing lost, files identical, audit chain still verifies; damage refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from caseflow import audit
from caseflow.backup import MANIFEST, BackupError, make_backup, restore_backup
from caseflow.enums import Channel
from caseflow.extensions import db
from caseflow.models import Case
from tests.factories import make_case

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
       b"\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82")


def _snapshot() -> dict[str, list[str]]:
    """Every row of every table, as sorted text."""
    db.session.remove()
    out = {}
    for table in db.metadata.sorted_tables:
        out[table.name] = sorted(repr(tuple(row)) for row in db.session.execute(sa.select(table)))
    return out


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _world(users) -> None:
    make_case(title="Cash demanded at the northern gate", subject="Rafael Moreno")
    make_case(channel=Channel.WHISTLEBLOWER, title="Whistleblower: tender rigging", is_anonymous=True,
              content="The tender for scanners was rigged by the deputy director.",
              identity={"name": "Ana Reporter", "contact": "ana@example.org"},
              attachments=[("evidence.png", PNG)], issue_receipt=True)


def test_round_trip_loses_nothing_and_audit_still_verifies(app, users, tmp_path):
    _world(users)
    files_dir = Path(app.config["CASEFLOW_UPLOAD_DIR"])
    before_rows, before_files = _snapshot(), _files(files_dir)
    assert before_rows["cases"] and before_rows["audit_events"]
    result = make_backup(tmp_path / "bk")
    assert result.audit_events == len(before_rows["audit_events"])
    manifest = json.loads((tmp_path / "bk" / MANIFEST).read_text())
    assert manifest["keys_included"] is False and manifest["audit_head"] == audit.head_hash()
    assert not any("kek" in name or "salt" in name for name in manifest["files"])
    # Life goes on (and something goes wrong) after the backup...
    make_case(title="Created after the backup")
    db.session.execute(sa.delete(Case).where(Case.title == "Cash demanded at the northern gate"))
    db.session.commit()
    for f in files_dir.rglob("*"):
        if f.is_file():
            f.write_bytes(b"ransomware")
    check = restore_backup(tmp_path / "bk")
    assert check.ok and check.count == len(before_rows["audit_events"])
    assert _snapshot() == before_rows
    assert _files(files_dir) == before_files
    assert audit.verify_chain().ok


def test_damaged_backup_is_refused_before_anything_changes(app, users, tmp_path):
    _world(users)
    make_backup(tmp_path / "bk")
    before = _snapshot()
    victim = next(p for p in (tmp_path / "bk").rglob("*") if p.is_file() and p.name != MANIFEST)
    victim.write_bytes(victim.read_bytes() + b"x")
    with pytest.raises(BackupError, match="SHA-256"):
        restore_backup(tmp_path / "bk")
    extra = tmp_path / "bk" / "files" / "planted.bin"
    extra.parent.mkdir(exist_ok=True)
    extra.write_bytes(b"1")
    with pytest.raises(BackupError):
        restore_backup(tmp_path / "bk")
    assert _snapshot() == before


def test_refuses_a_non_empty_target(app, tmp_path):
    (tmp_path / "old.txt").write_text("x")
    with pytest.raises(BackupError, match="not empty"):
        make_backup(tmp_path)


def test_cli_backup_and_restore(app, runner, users, tmp_path):
    _world(users)
    before = _snapshot()
    r = runner.invoke(args=["caseflow", "backup", str(tmp_path / "cli")])
    assert r.exit_code == 0, r.output
    assert "NOT in the backup" in r.output
    make_case(title="Later")
    r = runner.invoke(args=["caseflow", "restore", str(tmp_path / "cli"), "--yes"])
    assert r.exit_code == 0, r.output
    assert "audit chain intact" in r.output
    assert _snapshot() == before


def test_keys_only_when_asked(app, users, tmp_path):
    _world(users)
    make_backup(tmp_path / "with", include_keys=True)
    manifest = json.loads((tmp_path / "with" / MANIFEST).read_text())
    assert manifest["keys_included"] and any(name.startswith("keys/") for name in manifest["files"])


def test_the_manifest_is_authenticated_and_a_genuine_backup_restores(app, users, tmp_path):
    _world(users)
    make_backup(tmp_path / "bk")
    manifest = json.loads((tmp_path / "bk" / MANIFEST).read_text())
    assert manifest["format"] == 2 and len(manifest["mac"]) == 64
    assert restore_backup(tmp_path / "bk").ok


def test_an_old_unauthenticated_backup_needs_an_explicit_flag(app, users, runner, tmp_path):
    _world(users)
    make_backup(tmp_path / "bk")
    manifest = json.loads((tmp_path / "bk" / MANIFEST).read_text())
    del manifest["mac"]
    manifest["format"] = 1
    (tmp_path / "bk" / MANIFEST).write_text(json.dumps(manifest))
    refused = runner.invoke(args=["caseflow", "restore", str(tmp_path / "bk"), "--yes"])
    assert refused.exit_code != 0 and "--accept-unauthenticated" in refused.output
    accepted = runner.invoke(args=["caseflow", "restore", str(tmp_path / "bk"), "--yes", "--accept-unauthenticated"])
    assert accepted.exit_code == 0 and "audit chain intact" in accepted.output


def test_keep_rotates_dated_backups_and_touches_nothing_else(app, users, runner, clock, tmp_path):
    _world(users)
    (tmp_path / "notes.txt").write_text("mine")
    (tmp_path / "20200101T000000Z").mkdir()  # a dated folder without a manifest is not ours
    made = []
    for _ in range(4):
        result = runner.invoke(args=["caseflow", "backup", str(tmp_path), "--keep", "2"])
        assert result.exit_code == 0, result.output
        made.append(result.output.split("backup written to ")[1].split(":")[0])
        clock.advance(hours=24)
    kept = sorted(p.name for p in tmp_path.iterdir())
    assert kept == sorted([Path(made[2]).name, Path(made[3]).name, "20200101T000000Z", "notes.txt"])
    assert "removed old backup" in result.output
    assert restore_backup(Path(made[3])).ok


def test_an_encrypted_backup_holds_no_clear_data_restores_whole_and_refuses_a_flipped_byte(app, users, runner,
                                                                                         tmp_path):
    _world(users)
    before = _snapshot()
    result = runner.invoke(args=["caseflow", "backup", str(tmp_path / "enc"), "--encrypt"])
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "enc" / MANIFEST).read_text())
    assert manifest["encrypted"] is True
    database = (tmp_path / "enc" / manifest["database"]).read_bytes()
    assert database.startswith(b"CFBK1\n")
    assert b"northern gate" not in database and b"SQLite format" not in database and b"PGDMP" not in database
    make_case(title="Later")
    check = restore_backup(tmp_path / "enc")
    assert check.ok and _snapshot() == before
    # an insider with write access and no KEK cannot even re-hash a flipped byte past the HMAC; with the
    # manifest check skipped (old-format path), the cipher itself still refuses
    blob = bytearray(database)
    blob[len(blob) // 2] ^= 1
    (tmp_path / "enc" / manifest["database"]).write_bytes(bytes(blob))
    from caseflow.backup import _decrypted_copy
    with pytest.raises(BackupError, match="does not decrypt"):
        _decrypted_copy(tmp_path / "enc", manifest, tmp_path / "scratch")
