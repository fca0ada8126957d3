"""The table builder: (dataset, dimensions, measure, filters) -> a protected table.

Pages, exports and the CLI all call `build_table`, so a figure is the same wherever it is read.
It picks the named queries of the measure, runs them through the warehouse, aligns their cells,
and applies the secrecy rules before anything leaves: the returned frame holds only published
values (NaN where secret) and a `status` column.
"""

from __future__ import annotations

import itertools
import threading
from collections import OrderedDict
from concurrent.futures import Future
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from observatory import indicators, reference, rollups, secrecy, sorted_values
from observatory.filters import Filters
from observatory.formatting import MONTHS
from observatory.indicators import MEASURES, Measure
from observatory.warehouse import Warehouse

DIMENSION_LABELS: dict[str, str] = {
    "total": "Ensemble", "year": "Année", "branch": "Branche", "region": "Région",
    "occupation": "Métier", "family": "Famille de métiers", "sex": "Sexe",
    "age_band": "Tranche d'âge", "age5": "Âge (tranches de 5 ans)", "employer_size": "Taille de structure",
    "contract": "Contrat",
    "scheme": "Dispositif", "certification": "Certification", "month": "Mois de publication",
}
MAX_DIMENSIONS = 3
NO_CERTIFICATION = "aucune"  # the warehouse's code for actions that certify nothing (null in the data)
CACHE_SIZE = 512


# Views of the unfiltered observatory worth computing before anyone asks: the 10-year trends
# (the slowest queries) and the latest year by branch and region, one per named query.
DEFAULT_VIEWS: tuple[tuple[str, tuple[str, ...], str], ...] = tuple(
    (dataset, dims, measure)
    for dataset, measure in (("employees", "effectif"), ("employees", "salaire_median"),
                             ("vacancies", "postes_non_pourvus"), ("vacancies", "taux_vacance"),
                             ("training", "stagiaires"), ("training", "taux_acces"))
    for dims in (("year",), ("year", "branch"), ("branch",), ("region",), ())
)


class TableRequestError(ValueError):
    """The request names an unknown dataset, measure or dimension; the message is French."""


@dataclass(frozen=True)
class ProtectedTable:
    measure: Measure
    dimensions: tuple[str, ...]
    filters: Filters
    years: tuple[int, int]
    snapshot_id: str
    frame: pd.DataFrame  # dims (code + _label), value, status
    notes: tuple[str, ...] = field(default=())

    def published(self) -> pd.DataFrame:
        """The frame as exported: the value column is empty (not 0) for secret cells."""
        return self.frame.copy()


def dimension_labels(dimension: str) -> dict[str, str]:
    if dimension == "total":
        return {"ensemble": "Ensemble"}
    if dimension == "month":
        return {f"{i + 1:02d}": name for i, name in enumerate(MONTHS)}
    if dimension == "certification":
        certs = reference.certifications()
        return {**dict(zip(certs["code"], certs["label"], strict=True)), NO_CERTIFICATION: "Aucune certification visée"}
    return reference.code_lists()[dimension].labels


def validate_request(dataset: str, dimensions: tuple[str, ...], measure_code: str) -> Measure:
    if measure_code not in MEASURES:
        raise TableRequestError(f"Indicateur inconnu : « {measure_code} ».")
    measure = MEASURES[measure_code]
    if dataset != measure.dataset:
        raise TableRequestError(f"L'indicateur « {measure_code} » relève du jeu « {measure.dataset} », "
                                f"pas de « {dataset} ».")
    if len(dimensions) > MAX_DIMENSIONS:
        raise TableRequestError(f"Au plus {MAX_DIMENSIONS} dimensions.")
    allowed = measure.allowed_dimensions()
    for dimension in dimensions:
        if dimension not in allowed:
            raise TableRequestError(f"Dimension « {dimension} » indisponible pour « {measure_code} » "
                                    f"(possibles : {', '.join(d for d in allowed if d != 'total')}).")
    if len(set(dimensions)) != len(dimensions):
        raise TableRequestError("Dimension répétée.")
    return measure


class TableBuilder:
    """Builds protected tables over one warehouse, caching query cells and results in-process."""

    def __init__(self, warehouse: Warehouse, config: secrecy.SecrecyConfig = secrecy.DEFAULT) -> None:
        self.warehouse = warehouse
        self.config = config
        self._cells: OrderedDict[tuple, pd.DataFrame] = OrderedDict()
        self._tables: OrderedDict[tuple, ProtectedTable] = OrderedDict()
        self._aligned: OrderedDict[tuple, tuple[dict[str, object], dict[str, pd.DataFrame]]] = OrderedDict()
        self._running: dict[tuple, Future] = {}
        self._lock = threading.Lock()

    @property
    def snapshot_id(self) -> str:
        return self.warehouse.snapshot.id

    def build(self, dataset: str, dimensions: tuple[str, ...] | list[str], measure_code: str,
              filters: Filters | None = None) -> ProtectedTable:
        """The protected table of a request. A repeated request returns the same object, shared by
        every caller: read `frame`, or take `published()` (a copy) to change anything."""
        key = self._table_key(dataset, dimensions, measure_code, filters)
        with self._lock:
            if key in self._tables:
                self._tables.move_to_end(key)
                return self._tables[key]
        _snapshot, _dataset, dims, _code, filters = key
        table = self._build(dataset, dims, measure_code, filters)
        with self._lock:
            self._tables[key] = table
            while len(self._tables) > CACHE_SIZE:
                self._tables.popitem(last=False)
        return table

    def built(self, dataset: str, dimensions: tuple[str, ...], measure_code: str,
              filters: Filters | None = None) -> ProtectedTable | None:
        """The table of a request if it is already built (nothing is computed)."""
        with self._lock:
            return self._tables.get(self._table_key(dataset, dimensions, measure_code, filters))

    def _table_key(self, dataset: str, dimensions: tuple[str, ...] | list[str], measure_code: str,
                   filters: Filters | None) -> tuple[str, str, tuple[str, ...], str, Filters]:
        """A request as the table cache names it (no dimension: the total; notices ignored)."""
        return (self.snapshot_id, dataset, tuple(dimensions) or ("total",), measure_code,
                (filters or Filters()).without_notices())

    def _build(self, dataset: str, dims: tuple[str, ...], measure_code: str, filters: Filters) -> ProtectedTable:
        measure = validate_request(dataset, dims, measure_code)
        years = (reference.YEARS[0], reference.YEARS[-1]) if "year" in dims else \
            (filters.effective_year, filters.effective_year)
        honoured = frozenset.intersection(*(indicators.DATASET_FILTERS[_dataset_of(q)] for q in measure.queries))
        labelled, aligned = self._aligned_cells(measure, dims, filters, years, honoured)
        published = measure.compute(aligned, self.config)
        if not published.ok.any():
            # Nothing publishable: say whether the population itself is too small.
            self._check_population(measure, filters, years, honoured)
        # One constructor call: building a labelled frame, copying it and adding columns one by one
        # costs three times as much.
        frame = pd.DataFrame({**labelled, "value": _round(published.value, measure.unit),
                              "status": np.where(published.ok, secrecy.OK, secrecy.SECRET)},
                             index=pd.RangeIndex(len(published.value)))
        notes = tuple(f"Filtre non applicable à ce jeu de données : {name}."
                      for name in filters.unhonoured(honoured))
        return ProtectedTable(measure, dims, filters, years, self.snapshot_id, frame, notes)

    def load(self) -> None:
        """What a process reads once, ahead of its visitors: the database's tables into DuckDB's
        memory (Warehouse.load_tables), the sorted values behind the quantiles (0.2-1.1 s) and
        the noise table (0.1 s); else the first view asking for each pays for it."""
        self.warehouse.load_tables()
        for query in sorted_values.INDEXES:
            sorted_values.of(self.warehouse, query)
        secrecy.perturbation_table(self.config)

    def warm(self, views: tuple[tuple[str, tuple[str, ...], str], ...] = ()) -> int:
        """Compute the default views ahead of the first visitor (each query once: measures of
        one query share its cells). Returns how many views were built."""
        built = 0
        for dataset, dims, measure_code in views or DEFAULT_VIEWS:
            try:
                self.build(dataset, dims, measure_code)
            except secrecy.PopulationTooSmall:
                continue
            built += 1
        return built

    # -- internals --------------------------------------------------------------------------

    def _cells_of(self, query: str, dims: tuple[str, ...], filters: Filters, years: tuple[int, int],
                  honoured: frozenset[str], columns: tuple[str, ...]) -> pd.DataFrame:
        """The cells of `query` over `dims`, with `columns` among its counts and totals."""
        parameters = _parameters(query, filters, years, honoured, columns)
        key = self._cells_key(query, dims, parameters)
        with self._lock:
            frame, running = self._known(query, dims, parameters)
            if frame is not None:
                return frame
            owner = running is None
            if owner:
                running = self._running[key] = Future()
        if not owner:
            # The same cells are already being computed (the warm-up, another session, a piece
            # of the same page): wait for them rather than run a query twice on two cores.
            return running.result()
        try:
            frame = self._year_of_trend(query, dims, filters, years, honoured, columns)
            if frame is None:
                frame = self._run(query, dims, parameters)
        except BaseException as error:
            with self._lock:
                del self._running[key]
            running.set_exception(error)
            raise
        with self._lock:
            self._cells[key] = frame
            del self._running[key]
            while len(self._cells) > CACHE_SIZE:
                self._cells.popitem(last=False)
        running.set_result(frame)
        return frame

    def _known(self, query: str, dims: tuple[str, ...], parameters: dict[str, object]
               ) -> tuple[pd.DataFrame | None, Future | None]:
        """Cells of the request already computed, or being computed (call with the lock held).
        A request is also served by cells with more columns (every count of a trimmed query,
        the quantiles): a portrait's headcount and share tiles read one ten-year query, not two."""
        keys = [self._cells_key(query, dims, wider) for wider in wider_requests(query, parameters)]
        for key in keys:
            if key in self._cells:
                self._cells.move_to_end(key)
                return self._cells[key], None
        return None, next((self._running[key] for key in keys if key in self._running), None)

    def _cells_key(self, query: str, dims: tuple[str, ...], parameters: dict[str, object]) -> tuple:
        return (self.snapshot_id, query, dims, repr(sorted(parameters.items())))

    def _run(self, query: str, dims: tuple[str, ...], parameters: dict[str, object]) -> pd.DataFrame:
        """The cells of a named query, read from the smallest rollup that gives them."""
        source = rollups.choose(query, dims, parameters, self.warehouse.table_rows, self.warehouse.persons_rollup_exact)
        allowed = frozenset(indicators.DATASET_DIMENSIONS[_dataset_of(query)]).union(*source.identifiers.values())
        quantiles = sorted_values.quantiles_beside(self.warehouse, query, dims, parameters) \
            if parameters.get("quantiles") else None
        frame = self.warehouse.run_named(query, parameters, {"dims": list(dims), **source.identifiers}, allowed,
                                         source.fragments)
        return frame if quantiles is None else sorted_values.with_quantiles(frame, dims, quantiles.result())

    def _year_of_trend(self, query: str, dims: tuple[str, ...], filters: Filters, years: tuple[int, int],
                       honoured: frozenset[str], columns: tuple[str, ...]) -> pd.DataFrame | None:
        """The one cell of a year's total, taken from the ten-year trend of the same filters when
        that is already built or being built (pages draw the trend and the year's figure side by
        side, observatory.parallel): the same employers' rows make both, so the cell is the same,
        without a second query."""
        if dims != ("total",) or years[0] != years[1]:
            return None
        trend_parameters = _parameters(query, filters, (reference.YEARS[0], reference.YEARS[-1]), honoured, columns)
        with self._lock:
            trend, running = self._known(query, ("year",), trend_parameters)
        if running is not None:
            try:
                trend = running.result()
            except Exception:
                return None
        if trend is None:
            return None
        row = trend[trend["year"] == years[0]].drop(columns="year").reset_index(drop=True)
        row.insert(0, "total", "ensemble")
        return row

    def _aligned_cells(self, measure: Measure, dims: tuple[str, ...], filters: Filters,
                       years: tuple[int, int], honoured: frozenset[str]
                       ) -> tuple[dict[str, object], dict[str, pd.DataFrame]]:
        """The cells of the measure's queries aligned on one set of keys, and those keys with their
        labels (the columns of the table's frame, before its values).
        Cached: the measures of one query and columns (five quantiles, a mean) share this work,
        which costs more than computing the measure itself."""
        queries = measure.queries
        reads = tuple(indicators.query_columns(q, measure.columns(q)) for q in queries)
        parameters = filters.sql_parameters(years[0], years[1], honoured)
        key = (self.snapshot_id, queries, repr(reads), dims, repr(sorted(parameters.items())))
        with self._lock:
            if key in self._aligned:
                self._aligned.move_to_end(key)
                return self._aligned[key]
        cells = {q: self._cells_of(q, dims, filters, years, honoured, measure.columns(q)) for q in queries}
        # One query: its own rows are the keys, unique and in order (no key frame to build).
        keys = next(iter(cells.values())) if len(cells) == 1 else _aligned_keys(cells, dims)
        aligned = {q: _align(frame, keys, dims) for q, frame in cells.items()}
        labelled = _labelled(keys, dims)
        with self._lock:
            self._aligned[key] = (labelled, aligned)
            while len(self._aligned) > CACHE_SIZE:
                self._aligned.popitem(last=False)
        return labelled, aligned

    def _check_population(self, measure: Measure, filters: Filters, years: tuple[int, int],
                          honoured: frozenset[str]) -> None:
        """Refuse when the whole filtered population of the measure's first query fails (a
        population with one publishable cell is shown, even if its total is dominated)."""
        query = measure.queries[0]
        total = self._cells_of(query, ("total",), filters, years, honoured, ("n",))
        if total.empty or not bool(secrecy.cells_pass(total, "n", config=self.config)[0]):
            raise secrecy.PopulationTooSmall()


def _parameters(query: str, filters: Filters, years: tuple[int, int], honoured: frozenset[str],
                columns: tuple[str, ...]) -> dict[str, object]:
    """A query's parameters: the filters', and which of its aggregates to compute."""
    return {**filters.sql_parameters(years[0], years[1], honoured), **indicators.query_columns(query, columns)}


def wider_requests(query: str, parameters: dict[str, object]) -> list[dict[str, object]]:
    """The request's parameters, then those of requests whose cells hold its columns and more
    (every count of a trimmed query, the quantiles): cells the builder serves it from. Fewer
    variants, a wider request."""
    variants = [parameters]
    if query in indicators.TRIMMED_QUERIES and parameters.get("counts") == ["n"]:
        variants.append({**parameters, "counts": list(indicators.TRIMMED_QUERIES[query])})
    if parameters.get("quantiles") is False:
        variants += [{**variant, "quantiles": True} for variant in variants]
    return variants


def _dataset_of(query: str) -> str:
    return query.split("_", 1)[0]


def _aligned_keys(cells: dict[str, pd.DataFrame], dims: tuple[str, ...]) -> pd.DataFrame:
    frames = list(cells.values())
    if len(frames) == 1:
        # One query: its rows are the keys, already unique and in order (ORDER BY {dims}).
        return _key_columns(frames[0], dims)
    if all(_same_keys(frame, frames[0], dims) for frame in frames[1:]) and _strictly_sorted(frames[0], dims):
        # The queries found the same cells (the usual case): the union is any one of them.
        return _key_columns(frames[0], dims)
    keys = pd.concat([frame[list(dims)] for frame in frames]).drop_duplicates()
    return keys.sort_values(list(dims)).reset_index(drop=True)


def _key_columns(frame: pd.DataFrame, dims: tuple[str, ...]) -> pd.DataFrame:
    """`frame[list(dims)].reset_index(drop=True)`, built from the arrays: four times cheaper."""
    return pd.DataFrame({dim: frame[dim].array for dim in dims})


def _labelled(keys: pd.DataFrame, dims: tuple[str, ...]) -> dict[str, object]:
    """The key columns with each dimension's French label beside its code."""
    columns: dict[str, object] = {}
    for dim in dims:
        labels = dimension_labels(dim)
        columns[dim] = keys[dim].array
        columns[f"{dim}_label"] = [labels.get(str(code), str(code)) for code in keys[dim].tolist()]
    return columns


def _same_keys(frame: pd.DataFrame, other: pd.DataFrame, dims: tuple[str, ...]) -> bool:
    """Same key columns, row by row, with the same dtypes: what `DataFrame.equals` checks, column
    by column on the arrays (ten times cheaper than selecting the key frames to compare them)."""
    return len(frame) == len(other) and all(frame[dim].array.equals(other[dim].array) for dim in dims)


def _strictly_sorted(frame: pd.DataFrame, dims: tuple[str, ...]) -> bool:
    """Whether the key rows are unique and in the order `sort_values(dims)` gives (a missing key,
    which Python cannot compare, answers no)."""
    rows = list(zip(*(frame[dim].tolist() for dim in dims), strict=True))
    try:
        return all(before < after for before, after in itertools.pairwise(rows))
    except TypeError:
        return False


# Columns of statistics (NaN where undefined), as opposed to counts (absent means zero).
STATISTICS = ("mean", "median", "d1", "q1", "q3", "d9", "delay", "smic")


def _align(frame: pd.DataFrame, keys: pd.DataFrame, dims: tuple[str, ...]) -> pd.DataFrame:
    """The query's cells in the order of `keys`; absent cells are true zeros."""
    if _same_keys(frame, keys, dims):
        merged = frame.reset_index(drop=True)
    else:
        merged = keys.merge(frame, on=list(dims), how="left")
    # Only the count columns holding a hole are filled: column-wise writes are what costs here.
    holes = merged.isna().to_numpy().any(axis=0)
    to_fill = [c for c, hole in zip(merged.columns, holes, strict=True)
               if hole and c not in dims and not c.startswith(STATISTICS)]
    if to_fill:
        merged[to_fill] = merged[to_fill].fillna(0)
    return merged


def _round(values: np.ndarray, unit: str) -> np.ndarray:
    digits = {"count": 0, "fte": 1, "eur": 2, "share": 4, "ratio": 3, "days": 1, "hours": 1}[unit]
    return np.round(values.astype(float), digits)
