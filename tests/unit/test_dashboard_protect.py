"""Cell-key perturbation: small counts never shown, the same records always get the same noise."""

from __future__ import annotations

from collections import Counter
from typing import Any

from caseflow.dashboards import protect
from caseflow.dashboards.figures import GRID, Figure, present

T = 5


def test_counts_below_the_threshold_are_never_shown_and_others_stay_near() -> None:
    for key in range(0, protect.PRIME, protect.PRIME // 997):
        assert protect.perturb(0, key, T) == protect.SMALL  # a zero too: exact zeros beside small cells pin them
        for n in range(1, T):
            assert protect.perturb(n, key, T) == protect.SMALL
        for n in (T, T + 1, 40):
            shown = protect.perturb(n, key, T)
            assert isinstance(shown, int) and shown >= T and abs(shown - n) <= protect.NOISE_BOUND


def test_noise_follows_its_table_and_is_fixed_per_key() -> None:
    drawn = Counter(protect.noise(k) for k in range(1, 200_000, 7))
    assert set(drawn) == set(protect.NOISE_WEIGHTS)
    assert drawn[0] < 0.4 * sum(drawn.values())  # most shown numbers are not the true ones
    assert all(protect.noise(k) == protect.noise(k) for k in range(100))


def test_keys_of_disjoint_cells_add_up_modulo_the_prime() -> None:
    assert protect.combine(protect.PRIME - 1, 2) == 1
    assert protect.combine() == 0


def test_a_total_is_its_own_cell_not_the_sum_of_perturbed_parts(app: Any) -> None:
    with app.test_request_context():
        values = [[7, 3], [12, 30]]
        keys = [[11, 12_345], [987_654, 31_337]]
        shown = present(Figure("t", "t", GRID, ["a", "b"], ["x", "y"], values, keys=keys), False, T, False)
        assert shown.body[0][2] == f"<{T}"  # the 3 is small
        assert shown.chart_values[0][1] is None  # and not drawn (not drawn as zero)
        grand = protect.perturb(52, protect.combine(11, 12_345, 987_654, 31_337), T)
        assert shown.footer[-1] == str(grand)
        exact = present(Figure("t", "t", GRID, ["a", "b"], ["x", "y"], values, keys=keys), True, T, False)
        assert exact.body[0][1:] == ["7", "3", "10"] and exact.footer[-1] == "52"
