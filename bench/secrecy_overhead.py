"""The cost of statistical secrecy: table builder time with and without `protect`.

    python bench/secrecy_overhead.py --scale 1 [--seed N] [--repeat R] [--data-dir DIR]

For typical requests it times, on a fresh builder each run, the whole build (queries + protection
+ labels) and the queries alone, then the protection step alone on the fetched cells (the cell
key lookups of counts and sums, thresholds, dominance, inherited secrecy, the composition of a
selection of several values from its members' cells, and the measure computed from them).
Overhead = protection / query time.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import arguments, p50, p95, save, snapshot_at, timings
from observatory import composition, indicators, protection
from observatory.filters import Filters
from observatory.indicators import MEASURES
from observatory.tables import TableBuilder, _align, _aligned_keys
from observatory.warehouse import open_shared

REQUESTS: tuple[tuple[str, tuple[str, ...], str, Filters], ...] = (
    ("employees", ("branch",), "effectif", Filters(year=2024)),
    ("employees", ("occupation", "sex"), "part_femmes", Filters(year=2024, regions=("84",))),
    ("employees", ("year", "branch"), "effectif", Filters()),
    ("employees", ("branch",), "salaire_median", Filters(year=2024)),
    ("employees", ("region",), "ecart_salarial_fh", Filters(year=2024)),
    ("vacancies", ("occupation",), "taux_vacance", Filters(year=2024)),
    ("training", ("employer_size", "age_band"), "taux_acces", Filters(year=2024)),
    ("employees", ("year",), "salaire_moyen", Filters(branches=("eclat", "alisfa"), regions=("11", "84"))),
    ("employees", ("occupation",), "part_femmes", Filters(year=2024, branches=("eclat", "alisfa"),
                                                          regions=("11", "84"))),
)


def protected(measure: indicators.Measure, cells: dict, dims: tuple[str, ...], members: tuple[str, ...]) -> object:
    """The protection step of the builder on fetched cells (those of the members when `members`)."""
    published = {}
    for query, frame in cells.items():
        layout = protection.LAYOUTS[query]
        cell_dims = (*dims, *members)
        published[query] = protection.protect(query, frame, cell_dims)
        if members:
            published[query] = composition.compose(published[query], dims, layout)
    keys = _aligned_keys(published, dims)
    return measure.compute({q: _align(frame, keys, dims, protection.LAYOUTS[q]) for q, frame in published.items()})


def main(argv: list[str] | None = None) -> int:
    args = arguments(__doc__, argv)
    rows = []
    with tempfile.TemporaryDirectory() as temporary:
        snapshot, _ = snapshot_at(args.scale, args.seed, args.data_dir or Path(temporary))
        warehouse = open_shared(snapshot)
        for dataset, dims, code, filters in REQUESTS:
            measure = MEASURES[code]
            honoured = frozenset.intersection(*(indicators.DATASET_FILTERS[q.split("_")[0]] for q in measure.queries))
            years = (2016, 2025) if "year" in dims else (filters.effective_year,) * 2
            members = composition.members(dims, filters, honoured)

            def fetch(dims: tuple[str, ...] = (*dims, *members), filters: Filters = filters,
                      years: tuple[int, int] = years, honoured: frozenset[str] = honoured,
                      measure: indicators.Measure = measure) -> dict:
                builder = TableBuilder(warehouse)
                return {q: builder._cells_of(q, dims, filters, years, honoured, measure.columns(q))
                        for q in measure.queries}

            def whole(dataset: str = dataset, dims: tuple[str, ...] = dims, code: str = code,
                      filters: Filters = filters) -> object:
                return TableBuilder(warehouse).build(dataset, dims, code, filters)

            cells = fetch()
            whole_ms = timings(whole, args.repeat)
            query_ms = timings(fetch, args.repeat)
            protect_ms = timings(lambda m=measure, c=cells, d=dims, u=members: protected(m, c, d, u), args.repeat * 5)
            union = " (2 branches × 2 régions)" if members else ""
            rows.append({"request": f"{code} par {'×'.join(dims)}{union}", "cells": len(next(iter(cells.values()))),
                         "whole_p50": p50(whole_ms), "whole_p95": p95(whole_ms),
                         "query_p50": p50(query_ms), "protect_p50": p50(protect_ms), "protect_p95": p95(protect_ms),
                         "overhead": p50(protect_ms) / p50(query_ms)})
    print(f"{'requête':<40} {'cases':>6} {'total p50':>10} {'total p95':>10} {'requête p50':>12} "
          f"{'protect p50':>12} {'protect p95':>12} {'surcoût':>8}")
    for row in rows:
        print(f"{row['request']:<40.40} {row['cells']:>6} {row['whole_p50']:>10.1f} {row['whole_p95']:>10.1f} "
              f"{row['query_p50']:>12.1f} {row['protect_p50']:>12.2f} {row['protect_p95']:>12.2f} "
              f"{row['overhead']:>8.1%}")
    path = save(f"secrecy-{args.scale:g}.json", {"scale": args.scale, "rows": rows})
    print(f"Résultats : {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
