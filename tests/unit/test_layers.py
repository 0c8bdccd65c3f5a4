"""The modules form no import cycle, counting the imports inside functions (what import-linter also sees)."""

from __future__ import annotations

import grimp


def test_no_module_is_part_of_an_import_cycle() -> None:
    graph = grimp.build_graph("caseflow")
    cycles = sorted({(a, b) for a in graph.modules for b in graph.find_modules_directly_imported_by(a)
                     if graph.chain_exists(importer=b, imported=a)})
    assert cycles == []


def test_the_app_factories_are_the_only_modules_that_import_every_area() -> None:
    graph = grimp.build_graph("caseflow")
    importers_of_views = {m for m in graph.find_modules_that_directly_import("caseflow.cases.views")}
    assert importers_of_views == {"caseflow.app"}
