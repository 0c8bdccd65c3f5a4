#!/usr/bin/env python3
"""Audit the pinned dependencies of pyproject.toml with pip-audit (PyPI's vulnerability data).

Fails when a pinned dependency has a known vulnerability. When the vulnerability service cannot be reached
(no network, or a mirror without PyPI's JSON API, so every package comes back "not found"), it says so
plainly and does not fail: an audit that could not run is reported as skipped, never as passed.
"""

from __future__ import annotations

import json
import subprocess  # noqa: S404 - runs pip-audit with fixed arguments
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    """Run pip-audit on the pins; return the exit status for make."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = list(project["dependencies"])
    with tempfile.TemporaryDirectory() as tmp:
        req, report = Path(tmp) / "requirements.txt", Path(tmp) / "report.json"
        req.write_text("\n".join(pins) + "\n", encoding="utf-8")
        proc = subprocess.run([sys.executable, "-m", "pip_audit", "-r", str(req), "--no-deps",  # noqa: S603
                               "--progress-spinner", "off", "--format", "json", "--output", str(report)],
                              capture_output=True, text=True, check=False, timeout=600)
        if not report.exists():
            print(f"pip-audit: SKIPPED, the vulnerability service is unreachable ({proc.stderr.strip()[-300:]})")
            return 0
        data = json.loads(report.read_text(encoding="utf-8"))
    deps = data.get("dependencies", [])
    vulnerable = [d for d in deps if d.get("vulns")]
    audited = [d for d in deps if "skip_reason" not in d]
    for dep in vulnerable:
        ids = ", ".join(v.get("id", "?") for v in dep["vulns"])
        print(f"pip-audit: {dep['name']} {dep.get('version')} has known vulnerabilities: {ids}")
    if vulnerable:
        return 1
    if not audited:
        print(f"pip-audit: SKIPPED, the vulnerability service answered for none of the {len(deps)} pinned "
              "packages (offline or a mirror without PyPI's JSON API); not a pass")
        return 0
    print(f"pip-audit: {len(audited)} pinned packages audited, no known vulnerabilities "
          f"({len(deps) - len(audited)} could not be looked up)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
