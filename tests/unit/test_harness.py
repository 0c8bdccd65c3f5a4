"""The test harness changes configuration only in ways that are undone after each test."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def _direct_config_writes(tree: ast.AST) -> list[int]:
    """Return the lines that assign an item of some `<x>.config` directly (never restored by itself)."""
    lines = []
    for node in ast.walk(tree):
        targets = node.targets if isinstance(node, ast.Assign) else \
            [node.target] if isinstance(node, (ast.AugAssign, ast.AnnAssign)) else []
        for target in targets:
            if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Attribute) \
                    and target.value.attr == "config":
                lines.append(node.lineno)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "__setitem__" \
                and isinstance(node.func.value, ast.Attribute) and node.func.value.attr == "config":
            lines.append(node.lineno)
    return lines


def test_the_scan_finds_a_direct_assignment() -> None:
    tree = ast.parse('app.config["CASEFLOW_PAGE_SIZE"] = 3\nmonkeypatch.setitem(app.config, "X", 1)\n')
    assert _direct_config_writes(tree) == [1]


def test_no_test_file_assigns_app_config_directly() -> None:
    offenders = [f"{path.relative_to(TESTS)}:{line}" for path in sorted(TESTS.rglob("*.py"))
                 for line in _direct_config_writes(ast.parse(path.read_text(encoding="utf-8")))]
    assert offenders == [], "use monkeypatch.setitem(app.config, ...) so the value is restored: " + ", ".join(offenders)
