"""Revision files are never edited once on main: each matches the SHA-256 recorded for it."""

from __future__ import annotations

import hashlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VERSIONS = ROOT / "migrations" / "versions"
RECORD = ROOT / "tests" / "fixtures" / "migrations.sha256"

HOW = (
    "A revision on main is never edited: write a new revision that changes the schema instead. "
    "A NEW revision is recorded by appending one line to tests/fixtures/migrations.sha256: "
    "`cd migrations/versions && sha256sum <file>.py >> ../../tests/fixtures/migrations.sha256`."
)


def read_record() -> dict[str, str]:
    """Return {file name: SHA-256} from the record (sha256sum format, one line per file)."""
    record = {}
    for line in RECORD.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            digest, name = line.split(maxsplit=1)
            record[name.lstrip("*")] = digest
    return record


def test_every_revision_file_matches_its_recorded_checksum():
    record = read_record()
    files = sorted(p.name for p in VERSIONS.glob("*.py"))
    unrecorded = [name for name in files if name not in record]
    assert not unrecorded, f"revision files without a recorded checksum: {unrecorded}. {HOW}"
    edited = [n for n in files if hashlib.sha256((VERSIONS / n).read_bytes()).hexdigest() != record[n]]
    assert not edited, f"revision files edited after they were recorded: {edited}. {HOW}"
    missing = sorted(set(record) - set(files))
    assert not missing, f"recorded revisions deleted: {missing}. A revision on main is never removed."
