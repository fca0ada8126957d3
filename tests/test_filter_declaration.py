"""The global filters are declared once (observatory/filters.py, FILTERS): every consumer follows
the declaration, so that adding a filter touches it and the SQL column only."""

from __future__ import annotations

import dataclasses
import shlex

import pytest

from observatory import cards, composition, indicators, reference, rollups, sorted_values
from observatory import warehouse as wh
from observatory.__main__ import parser
from observatory.filters import CODE_FILTERS, FAMILIES, FILTERS, OCCUPATIONS, YEAR, Filters, from_query, open_parameters
from observatory.views import explorer, memo
from tests.app_support import run_page

LISTS = reference.code_lists()
SINGLE = {declared.attribute: next(iter(LISTS[declared.code_list].labels)) for declared in FILTERS}


def _one_value(declared) -> Filters:
    code = SINGLE[declared.attribute]
    value = int(code) if declared is YEAR else (code,) if declared.several else code
    return dataclasses.replace(Filters(), **{declared.attribute: value})


def test_the_declaration_is_the_selection() -> None:
    """One declared filter per field of `Filters`, each over a code list, with distinct keys."""
    fields = [f.name for f in dataclasses.fields(Filters) if f.name != "notices"]
    assert [declared.attribute for declared in FILTERS] == fields
    for attribute in ("url_key", "cli_flag", "label", "title"):
        assert len({getattr(declared, attribute) for declared in FILTERS}) == len(FILTERS), attribute
    assert len({declared.sql_parameter for declared in CODE_FILTERS}) == len(CODE_FILTERS)
    for declared in FILTERS:
        assert declared.code_list in LISTS
        assert declared.datasets and declared.datasets <= set(indicators.DATASET_DIMENSIONS)
        assert declared.level in ("employer", "person")


@pytest.mark.parametrize("declared", FILTERS, ids=lambda f: f.url_key)
def test_the_url_round_trip_follows_the_declaration(declared) -> None:
    selection = _one_value(declared)
    query = selection.to_query()
    assert list(query) == [declared.url_key]
    assert from_query(query) == selection and not from_query(query).notices
    refused = from_query({declared.url_key: ["pas-un-code"]})
    assert refused == Filters() and declared.label in refused.notices[0]


@pytest.mark.parametrize("declared", CODE_FILTERS, ids=lambda f: f.url_key)
def test_sql_parameters_cache_keys_and_card_lines_follow_the_declaration(declared) -> None:
    selection = _one_value(declared)
    code = SINGLE[declared.attribute]
    every = frozenset(f.attribute for f in CODE_FILTERS)
    parameters = selection.sql_parameters(2024, 2024, every)
    assert set(parameters) == set(open_parameters())
    expected = list(selection.occupation_codes()) if declared is OCCUPATIONS else [code]
    assert parameters[declared.sql_parameter] == expected
    assert selection.sql_parameters(2024, 2024, frozenset())[declared.sql_parameter] == []
    line = cards.describe_filters(selection, (2024, 2024))
    label = LISTS[declared.code_list].label(code)
    assert (f"{declared.short} : {label}" if declared.several else label) in line
    assert f"{declared.url_key}-" in cards.file_stem("effectif", (), selection, (2024, 2024))
    for dataset in declared.datasets:
        assert declared.attribute in indicators.DATASET_FILTERS[dataset]


@pytest.mark.parametrize("declared", FILTERS, ids=lambda f: f.url_key)
def test_the_command_line_follows_the_declaration(declared) -> None:
    """The CLI takes each filter's flag, and the Données page writes it in its command."""
    selection = _one_value(declared)
    command = explorer.cli_command("employees", (), "effectif", selection)
    words = shlex.split(command)
    assert declared.cli_flag in words
    args = parser().parse_args(words[3:])
    value = getattr(args, declared.cli_flag.lstrip("-").replace("-", "_"))
    assert value == ([str(SINGLE[declared.attribute])] if declared.several else str(SINGLE[declared.attribute]))


def test_the_rollups_sorted_values_and_composition_follow_the_declaration() -> None:
    employer = [f.column for f in FILTERS if f.level == "employer"]
    person = [f.column for f in CODE_FILTERS if f.level == "person"]
    assert list(rollups.EMPLOYER_DIMENSIONS[:-1]) == employer and set(rollups.PERSON_COLUMNS) == set(person)
    assert {f.column: f.sql_parameter for f in CODE_FILTERS if f.level == "person"} == rollups.FILTER_OF
    assert {f.sql_parameter: f.column for f in CODE_FILTERS if f is not FAMILIES} == sorted_values.FILTER_COLUMNS
    assert {attribute for attribute, _column in composition.SEVERAL} == \
        {f.attribute for f in CODE_FILTERS if f.several} - {FAMILIES.attribute, OCCUPATIONS.attribute}
    warmed = memo.warm_selections()
    for declared in (f for f in FILTERS if f.warmed):
        assert _one_value(declared) in warmed


def test_every_filter_macro_takes_the_declared_parameters_and_filters_each_column(warehouse) -> None:
    """The macros of the datasets and of every rollup, read back from the database: their
    parameters are the declared ones, in the order of every call, and each declared column the
    table carries is filtered."""
    found = warehouse.run("SELECT function_name, parameters, macro_definition FROM duckdb_functions() "
                          "WHERE function_name LIKE 'filtered_%'")
    macros = dict(zip(found["function_name"], found["parameters"], strict=True))
    definitions = dict(zip(found["function_name"], found["macro_definition"], strict=True))
    tables = ["employees", "vacancies", "training", *(r.table for r, _rows in rollups.BUILDS)]
    assert set(macros) == {f"filtered_{table}" for table in tables}
    expected = [argument.lstrip("$") for argument in wh.FILTER_ARGUMENTS]
    for table in tables:
        assert list(macros[f"filtered_{table}"]) == expected, table
        dataset = table.split("_by_")[0]
        for declared in CODE_FILTERS:
            if dataset in declared.datasets or "_by_" in table:
                definition = definitions[f"filtered_{table}"].replace('"', "")  # DuckDB quotes some names
                assert f"list_contains({declared.sql_parameter}, {declared.column})" in definition, table


def test_the_sidebar_follows_the_declaration(snapshot) -> None:
    """One widget per declared filter shown in the sidebar, titled as declared, starting open."""
    app = run_page("app_pages/donnees.py", {}, tables=False)
    titles = [widget.label for widget in [*app.sidebar.selectbox, *app.sidebar.multiselect]]
    assert sorted(titles) == sorted(f.title for f in FILTERS if f.in_sidebar)
    for declared in (f for f in CODE_FILTERS if f.in_sidebar):
        widget = next(w for w in [*app.sidebar.selectbox, *app.sidebar.multiselect] if w.label == declared.title)
        assert widget.value in (None, []), declared.url_key
