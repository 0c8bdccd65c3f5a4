"""Build a database with the revision files of an earlier commit of main, as it was then.

Run as a script in its own process, with that commit's tree first on the path (its revision files may
import its own `caseflow.search`): `python tests/old_schema.py <tree> <database url>`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

ENV_PY = '''
import os
import sqlalchemy as sa
from alembic import context

engine = sa.create_engine(os.environ["OLD_SCHEMA_URL"])
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=None)
    with context.begin_transaction():
        context.run_migrations()
engine.dispose()
'''


def history_commits() -> list[str]:
    """Return every commit of main that changed the revision files 0001 or 0002, oldest first."""
    out = subprocess.run(
        ["git", "log", "--reverse", "--format=%h", "--first-parent", "ffa5906", "--",
         "migrations/versions/0001_initial.py", "migrations/versions/0002_dashboard_aggregates.py"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout
    return out.split()


def extract_tree(commit: str, into: Path) -> Path:
    """Write that commit's caseflow/, migrations/ and config.py into a folder (once) and return it."""
    tree = into / f"tree-{commit}"
    if tree.exists():
        return tree
    archive = subprocess.run(
        ["git", "archive", "--format=tar", commit, "caseflow", "migrations", "config.py"],
        cwd=ROOT, check=True, capture_output=True,
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(tree, filter="data")
    fill_in_missing(tree)
    (tree / "migrations" / "env.py").write_text(ENV_PY)
    return tree


# Two commits import a module committed only later (29d87f5); it is taken from the commit that added it.
LATE_FILES = {"caseflow/models/channels.py": "29d87f5"}


def fill_in_missing(tree: Path) -> None:
    """Add the files a commit imports but did not contain, from the commit that added them."""
    for path, commit in LATE_FILES.items():
        if not (tree / path).exists():
            text = subprocess.run(["git", "show", f"{commit}:{path}"], cwd=ROOT, check=True,
                                  capture_output=True).stdout
            (tree / path).write_bytes(text)


def build(commit: str, url: str, workdir: Path) -> None:
    """Upgrade the empty database at url to the head of the revision files at that commit."""
    tree = extract_tree(commit, workdir)
    env = dict(os.environ, OLD_SCHEMA_URL=url, PYTHONPATH=str(tree))
    subprocess.run([sys.executable, __file__, str(tree), url], env=env, check=True, cwd=tree)


def main(tree: str, url: str) -> None:
    """Run alembic's upgrade to head with the old tree's revision files."""
    from alembic import command
    from alembic.config import Config

    sys.path.insert(0, tree)
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(tree) / "migrations"))
    os.environ["OLD_SCHEMA_URL"] = url
    command.upgrade(cfg, "heads")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
