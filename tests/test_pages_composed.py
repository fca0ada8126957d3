"""Every page with two branches and two regions selected: each figure it asks the builder for is
composed from the figures the builder publishes for each single branch and region
(docs/methodologie-secret.md § 1). Counts are the sums of the members' published counts; rates over published counts
are those sums' ratio; shares over the headcount are the members' shares weighted by their
published headcounts; a mean, a share or a quantile of a union is published only where every
member's is. What the pages show equals what the builder publishes (tests/test_pages.py and the
other page tests, this selection among theirs)."""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from observatory import indicators, reference, secrecy
from observatory.filters import Filters, from_query
from observatory.tables import TableBuilder
from observatory.views import memo
from tests.app_support import run_page

SELECTION = {"annee": ["2024"], "branche": ["aide_domicile", "eclat"], "region": ["11", "84"]}
PAGES = ("vue_ensemble", "salaires", "recrutement", "formation", "territoires", "portrait", "comparer", "besoins",
         "donnees", "methodologie")
# Rates whose two terms are published measures: (counts added up above, counts added up below).
RATES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "taux_acces": (("stagiaires",), ("effectif",)),
    "turnover": (("entrees", "sorties"), ("effectif",)),  # halved
    "taux_vacance": (("postes_non_pourvus",), ("effectif", "postes_non_pourvus")),
    "heures_par_stagiaire": (("heures",), ("stagiaires",)),
    "cout_par_stagiaire": (("cout",), ("stagiaires",)),
    "cout_horaire": (("cout",), ("heures",)),
}
LAST_DIGIT = {"share": 2e-4, "eur": 0.02, "hours": 0.2}
# Shares of the headcount: the members' shares weighted by their published headcounts.
HEADCOUNT_SHARES = ("part_femmes", "temps_partiel", "part_55_plus")


@pytest.fixture(scope="module")
def requests_by_page() -> dict[str, set[tuple]]:
    return {}


def _recorded(page: str, monkeypatch) -> set[tuple]:
    """The requests the page makes of the builder (its contents computed afresh)."""
    memo.clear()
    seen: set[tuple] = set()
    original = TableBuilder.build

    def spy(self, dataset, dimensions, measure_code, filters=None):
        seen.add((dataset, tuple(dimensions) or ("total",), measure_code, (filters or Filters()).without_notices()))
        return original(self, dataset, dimensions, measure_code, filters)
    monkeypatch.setattr(TableBuilder, "build", spy)
    app = run_page(f"app_pages/{page}.py", SELECTION)
    assert not app.exception, page
    return seen


def _members(dims: tuple[str, ...], filters: Filters) -> list[Filters]:
    """The single-value selections of a request: one branch and one region at a time (a filter
    on a dimension of the table only restricts its rows)."""
    branches = [(b,) for b in filters.branches] if "branch" not in dims and len(filters.branches) > 1 \
        else [filters.branches]
    regions = [(r,) for r in filters.regions] if "region" not in dims and len(filters.regions) > 1 \
        else [filters.regions]
    return [replace(filters, branches=b, regions=r) for b, r in itertools.product(branches, regions)]


def _table(builder, dataset: str, dims: tuple[str, ...], code: str, filters: Filters) -> pd.DataFrame | None:
    """value (NaN: secret) per cell of `dims`, None when the population is refused."""
    try:
        frame = builder.build(indicators.MEASURES[code].dataset, dims, code, filters).frame
    except secrecy.PopulationTooSmall:
        return None
    return frame.set_index(list(dims))["value"].astype(float)


def _sums(builder, dims: tuple[str, ...], codes: tuple[str, ...], members: list[Filters]) -> pd.Series | None:
    """The sum over members of published counts (several codes added up): NaN where one is secret."""
    total = None
    for code, member in itertools.product(codes, members):
        table = _table(builder, "", dims, code, member)
        if table is None:
            return None
        if total is None:
            total = table
            continue
        cells = total.index.union(table.index)  # a member without the cell has none of it: 0
        total = total.reindex(cells, fill_value=0.0) + table.reindex(cells, fill_value=0.0)
    return total


@pytest.mark.parametrize("page", PAGES)
def test_every_figure_of_a_page_is_composed_from_single_values(data_root, builder, page, monkeypatch,
                                                               record_property) -> None:
    selection = from_query(SELECTION).without_notices()
    checked = {"counts": 0, "rates": 0, "shares": 0, "published_only_if_members_are": 0}
    for dataset, dims, code, filters in sorted(_recorded(page, monkeypatch), key=repr):
        if len(filters.branches) < 2 and len(filters.regions) < 2:
            continue  # no union: the other page tests compare it with the builder
        measure = indicators.MEASURES[code]
        union = _table(builder, dataset, dims, code, filters)
        members = _members(dims, filters)
        if union is None or len(members) == 1:
            continue
        tables = [_table(builder, dataset, dims, code, m) for m in members]
        if measure.unit == "count":
            expected = _sums(builder, dims, (code,), members)
            assert expected is not None
            expected = expected.reindex(union.index)
            assert np.array_equal(union.to_numpy(), expected.to_numpy(), equal_nan=True), (code, dims, filters)
            checked["counts"] += len(union)
            continue
        if code in RATES:
            numerator, denominator = (_sums(builder, dims, codes, members) for codes in RATES[code])
            halves = 2.0 if code == "turnover" else 1.0
            expected = (numerator / halves / denominator).reindex(union.index)
            ok = union.notna()
            # Within a last digit of the rate's unit (the terms are rounded too).
            assert np.allclose(union[ok], expected[ok], rtol=1e-4, atol=LAST_DIGIT[measure.unit]), (code, dims, filters)
            checked["rates"] += int(ok.sum())
        if code in HEADCOUNT_SHARES:
            weights = [_table(builder, dataset, dims, "effectif", m) for m in members]
            weighted = sum((t * w).reindex(union.index, fill_value=0.0) for t, w in zip(tables, weights, strict=True))
            total = sum(w.reindex(union.index, fill_value=0.0) for w in weights)
            ok = union.notna()
            assert np.allclose(union[ok], (weighted / total)[ok], atol=1.5e-4), (code, dims, filters)
            checked["shares"] += int(ok.sum())
        # A union is published only where each member present is (a share of an empty member aside).
        for table in tables:
            if table is None:
                continue
            present = union.index.intersection(table.index)
            bad = [key for key in present if np.isfinite(union[key]) and not np.isfinite(table[key])]
            assert not bad, (code, dims, filters, bad[:3])
        checked["published_only_if_members_are"] += int(union.notna().sum())
    print(f"\n{page} ({selection.branches} x {selection.regions}) : {checked}")
    record_property(f"composed_{page}", checked)
    if page in ("vue_ensemble", "recrutement", "formation", "portrait"):
        assert checked["counts"] > 0
    if page in ("vue_ensemble", "salaires", "recrutement", "formation", "territoires", "portrait"):
        assert checked["published_only_if_members_are"] > 0


def test_a_union_with_a_secret_member_is_refused_and_names_it(data_root, builder, frames) -> None:
    """Two regions of one branch, one of them too small alone: the union is not published (its
    other region would give the small one by difference); the builder's refusal names the small
    one, and the page's secret tile says that a selection of several values is secret when one
    of them is."""
    employees = frames["employees"][frames["employees"]["year"] == 2024]
    sizes = employees.groupby(["branch", "region"], observed=True).size()
    small, large = next(((b, r), other) for (b, r), n in sizes.items() if 1 <= n <= 5
                        for (b2, other), m in sizes.items() if b2 == b and m >= 200)
    selection = Filters(year=2024, branches=(small[0],), regions=(large, small[1]))
    with pytest.raises(secrecy.PopulationTooSmall) as refused:
        builder.build("employees", (), "effectif", selection)
    region_label = reference.code_lists()["region"].label(small[1])
    assert f"« {region_label} »" in refused.value.message
    assert reference.code_lists()["region"].label(large) not in refused.value.message
    by_region = builder.build("employees", ("region",), "effectif", selection).frame.set_index("region")
    assert by_region.loc[large, "status"] == secrecy.OK and by_region.loc[small[1], "status"] == secrecy.SECRET
    app = run_page("app_pages/vue_ensemble.py", {"annee": ["2024"], "branche": [small[0]],
                                                 "region": [large, small[1]]})
    assert not app.exception
    headcount = next(m for m in app.metric if m.label == indicators.MEASURES["effectif"].label)
    assert headcount.value == "secret"
    assert "Sélection de plusieurs valeurs" in headcount.help, "the secret tile says why"
