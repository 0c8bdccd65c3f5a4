"""Small-cell suppression: no hidden number can be worked out from the numbers shown."""

from __future__ import annotations

import itertools
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from caseflow.dashboards.suppression import suppress_grid, suppress_series

T = 5


def _rank(rows: list[list[Fraction]]) -> int:
    """Rank of a matrix over the rationals (Gaussian elimination)."""
    m = [r[:] for r in rows]
    rank, cols = 0, len(m[0]) if m else 0
    for c in range(cols):
        pivot = next((r for r in range(rank, len(m)) if m[r][c] != 0), None)
        if pivot is None:
            continue
        m[rank], m[pivot] = m[pivot], m[rank]
        for r in range(len(m)):
            if r != rank and m[r][c] != 0:
                factor = m[r][c] / m[rank][c]
                m[r] = [a - factor * b for a, b in zip(m[r], m[rank], strict=True)]
        rank += 1
    return rank


def determined_cells(n_rows: int, n_cols: int, hidden: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """Return the hidden positions whose value follows from the shown ones by the table's sums."""
    unknowns = sorted(hidden)
    index = {p: i for i, p in enumerate(unknowns)}
    equations = []
    for r in range(n_rows + 1):  # each row: its cells minus its total
        eq = [Fraction(0)] * len(unknowns)
        for c in range(n_cols + 1):
            if (r, c) in index:
                eq[index[(r, c)]] += -1 if c == n_cols else 1
        equations.append(eq)
    for c in range(n_cols + 1):  # each column: its cells minus its total
        eq = [Fraction(0)] * len(unknowns)
        for r in range(n_rows + 1):
            if (r, c) in index:
                eq[index[(r, c)]] += -1 if r == n_rows else 1
        equations.append(eq)
    base = _rank(equations) if unknowns else 0
    found = set()
    for p, i in index.items():
        unit = [Fraction(1 if j == i else 0) for j in range(len(unknowns))]
        if _rank([*equations, unit]) == base:
            found.add(p)
    return found


def check(cells: list[list[int]]) -> None:
    grid = suppress_grid(cells, T)
    n_rows, n_cols = len(cells), len(cells[0])
    for r in range(n_rows + 1):
        for c in range(n_cols + 1):
            value = grid.value(r, c)
            if 0 < value < T:
                assert (r, c) in grid.hidden, f"small count {value} at {(r, c)} shown in {cells}"
    assert not determined_cells(n_rows, n_cols, grid.hidden), f"recoverable cells in {cells}: {grid.hidden}"


def test_every_2x2_grid_of_small_and_large_counts() -> None:
    for values in itertools.product((0, 1, 3, 5, 9), repeat=4):
        check([list(values[:2]), list(values[2:])])


def test_every_2x3_grid_of_zeros_ones_and_large() -> None:
    for values in itertools.product((0, 2, 7), repeat=6):
        check([list(values[:3]), list(values[3:])])


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 5).flatmap(lambda cols: st.lists(
    st.lists(st.integers(0, 14), min_size=cols, max_size=cols), min_size=1, max_size=6)))
def test_random_grids_cannot_be_undone_by_subtraction(cells: list[list[int]]) -> None:
    check(cells)


def test_large_counts_are_left_alone() -> None:
    grid = suppress_grid([[10, 20], [30, 40]], T)
    assert grid.hidden == set()
    assert (grid.row_totals, grid.col_totals, grid.total) == ([30, 70], [40, 60], 100)


def test_a_lone_small_cell_takes_a_partner_in_its_row_and_column() -> None:
    grid = suppress_grid([[2, 20, 30], [40, 50, 60]], T)
    assert (0, 0) in grid.hidden
    assert any(c != 0 for r, c in grid.hidden if r == 0)
    assert any(r != 0 for r, c in grid.hidden if c == 0)


@given(st.lists(st.integers(0, 12), min_size=1, max_size=8))
def test_a_series_never_has_exactly_one_hidden_number(values: list[int]) -> None:
    hidden = suppress_series(values, T)
    entries = [*values, sum(values)]
    assert all(i in hidden for i, v in enumerate(entries) if 0 < v < T)
    assert len(hidden) != 1


def test_a_table_without_rows_still_has_its_totals_line() -> None:
    grid = suppress_grid([], T, n_cols=3)
    assert [grid.value(0, c) for c in range(4)] == [0, 0, 0, 0]


def _bridge_by_brute_force(hidden: set[tuple[int, int]]) -> tuple[int, int] | None:
    """The first hidden edge, in sorted order, whose removal disconnects its row from its column."""
    for edge in sorted(hidden):
        rest = hidden - {edge}
        seen, stack = {("r", edge[0])}, [("r", edge[0])]
        while stack:
            kind, idx = stack.pop()
            for r, c in rest:
                for here, there in ((("r", r), ("c", c)), (("c", c), ("r", r))):
                    if here == (kind, idx) and there not in seen:
                        seen.add(there)
                        stack.append(there)
        if ("c", edge[1]) not in seen:
            return edge
    return None


def test_the_linear_bridge_search_finds_the_same_bridge_as_brute_force() -> None:
    import random

    from caseflow.dashboards.suppression import _find_bridge

    rng = random.Random(11)
    for _ in range(400):
        rows, cols = rng.randint(1, 7), rng.randint(1, 7)
        hidden = {(r, c) for r in range(rows) for c in range(cols) if rng.random() < 0.35}
        found = _find_bridge(hidden)
        assert (found[0] if found else None) == _bridge_by_brute_force(hidden)
