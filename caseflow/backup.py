"""Backup and restore: the database (SQLite online backup API or pg_dump), the encrypted files, a manifest.

The key-encryption key (CASEFLOW_KEK_FILE) and the receipt salt are NOT copied unless asked for: whoever
holds a backup and the key can read every confidential case, so the key is backed up separately, offline.
The manifest carries an HMAC under a key derived from the KEK, so whoever can write to the backups but does
not hold the KEK cannot alter a backup and rewrite its manifest to match.
"""

from __future__ import annotations

import glob
import hashlib
import hmac
import json
import os
import shutil
import sqlite3
import subprocess  # noqa: S404 - pg_dump / pg_restore with fixed arguments, no shell
import tempfile
from dataclasses import dataclass
from pathlib import Path

import click
from flask import current_app
from sqlalchemy.engine import make_url

from caseflow import audit, crypto
from caseflow.backup_cipher import BackupCipherError, decrypt_file, encrypt_file
from caseflow.cli import group
from caseflow.clock import utcnow
from caseflow.extensions import db

MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
FILES_DIR = "files"
KEYS_DIR = "keys"
FORMAT = 2  # 2: the manifest is authenticated (mac)
MAC_PURPOSE = "backup-manifest"
NAME_FORMAT = "%Y%m%dT%H%M%SZ"  # the folders `backup --keep` makes and rotates


class BackupError(Exception):
    """A backup or restore could not be made or failed verification; nothing was changed."""


def sha256_file(path: Path) -> str:
    """Return the SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _pg_tool(name: str) -> str:
    """Return the path of pg_dump / pg_restore: CASEFLOW_PG_BIN, then PATH, then /usr/lib/postgresql/*/bin."""
    configured = current_app.config.get("CASEFLOW_PG_BIN") or ""
    candidates = [str(Path(configured) / name)] if configured else []
    found = shutil.which(name)
    if found:
        candidates.append(found)
    candidates += sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    for candidate in candidates:
        if os.access(candidate, os.X_OK):
            return candidate
    raise BackupError(f"{name} not found: install the PostgreSQL client or set CASEFLOW_PG_BIN")


def _pg_args() -> tuple[str, dict[str, str]]:
    """Return a libpq URI without the password, and an environment carrying the password."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    uri = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return uri, env


def _sqlite_path() -> Path:
    database = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"]).database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(database)


def _backend() -> str:
    return make_url(current_app.config["SQLALCHEMY_DATABASE_URI"]).get_backend_name()


def _dump_database(target: Path) -> str:
    """Write the database into the backup folder; return the file name."""
    db.session.remove()
    if _backend() == "sqlite":
        source = sqlite3.connect(str(_sqlite_path()))
        dest = sqlite3.connect(str(target / SQLITE_FILE))
        try:
            source.backup(dest)  # the online backup API: a consistent copy while the app runs
        finally:
            dest.close()
            source.close()
        return SQLITE_FILE
    uri, env = _pg_args()
    subprocess.run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",  # noqa: S603
                    f"--file={target / PG_FILE}", uri], check=True, env=env, capture_output=True)
    return PG_FILE


def _load_database(source: Path, name: str) -> None:
    """Replace the live database with the one in the backup."""
    db.session.remove()
    db.engine.dispose()
    if name == SQLITE_FILE:
        if _backend() != "sqlite":
            raise BackupError("this backup holds a SQLite database but CaseFlow is configured for PostgreSQL")
        src = sqlite3.connect(str(source / SQLITE_FILE))
        dest = sqlite3.connect(str(_sqlite_path()))
        try:
            src.backup(dest)
        finally:
            dest.close()
            src.close()
        return
    if _backend() != "postgresql":
        raise BackupError("this backup holds a PostgreSQL dump but CaseFlow is configured for SQLite")
    uri, env = _pg_args()
    result = subprocess.run([_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner",  # noqa: S603
                             "--no-privileges", "--single-transaction", f"--dbname={uri}", str(source / PG_FILE)],
                            env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()[:2000]}")


def _copy_tree(source: Path, target: Path) -> None:
    if source.is_dir():
        shutil.copytree(source, target, dirs_exist_ok=False)
    else:
        target.mkdir(parents=True)


def _decrypted_copy(source: Path, manifest: dict[str, object], scratch: Path) -> Path:
    """Decrypt every file of an encrypted backup into scratch (all before anything live changes); return it."""
    listed = manifest.get("files")
    assert isinstance(listed, dict)
    try:
        for name in listed:
            if not name.startswith(KEYS_DIR + "/"):
                decrypt_file(source / name, scratch / name, name)
    except BackupCipherError as exc:
        raise BackupError(str(exc)) from exc
    (scratch / FILES_DIR).mkdir(exist_ok=True)
    return scratch


@dataclass
class BackupResult:
    """What a backup wrote."""

    path: Path
    files: int
    audit_events: int


def _key_files() -> list[Path]:
    return [Path(current_app.config["CASEFLOW_KEK_FILE"]), Path(current_app.config["CASEFLOW_RECEIPT_SALT_FILE"])]


def make_backup(target: Path, include_keys: bool = False, encrypt: bool = False) -> BackupResult:
    """Write database, encrypted files and an authenticated manifest into an empty or new folder; with encrypt,
    the database and files are themselves encrypted (AES-256-GCM under a KEK-derived key)."""
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty: back up into a new folder")
    target.mkdir(parents=True, exist_ok=True)
    os.chmod(target, 0o700)
    head = audit.head_hash()
    count = audit.verify_chain().count
    database = _dump_database(target)
    _copy_tree(Path(current_app.config["CASEFLOW_UPLOAD_DIR"]), target / FILES_DIR)
    if include_keys:
        (target / KEYS_DIR).mkdir()
        for key in _key_files():
            if key.exists():
                shutil.copy2(key, target / KEYS_DIR / key.name)
    if encrypt:
        for path in sorted(target.rglob("*")):
            name = str(path.relative_to(target))
            if path.is_file() and not name.startswith(KEYS_DIR + "/"):
                encrypt_file(path, name)
    files = {str(p.relative_to(target)): sha256_file(p) for p in sorted(target.rglob("*")) if p.is_file()}
    manifest = {"format": FORMAT, "encrypted": encrypt, "created_at": utcnow().isoformat(timespec="seconds"),
                "backend": _backend(),
                "database": database, "audit_events": count, "audit_head": head, "keys_included": include_keys,
                "files": files}
    manifest["mac"] = _manifest_mac(manifest)
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
    return BackupResult(target, len(files), count)


def _manifest_mac(manifest: dict[str, object]) -> str:
    """Return the HMAC of a manifest's canonical JSON (every field but the mac itself)."""
    body = {k: v for k, v in manifest.items() if k != "mac"}
    return crypto.keyed_mac(MAC_PURPOSE, json.dumps(body, sort_keys=True, separators=(",", ":")).encode())


def _check_mac(manifest: dict[str, object], allow_unauthenticated: bool) -> None:
    """Refuse a manifest whose HMAC is missing or does not verify under this installation's KEK."""
    mac = manifest.get("mac")
    if not isinstance(mac, str):
        if allow_unauthenticated:
            return
        raise BackupError("the manifest is not authenticated (a backup from before format 2, or the mac was "
                          "removed); restore it only if you trust it, with --accept-unauthenticated")
    try:
        expected = _manifest_mac(manifest)
    except crypto.DecryptionError as exc:
        raise BackupError(f"the key-encryption key cannot be read: {exc}") from exc
    if not hmac.compare_digest(mac, expected):
        raise BackupError("the manifest's HMAC does not verify: the backup was altered, or it was made under "
                          "another key-encryption key (restore that key file first)")


def verify_backup(source: Path, allow_unauthenticated: bool = False) -> dict[str, object]:
    """Check the manifest's HMAC, then every file against the manifest; return it or raise BackupError."""
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"no readable {MANIFEST} in {source}") from exc
    if not isinstance(manifest, dict):
        raise BackupError(f"{MANIFEST} in {source} is not a manifest")
    _check_mac(manifest, allow_unauthenticated)
    listed = manifest.get("files", {})
    present = {str(p.relative_to(source)) for p in source.rglob("*") if p.is_file() and p.name != MANIFEST}
    if present != set(listed):
        raise BackupError(f"files differ from the manifest: {sorted(present ^ set(listed))[:10]}")
    for name, digest in listed.items():
        if sha256_file(source / name) != digest:
            raise BackupError(f"{name} does not match its SHA-256 in the manifest: the backup is damaged")
    return dict(manifest)


def restore_backup(source: Path, allow_unauthenticated: bool = False) -> audit.VerifyResult:
    """Verify a backup, then replace the database and the encrypted files with it; return the audit check."""
    manifest = verify_backup(source, allow_unauthenticated)
    with tempfile.TemporaryDirectory(prefix="caseflow-restore-") as scratch:
        if manifest.get("encrypted"):
            source = _decrypted_copy(source, manifest, Path(scratch))
        _load_database(source, str(manifest["database"]))
        files = Path(current_app.config["CASEFLOW_UPLOAD_DIR"])
        if files.exists():
            shutil.rmtree(files)
        _copy_tree(source / FILES_DIR, files)
    result = audit.verify_chain()
    db.session.remove()
    return result


def rotate_backups(parent: Path, keep: int) -> list[Path]:
    """Delete the oldest backups made by `backup --keep` in parent, keeping the newest `keep`; return the deleted.

    Only folders named by NAME_FORMAT that hold a manifest are considered, so nothing else there is touched.
    """
    from datetime import datetime

    def is_backup(path: Path) -> bool:
        try:
            datetime.strptime(path.name, NAME_FORMAT)
        except ValueError:
            return False
        return path.is_dir() and (path / MANIFEST).is_file()

    ours = sorted((p for p in parent.iterdir() if is_backup(p)), key=lambda p: p.name)
    doomed = ours[:-keep] if keep > 0 else []
    for path in doomed:
        shutil.rmtree(path)
    return doomed


@group.command("backup")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--include-keys", is_flag=True, help="Also copy the key file and receipt salt (keep such a backup "
                                                     "offline and apart from ordinary backups).")
@click.option("--keep", type=click.IntRange(min=1), default=None,
              help="Write into a new dated folder inside DIRECTORY and keep only the newest N such backups.")
@click.option("--encrypt", is_flag=True, help="Encrypt the database and files (AES-256-GCM, KEK-derived key).")
def backup_command(directory: Path, include_keys: bool, keep: int | None, encrypt: bool) -> None:
    """Back up the database and encrypted files into DIRECTORY, with an authenticated manifest."""
    target = directory / utcnow().strftime(NAME_FORMAT) if keep else directory
    try:
        if keep:
            directory.mkdir(parents=True, exist_ok=True)
        result = make_backup(target, include_keys, encrypt)
    except (BackupError, subprocess.CalledProcessError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"backup written to {result.path}: {result.files} files, {result.audit_events} audit events")
    if keep:
        for old in rotate_backups(directory, keep):
            click.echo(f"removed old backup {old}")
    if not include_keys:
        click.echo(f"the key file {current_app.config['CASEFLOW_KEK_FILE']} is NOT in the backup: "
                   "keep its own copy offline (see README, Security)")


@group.command("restore")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option("--accept-unauthenticated", is_flag=True,
              help="Restore a backup whose manifest has no HMAC (made before format 2).")
def restore_command(directory: Path, yes: bool, accept_unauthenticated: bool) -> None:
    """Replace the database and encrypted files with the backup in DIRECTORY (stop the application first)."""
    if not yes:
        click.confirm("This replaces ALL current data with the backup. Continue?", abort=True)
    try:
        result = restore_backup(directory, accept_unauthenticated)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    state = "intact" if result.ok else f"BROKEN: {result.message}"
    click.echo(f"restored from {directory}; audit chain {state} ({result.count} events)")
    if not result.ok:
        raise SystemExit(1)
