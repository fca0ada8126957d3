"""Données: the table builder offered as is. A dataset, one or two dimensions, a measure and the
global filters give a protected table, its chart, its downloads and the command line that
rebuilds it (the same builder serves pages, exports and the CLI)."""

from __future__ import annotations

import io
import shlex
from dataclasses import dataclass

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from observatory import charts, indicators
from observatory.cards import ChartCard, DataTable, describe_filters, file_stem, source_line
from observatory.charts import Caption
from observatory.contracts import CONTRACTS
from observatory.filters import FILTERS, Filters
from observatory.tables import DIMENSION_LABELS, ProtectedTable, TableBuilder, dimension_labels
from observatory.views import common

ORDERED = frozenset({"year", "age_band", "employer_size", "month"})  # shown in their own order


def datasets() -> dict[str, str]:
    return {name: contract.title for name, contract in CONTRACTS.items()}


def measures_of(dataset: str) -> dict[str, str]:
    return {code: m.label for code, m in indicators.MEASURES.items() if m.dataset == dataset}


def dimensions_of(measure_code: str) -> dict[str, str]:
    allowed = indicators.MEASURES[measure_code].allowed_dimensions()
    return {d: DIMENSION_LABELS[d] for d in allowed if d != "total"}


@dataclass(frozen=True)
class Exploration:
    table: ProtectedTable
    card: ChartCard
    command: str

    def xlsx(self) -> bytes:
        """Values as numbers (empty when secret) and a status column, for spreadsheet work."""
        buffer = io.BytesIO()
        with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
            typed_export(self.table).to_excel(writer, index=False, sheet_name="table")
        return buffer.getvalue()

    def parquet(self) -> bytes:
        buffer = io.BytesIO()
        pq.write_table(pa.Table.from_pandas(typed_export(self.table), preserve_index=False), buffer)
        return buffer.getvalue()


def typed_export(table: ProtectedTable) -> pd.DataFrame:
    """Codes, labels, the value (null when secret) and its status, with the measure's name."""
    frame = table.frame_copy()
    columns: dict[str, object] = {}
    for dimension in table.dimensions:
        if dimension == "total":
            continue
        columns[dimension] = frame[dimension].astype(str)
        columns[f"{dimension}_libelle"] = frame[f"{dimension}_label"].astype(str)
    columns[table.measure.code] = frame["value"].astype(float)
    columns["statut"] = frame["status"].astype(str)
    return pd.DataFrame(columns)


def cli_command(dataset: str, dims: tuple[str, ...], measure_code: str, filters: Filters) -> str:
    parts = ["python", "-m", "observatory", "table", dataset, "--measure", measure_code]
    if dims:
        parts += ["--by", ",".join(dims)]
    query = filters.without_notices().to_query()
    query.setdefault("annee", [str(filters.effective_year)])
    for declared in FILTERS:
        for value in query.get(declared.url_key, []):
            parts += [declared.cli_flag, value]
    return " ".join(shlex.quote(part) for part in parts)


def explore(builder: TableBuilder, dataset: str, dims: tuple[str, ...], measure_code: str,
            filters: Filters) -> Exploration:
    """The protected table and its card; raises TableRequestError or PopulationTooSmall."""
    table = builder.build(dataset, dims, measure_code, filters)
    if len(dims) == 2:
        card = _two_dimensions(builder, table, dims, filters)
    elif dims == ("year",):
        card = common.trend_card(builder, "donnees", measure_code, filters, common.trend_title(measure_code))
    else:
        dimension = dims[0] if dims else "total"
        measure = indicators.MEASURES[measure_code]
        title = common.extremes_title(f"{measure.label} : de {{low_value}} ({{low}}) à {{high_value}} ({{high}})",
                                      f"{measure.label} : {{value}} ({{label}})", measure.label, measure.unit)
        spec = common.BarSpec("donnees", measure_code, dimension, title, in_list_order=dimension in ORDERED,
                              wide=True)
        card = common.bar_card(builder, spec, filters)
    return Exploration(table, card, cli_command(dataset, dims, measure_code, filters))


def _two_dimensions(builder: TableBuilder, table: ProtectedTable, dims: tuple[str, ...],
                    filters: Filters) -> ChartCard:
    measure = table.measure
    if "year" in dims:
        other = dims[1] if dims[0] == "year" else dims[0]
        return common.yearly_lines_card(builder, "donnees", measure.code, other, filters,
                                        lambda _rows: f"{measure.label} par année et {DIMENSION_LABELS[other].lower()}")
    rows_dim, columns_dim = dims
    frame = table.frame
    matrix = frame.pivot_table(index=f"{rows_dim}_label", columns=f"{columns_dim}_label", values="value",
                               aggfunc="first", dropna=False, sort=False)
    order = [dimension_labels(rows_dim).get(c, c) for c in dimension_labels(rows_dim)]
    matrix = matrix.reindex(index=[o for o in order if o in matrix.index])
    order = [dimension_labels(columns_dim).get(c, c) for c in dimension_labels(columns_dim)]
    matrix = matrix.reindex(columns=[o for o in order if o in matrix.columns])
    matrix.index.name, matrix.columns.name = None, None
    caption = Caption(f"{measure.label} par {DIMENSION_LABELS[rows_dim].lower()} et "
                        f"{DIMENSION_LABELS[columns_dim].lower()}", describe_filters(filters, table.years),
                        source_line(builder.warehouse.snapshot), wide=True)
    figure = charts.heatmap_chart(matrix, caption, unit=measure.unit)
    data = DataTable(matrix.rename_axis(DIMENSION_LABELS[rows_dim]).reset_index(),
                     {str(c): measure.unit for c in matrix.columns})
    return ChartCard("donnees", caption, figure, data, file_stem(measure.code, dims, filters, table.years),
                     common.definition_of(measure.code),
                     alt=f"Tableau coloré : {measure.label} par {DIMENSION_LABELS[rows_dim].lower()} "
                         f"et {DIMENSION_LABELS[columns_dim].lower()}.")
