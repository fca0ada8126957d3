"""A measure inherits the secrecy of the population it is computed on (docs/methodologie-secret.md): over
every pair of dimensions and every measure, no cell whose population is secret publishes a
count, a share, a zero, a pay, hours or a cost of its members. A published 0 departures in a
one-person cell would tell that person's age; the pay of a cell dominated by one employer
would be that employer's pay."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

from observatory import secrecy
from observatory.filters import Filters
from observatory.indicators import DATASET_DIMENSIONS, MEASURES

# The population each dataset's cells count: a measure of the dataset is about its members.
POPULATION = {"employees": "effectif", "vacancies": "postes_ouverts", "training": "stagiaires"}
YEAR = 2024


def _statuses(builder, dataset: str, dims: tuple[str, ...], code: str) -> pd.Series | None:
    filters = Filters() if "year" in dims else Filters(year=YEAR)
    try:
        frame = builder.build(dataset, dims, code, filters).frame
    except secrecy.PopulationTooSmall:
        return None
    return frame.set_index(list(dims))["status"]


def _pairs(dataset: str) -> list[tuple[str, ...]]:
    dims = [d for d in DATASET_DIMENSIONS[dataset] if d != "total"]
    return [(d,) for d in dims] + list(itertools.combinations(dims, 2))


@pytest.mark.parametrize("dataset", sorted(POPULATION))
def test_no_measure_of_a_secret_population_is_published(builder, dataset: str, record_property) -> None:
    measures = [m for m in MEASURES.values() if m.dataset == dataset and m.code != POPULATION[dataset]]
    walked = secret_cells = leaks = 0
    leaked: list[tuple] = []
    for dims in _pairs(dataset):
        populations = {d: _statuses(builder, d, dims, POPULATION[d]) for d in ("employees", dataset)
                       if set(dims) <= set(DATASET_DIMENSIONS[d])}
        for measure in measures:
            if not set(dims) <= set(measure.allowed_dimensions()):
                continue
            statuses = _statuses(builder, dataset, dims, measure.code)
            if statuses is None:
                continue
            walked += 1
            # Its own dataset's population, and the employees' for the rates over the headcount
            # (vacancy rate, access to training).
            inherited = list(dict.fromkeys([dataset, *(q.split("_")[0] for q in measure.queries)]))
            for name in inherited:
                population = populations.get(name)
                if population is None:
                    continue
                secret = population[population == secrecy.SECRET].index
                shown = statuses.reindex(secret)
                secret_cells += len(secret)
                published = shown[shown == secrecy.OK]
                leaks += len(published)
                leaked += [(measure.code, dims, key) for key in published.index[:2]]
    print(f"\n{dataset} : {walked} tables parcourues, {secret_cells} cases de population secrète, "
          f"{leaks} chiffres publiés sur ces cases")
    record_property(f"inherited_{dataset}", {"tables": walked, "secret_cells": secret_cells, "leaks": leaks})
    assert walked >= 50 and secret_cells > 0
    assert leaks == 0, leaked[:10]
