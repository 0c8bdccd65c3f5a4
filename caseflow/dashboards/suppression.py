"""Small-cell suppression with complementary suppression, for the aggregates a manager sees or exports.

A table of counts is seen with its row totals, column totals and grand total. Together they form a
bipartite graph: one node per row (plus the totals row), one per column (plus the totals column), one
edge per published number; every node is an equation "its edges sum to zero" (with the totals signed).
A hidden number can be recomputed from the shown ones exactly when its edge is a bridge of the graph
of hidden edges. So: hide every count from 1 to threshold-1 (primary), then, while a hidden edge is a
bridge, also hide the smallest shown number that closes a cycle through it (complementary).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

Cell = tuple[int, int]  # (row, column) in the augmented table: index n_rows / n_cols is the totals line


@dataclass
class SuppressedGrid:
    """A count table with margins and the set of hidden positions (augmented coordinates)."""

    cells: list[list[int]]
    row_totals: list[int]
    col_totals: list[int]
    total: int
    hidden: set[Cell]

    def value(self, r: int, c: int) -> int:
        """Return the true number at an augmented position."""
        rows, cols = len(self.cells), len(self.col_totals)
        if r == rows and c == cols:
            return self.total
        if r == rows:
            return self.col_totals[c]
        if c == cols:
            return self.row_totals[r]
        return self.cells[r][c]


def is_small(value: int, threshold: int) -> bool:
    """Return whether a count must be hidden on its own (1 to threshold-1)."""
    return 0 < value < threshold


def _augmented(cells: Sequence[Sequence[int]], n_cols: int | None = None) -> SuppressedGrid:
    rows = [list(map(int, r)) for r in cells]
    n_cols = (len(rows[0]) if rows else 0) if n_cols is None else n_cols
    row_totals = [sum(r) for r in rows]
    col_totals = [sum(r[c] for r in rows) for c in range(n_cols)]
    return SuppressedGrid(rows, row_totals, col_totals, sum(row_totals), set())


def _bridges(adjacency: dict[str, list[tuple[str, Cell]]]) -> set[Cell]:
    """Return every bridge of the graph (Tarjan's low-link, iterative: one pass over nodes and edges)."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    bridges: set[Cell] = set()
    for root in adjacency:
        if root in order:
            continue
        order[root] = low[root] = len(order)
        stack: list[tuple[str, Cell | None, int]] = [(root, None, 0)]
        while stack:
            node, via, i = stack.pop()
            if i < len(adjacency[node]):
                stack.append((node, via, i + 1))
                nxt, edge = adjacency[node][i]
                if edge == via:
                    continue
                if nxt in order:
                    low[node] = min(low[node], order[nxt])
                else:
                    order[nxt] = low[nxt] = len(order)
                    stack.append((nxt, edge, 0))
            elif via is not None:  # node is finished: hand its low-link to its parent
                parent = stack[-1][0]
                low[parent] = min(low[parent], low[node])
                if low[node] > order[parent]:
                    bridges.add(via)
    return bridges


def _find_bridge(hidden: set[Cell]) -> tuple[Cell, set[str]] | None:
    """Return the first hidden edge (in sorted order) that is a bridge and the node set on its row side, or None."""
    adjacency: dict[str, list[tuple[str, Cell]]] = defaultdict(list)
    for r, c in sorted(hidden):
        adjacency[f"r{r}"].append((f"c{c}", (r, c)))
        adjacency[f"c{c}"].append((f"r{r}", (r, c)))
    bridges = _bridges(adjacency)
    if not bridges:
        return None
    edge = min(bridges)
    start = f"r{edge[0]}"
    seen, stack = {start}, [start]
    while stack:
        node = stack.pop()
        for nxt, via in adjacency[node]:
            if via != edge and nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return edge, seen


def suppress_grid(cells: Sequence[Sequence[int]], threshold: int, n_cols: int | None = None) -> SuppressedGrid:
    """Return the grid with primary and complementary suppression applied (margins included).

    n_cols gives the width of a table that may have no rows.
    """
    grid = _augmented(cells, n_cols)
    n_rows, n_cols = len(grid.cells), len(grid.col_totals)
    if threshold <= 1 or n_rows == 0 or n_cols == 0:
        return grid
    positions = [(r, c) for r in range(n_rows + 1) for c in range(n_cols + 1)]
    hidden = {p for p in positions if is_small(grid.value(*p), threshold)}
    while True:
        found = _find_bridge(hidden)
        if found is None:
            break
        _edge, side = found
        candidates = [(r, c) for r, c in positions if (r, c) not in hidden
                      and ((f"r{r}" in side) != (f"c{c}" in side))]
        # Prefer hiding a non-zero number (a shown zero is already known), then the smallest one.
        candidates.sort(key=lambda p: (grid.value(*p) == 0, grid.value(*p), p))
        hidden.add(candidates[0])
    grid.hidden = hidden
    return grid


def suppress_series(values: Sequence[int], threshold: int) -> set[int]:
    """Return the hidden indexes of a distribution published with its total (index len(values) is the total).

    One equation (the values sum to the total): hide the small numbers, and if exactly one is hidden,
    hide the smallest other one too.
    """
    entries = [int(v) for v in values] + [sum(int(v) for v in values)]
    if threshold <= 1:
        return set()
    hidden = {i for i, v in enumerate(entries) if is_small(v, threshold)}
    if len(hidden) == 1:
        others = [i for i in range(len(entries)) if i not in hidden]
        if others:
            hidden.add(min(others, key=lambda i: (entries[i] == 0, entries[i], i)))
    return hidden
