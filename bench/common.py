"""Shared benchmark helpers: the bench app, timing, percentiles, the printed table."""

from __future__ import annotations

import gc
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def make_app(database_url: str, instance: str, **overrides: Any) -> Flask:
    """Return a production-configured app on a database, without 2FA/CSRF/rate limits (bench clients)."""
    os.environ["CASEFLOW_INSTANCE"] = instance
    os.environ.setdefault("CASEFLOW_SECRET_KEY", "bench-secret-key")
    os.environ["DATABASE_URL"] = database_url
    from caseflow.app import create_app
    from config import Config

    cfg = Config()
    cfg.CASEFLOW_REQUIRE_2FA = False
    cfg.WTF_CSRF_ENABLED = False
    cfg.RATELIMIT_ENABLED = False
    for key, value in overrides.items():
        setattr(cfg, key, value)
    app = create_app(cfg)
    gc.freeze()  # as gunicorn.conf.py does once the app is loaded
    return app


def percentile(values: list[float], pct: float) -> float:
    """Return the pct-th percentile (nearest rank) of values."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def timed(fn: Callable[[], Any], repeat: int, warmup: int = 2) -> list[float]:
    """Call fn warmup+repeat times and return the repeat durations in milliseconds."""
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


@dataclass
class Row:
    """One line of the results table."""

    group: str
    name: str
    value: str
    reference: str = ""
    target: str = ""
    verdict: str = ""


@dataclass
class Table:
    """The results table printed at the end of a run."""

    rows: list[Row] = field(default_factory=list)

    def add(self, group: str, name: str, value: str, reference: str = "", target: str = "",
            ok: bool | None = None) -> None:
        """Add a line; ok None means no target applies."""
        verdict = "" if ok is None else ("met" if ok else "MISSED")
        self.rows.append(Row(group, name, value, reference, target, verdict))
        print(f"  {group:8} {name:44} {value:28} {reference:30} {target:14} {verdict}", flush=True)

    def render(self) -> str:
        """Return the table as Markdown."""
        lines = ["| group | measurement | value | reference (same run) | target | |", "|---|---|---|---|---|---|"]
        lines += [f"| {r.group} | {r.name} | {r.value} | {r.reference} | {r.target} | {r.verdict} |"
                  for r in self.rows]
        return "\n".join(lines)


def pct_text(values: list[float]) -> str:
    """Return 'p50 X / p95 Y ms'."""
    return f"p50 {percentile(values, 50):.1f} / p95 {percentile(values, 95):.1f} ms"


def median(values: list[float]) -> float:
    """Return the median."""
    return statistics.median(values) if values else float("nan")
