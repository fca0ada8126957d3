"""The README's tables of dimensions and measures are the code's: every dimension of a dataset
and every measure of observatory/indicators.py, with their French labels, nothing missing and
nothing more; its lists of filters are the declaration's (observatory/filters.py)."""

from __future__ import annotations

import re
from pathlib import Path

from observatory import indicators
from observatory.filters import FILTERS
from observatory.tables import DIMENSION_LABELS
from observatory.views.methodology import UNIT_WORDS
from tests.markdown_tables import code, table

README = Path(__file__).resolve().parents[1] / "README.md"


def _codes(cell: str) -> tuple[str, ...]:
    return tuple(code(part).strip() for part in cell.split(","))


def test_the_dimensions_table_is_the_datasets_dimensions() -> None:
    rows = table(README.read_text(encoding="utf-8"), ("dimension", "libellé", "jeux"))
    written = {code(name): (label, _codes(datasets)) for name, label, datasets in rows}
    assert len(written) == len(rows), "une dimension écrite deux fois"
    expected = {
        dimension: (label, tuple(d for d, dims in indicators.DATASET_DIMENSIONS.items() if dimension in dims))
        for dimension, label in DIMENSION_LABELS.items() if dimension != "total"  # the table without --by
    }
    assert written == expected


def test_every_dimension_has_a_label_and_every_label_a_dimension() -> None:
    grouped = {d for dims in indicators.DATASET_DIMENSIONS.values() for d in dims}
    assert set(DIMENSION_LABELS) == grouped


def test_the_measures_table_is_the_indicators() -> None:
    rows = table(README.read_text(encoding="utf-8"), ("mesure", "libellé", "unité", "jeu"))
    written = {code(name): (label, unit, code(dataset)) for name, label, unit, dataset in rows}
    assert len(written) == len(rows), "une mesure écrite deux fois"
    assert written == {m.code: (m.label, UNIT_WORDS[m.unit], m.dataset) for m in indicators.MEASURES.values()}


def test_the_readme_lists_the_declared_filters() -> None:
    """The sidebar's filters and the CLI's flags, in the declaration's order."""
    text = " ".join(README.read_text(encoding="utf-8").split())
    sidebar = text.split("filtres globaux de la barre latérale (", 1)[1].split(")", 1)[0]
    assert sidebar.split(", ") == [f.title.lower() for f in FILTERS if f.in_sidebar]
    flags = text.split("--measure MESURE` avec les filtres ", 1)[1].split(".", 1)[0]
    assert re.findall(r"`(--[a-z-]+)`", flags) == [f.cli_flag for f in FILTERS]
