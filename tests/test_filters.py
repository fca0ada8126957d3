"""Filters: validation against the code lists and the URL round trip."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from observatory import reference
from observatory.filters import Filters, from_query

LISTS = reference.code_lists()


def test_round_trip_keeps_every_filter() -> None:
    selection = Filters(year=2022, branches=("aide_domicile", "alisfa"), regions=("11", "04"),
                        families=("animation",), occupations=("V5X81",), sex="F",
                        age_bands=("55_plus",), employer_sizes=("1-9", "250+"))
    assert from_query(selection.to_query()) == selection
    assert from_query(selection.to_query()).notices == ()


def test_empty_query_is_the_default_view() -> None:
    parsed = from_query({})
    assert parsed.is_empty()
    assert parsed.effective_year == reference.YEARS[-1]


def test_unknown_and_hostile_values_are_dropped_with_notices() -> None:
    parsed = from_query({
        "branche": ["aide_domicile", "'; DROP TABLE employees; --", "<script>alert(1)</script>"],
        "region": ["99", "11"],
        "annee": ["1999"],
        "sexe": ["X"],
        "taille": ["9" * 10_000],
        "inconnu": ["1"],
    })
    assert parsed.branches == ("aide_domicile",)
    assert parsed.regions == ("11",)
    assert parsed.year is None and parsed.sex is None and parsed.employer_sizes == ()
    assert len(parsed.notices) == 6, "one notice per key, whatever the number of its bad values"
    assert all(len(n) < 200 for n in parsed.notices)


def test_a_thousand_bad_values_give_one_short_line_per_key() -> None:
    parsed = from_query({"region": [f"x{i}" for i in range(1000)], "branche": ["eclat", *("zz",) * 500],
                         **{f"cle{i}": ["1"] for i in range(300)}})
    assert parsed.branches == ("eclat",) and parsed.regions == ()
    assert len(parsed.notices) == 3
    assert all(len(n) < 200 for n in parsed.notices)
    assert "et 997 autre(s)" in " ".join(parsed.notices) and "et 297 autre(s)" in parsed.notices[0]


def test_a_page_key_is_unknown_outside_its_page() -> None:
    assert from_query({"a": ["eclat"], "comparer": ["branches"]}, "comparer").notices == ()
    elsewhere = from_query({"a": ["<script>"]}, "")
    assert len(elsewhere.notices) == 1 and "Paramètre inconnu ignoré" in elsewhere.notices[0]
    assert "indicateur" in from_query({"indicateur": ["effectif"]}, "comparer").notices[0]


def test_single_valued_keys_keep_the_first_value() -> None:
    parsed = from_query({"annee": ["2020", "2021"], "sexe": ["M", "F"]})
    assert parsed.year == 2020 and parsed.sex == "M"
    assert len(parsed.notices) == 2


def test_families_expand_to_occupations_and_intersect() -> None:
    by_family = reference.family_of_occupation()
    selection = Filters(families=("animation",))
    assert set(selection.occupation_codes()) == {o for o, f in by_family.items() if f == "animation"}
    assert Filters(families=("animation",), occupations=("T2A60",)).occupation_codes() == ("__none__",)


def test_dataset_without_a_column_ignores_its_filter_and_says_so() -> None:
    honoured = frozenset({"branches", "regions", "occupations", "employer_sizes"})
    selection = Filters(sex="F", age_bands=("25_34",), branches=("eclat",))
    params = selection.sql_parameters(2024, 2024, honoured)
    assert params["sexes"] == [] and params["age_bands"] == [] and params["branches"] == ["eclat"]
    assert selection.unhonoured(honoured) == ["sexe", "tranche d'âge"]


@given(
    branches=st.lists(st.sampled_from(sorted(LISTS["branch"].labels)), unique=True, max_size=4),
    regions=st.lists(st.sampled_from(sorted(LISTS["region"].labels)), unique=True, max_size=4),
    year=st.one_of(st.none(), st.sampled_from(reference.YEARS)),
    sex=st.one_of(st.none(), st.sampled_from(["F", "M"])),
    junk=st.lists(st.text(max_size=50), max_size=3),
)
def test_round_trip_property(branches, regions, year, sex, junk) -> None:
    selection = Filters(year=year, branches=tuple(branches), regions=tuple(regions), sex=sex)
    query = selection.to_query()
    query["branche"] = query.get("branche", []) + [j for j in junk if j not in LISTS["branch"]]
    parsed = from_query(query)
    assert parsed == selection
    assert len(parsed.notices) == int(any(j not in LISTS["branch"] for j in junk))
