"""CaseFlow benchmarks: `python -m bench.run [all|db|seed|pages|verify|intake|pdf|import] --scale small|100k|1m`.

Every figure is printed beside a reference measured in the same run (a ratio or a percentile).
With DATABASE_URL pointing at PostgreSQL (scripts/with-postgres.sh does that) PostgreSQL is measured
as well as SQLite.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import Table, make_app  # noqa: E402

SCALES = {"small": 20_000, "100k": 100_000, "1m": 1_000_000}
WORK = Path(os.environ.get("BENCH_DIR") or Path(tempfile.gettempdir()) / "caseflow-bench")


def _pg_url(name: str, keep: bool = False) -> str | None:
    """Create (fresh, unless `keep`) a PostgreSQL database for the bench; return its URL, if PostgreSQL is set."""
    base = os.environ.get("BENCH_PG_URL") or os.environ.get("DATABASE_URL")
    if not base or not base.startswith("postgresql"):
        return None
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(base)
    if keep:
        return url.set(database=name).render_as_string(hide_password=False)
    admin = url.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url.set(database=name).render_as_string(hide_password=False)


SEEDED = "seeded"  # written in an instance folder once its database holds the whole seed


def backends(scale: str, reuse: bool = False, only: str | None = None) -> list[tuple[str, str, str]]:
    """Return (label, database URL, instance dir) for SQLite and, if available, PostgreSQL.

    With `reuse`, a database seeded by an earlier run at this scale is kept (a 1M seed takes many minutes);
    `only` names one of the two.
    """
    out = []
    for label in ("sqlite", "postgres"):
        if only and label != only:
            continue
        instance = WORK / f"{label}-{scale}"
        kept = reuse and (instance / SEEDED).exists()
        if not kept:
            shutil.rmtree(instance, ignore_errors=True)
            instance.mkdir(parents=True)
        name = f"caseflow_bench_{scale}"
        url = (f"sqlite:///{instance / 'bench.db'}" if label == "sqlite"
               else _pg_url(name, keep=kept))
        if url:
            out.append((label, url, str(instance)))
    return out


def seed_backend(label: str, url: str, instance: str, n: int, table: Table) -> object:
    """Create the schema and bulk-load n cases; add the load rate to the table."""
    from bench.seed import seed
    from caseflow import uow
    from caseflow.extensions import db

    app = make_app(url, instance)
    if (Path(instance) / SEEDED).exists():
        print(f"{label}: reusing the database seeded earlier in {instance}", flush=True)
        with app.app_context():
            from caseflow import uow
            from caseflow.dashboards import rollup

            rollup.rebuild_all()  # in case the models' monthly tables changed since
            uow.commit_step()
        return app
    with app.app_context():
        db.create_all()
        result = seed(n, end=datetime.now(UTC).replace(tzinfo=None))  # up to now: the current month is busy too
        db.session.remove()
        from caseflow.dashboards import rollup

        started = time.perf_counter()
        months = rollup.rebuild_all()  # the bulk load bypasses the ORM, so build the dashboard tables once
        uow.commit_step()  # the refresh leaves committing to its caller, as a command's unit of work does
        rebuild = time.perf_counter() - started
        db.session.remove()
    per_hour = result.rows_per_s * 3600 / (result.rows / n)
    table.add("seed", f"{label}: {n:,} cases, {result.rows:,} rows", f"{result.rows_per_s:,.0f} rows/s",
              f"{result.seconds:,.1f} s; {result.events:,} audit events", "1M cases < 1 h",
              per_hour >= 1_000_000)
    table.add("seed", f"{label}: dashboard aggregates built ({months // 2} months)", f"{rebuild:,.1f} s",
              f"{n / rebuild:,.0f} cases/s", "", None)
    (Path(instance) / SEEDED).write_text(f"{n}\n")
    return app


def main(argv: list[str] | None = None) -> int:
    """Run the chosen benchmarks and print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("what", nargs="?", default="all",
                        choices=["all", "db", "seed", "pages", "people", "verify", "intake", "pdf", "import"])
    parser.add_argument("--scale", default=os.environ.get("BENCH_SCALE") or "small", choices=list(SCALES))
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--reuse", action="store_true",
                        help="keep a database seeded at this scale by an earlier run (with the same BENCH_DIR)")
    parser.add_argument("--backend", choices=["sqlite", "postgres"], help="measure only this database")
    parser.add_argument("--markdown", help="also write the table as Markdown to this file")
    args = parser.parse_args(argv)
    n = SCALES[args.scale]
    table = Table()
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    print(f"CaseFlow bench, scale {args.scale} ({n:,} cases), {started}, {platform.machine()} "
          f"{os.cpu_count()} CPUs, Python {platform.python_version()}", flush=True)
    if args.what in ("all", "db", "seed", "pages", "people", "verify"):
        from bench.pages import run_pages, run_verify
        from bench.people import run_people

        for label, url, instance in backends(args.scale, args.reuse, args.backend):
            app = seed_backend(label, url, instance, n, table)
            if args.what in ("all", "db", "pages"):
                run_pages(app, f"{label} {args.scale}", table, args.repeat, target_scale=args.scale == "1m")
            if args.what in ("all", "db", "people"):
                run_people(app, f"{label} {args.scale}", table, args.repeat, target_scale=args.scale == "1m")
            if args.what in ("all", "db", "verify"):
                run_verify(app, table, label)
            with app.app_context():
                from caseflow.extensions import db

                db.engine.dispose()
    if args.what in ("all", "intake"):
        from bench.intake import run_intake

        run_intake(table, WORK / "intake")
    if args.what in ("all", "pdf"):
        from bench.reports import run_pdf

        run_pdf(table, WORK / "pdf")
    if args.what in ("all", "import"):
        from bench.reports import run_import

        run_import(table, WORK / "import", 10_000 if args.scale == "small" else 100_000)
    print()
    print(table.render())
    if args.markdown:
        Path(args.markdown).write_text(f"Run {started}, scale {args.scale}\n\n{table.render()}\n")
    print(f"\ndone in {time.process_time():.0f} s CPU")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
