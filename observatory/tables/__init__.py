"""The table builder: (dataset, dimensions, measure, filters) -> a protected table.

Pages, exports and the CLI all call `TableBuilder.build`, so a figure is the same wherever it is
read. It picks the named queries of the measure, runs them through the warehouse, protects
their cells (observatory/protection.py) and, for a filter holding several values, composes
the published cells of each value (observatory/composition.py): every figure derives from one
fixed set of cells, each protected once. Only then does the measure compute its values: the
returned frame holds only published values (NaN where secret) and a `status` column.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np
import pandas as pd

from observatory import composition, indicators, parallel, protection, reference, rollups, secrecy, sorted_values
from observatory.filters import Filters
from observatory.formatting import MONTHS
from observatory.indicators import MEASURES, Measure
from observatory.protection import Published
from observatory.tables.requests import ReadsOthers, Request, start_order, wider_requests
from observatory.tables.shared_cache import SharedCache
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
T = TypeVar("T")
UNION_NOTE = ("Sélection de plusieurs valeurs : chaque effectif ou somme est la somme des chiffres publiés pour "
              "chaque valeur, les parts et moyennes en découlent ; un chiffre est secret dès qu'il l'est pour "
              "l'une des valeurs.")


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

    def frame_copy(self) -> pd.DataFrame:
        """A copy of the frame to change (the table itself is shared): the value column is
        empty (not 0) for secret cells."""
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
        self._cells: SharedCache[pd.DataFrame] = SharedCache(CACHE_SIZE)
        # Published cells (and a union's quantiles) apart from the queries' cells: one store would
        # hold half as many of each.
        self._published_cells: SharedCache[object] = SharedCache(CACHE_SIZE)
        self._tables: SharedCache[ProtectedTable] = SharedCache(CACHE_SIZE)
        self._aligned: SharedCache[tuple[dict[str, object], dict[str, Published]]] = SharedCache(CACHE_SIZE)

    @property
    def snapshot_id(self) -> str:
        return self.warehouse.snapshot.id

    def build(self, dataset: str, dimensions: tuple[str, ...] | list[str], measure_code: str,
              filters: Filters | None = None) -> ProtectedTable:
        """The protected table of a request. A repeated request returns the same object, shared by
        every caller: read `frame`, or take `frame_copy()` to change anything."""
        key = self._table_key(dataset, dimensions, measure_code, filters)
        _snapshot, _dataset, dims, _code, filters = key
        return self._tables.get_or_compute([key], lambda: self._build(dataset, dims, measure_code, filters))

    def table(self, request: Request) -> ProtectedTable:
        return self.build(request.dataset, request.dimensions, request.measure, request.filters)

    def gather(self, pieces: Sequence[Callable[[], T] | tuple[Request | ReadsOthers, Callable[[], T]]]) -> list[T]:
        """Each piece's result, in order, the pieces computed side by side (observatory.parallel;
        the first exception raised, once every piece has ended). A piece may name the table it
        reads first, or READS_OTHERS when it reads what the other pieces build: the builder starts
        first the pieces whose tables run queries of their own, then the others, then those it
        serves from the cells of earlier ones, last those reading the others
        (tables.requests.start_order)."""
        named = [piece if isinstance(piece, tuple) else (None, piece) for piece in pieces]
        order = start_order([request for request, _make in named])
        results = parallel.gather([named[i][1] for i in order])
        by_position = dict(zip(order, results, strict=True))
        return [by_position[i] for i in range(len(pieces))]

    def total(self, measure_code: str, filters: Filters) -> float | None:
        """The published value of the measure over the filtered population for the selected year
        (None if secret). Read from the year's row of the measure's ten-year table when that is
        built and the row published: the same cells, so the same value, without a table of its
        own (a page's findings ask for a dozen totals)."""
        dataset = indicators.MEASURES[measure_code].dataset
        trend = self.built(dataset, ("year",), measure_code, filters)
        if trend is not None:
            # Plain lists: a page asks for a dozen totals, and a pandas conversion each would show.
            by_year = dict(zip(map(int, trend.frame["year"].tolist()), trend.frame["value"].tolist(), strict=True))
            published = by_year.get(filters.effective_year)
            if published is not None and published == published:  # NaN: secret
                return float(published)
        value = self.build(dataset, (), measure_code, filters).frame["value"].iloc[0]
        return None if pd.isna(value) else float(value)

    def built(self, dataset: str, dimensions: tuple[str, ...], measure_code: str,
              filters: Filters | None = None) -> ProtectedTable | None:
        """The table of a request if it is already built (nothing is computed)."""
        return self._tables.get([self._table_key(dataset, dimensions, measure_code, filters)])

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
        values = measure.compute(aligned)
        ok = np.isfinite(values)
        if not ok.any():
            # Nothing publishable: say whether the population itself is too small.
            self._check_population(measure, filters, years, honoured)
        # One constructor call: building a labelled frame, copying it and adding columns one by one
        # costs three times as much.
        frame = pd.DataFrame({**labelled, "value": _round(np.where(ok, values, np.nan), measure.unit),
                              "status": np.where(ok, secrecy.OK, secrecy.SECRET)},
                             index=pd.RangeIndex(len(values)))
        notes = tuple(f"Filtre non applicable à ce jeu de données : {name}."
                      for name in filters.unhonoured(honoured))
        if composition.members(dims, filters, honoured):
            notes += (UNION_NOTE,)
        return ProtectedTable(measure, dims, filters, years, self.snapshot_id, frame, notes)

    def load(self) -> None:
        """What a process reads once, ahead of its visitors: the database's tables into DuckDB's
        memory (Warehouse.load_tables), the sorted values behind the quantiles and the noise table;
        else the first view asking for each pays for it (bench/README.md, section « Ce qui a
        changé », « lecture d'avance complète »)."""
        self.warehouse.load_tables()
        for query in sorted_values.INDEXES:
            sorted_values.of(self.warehouse, query)
        secrecy.perturbation_table(self.config)
        secrecy.magnitude_table(self.config)

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

        def compute() -> pd.DataFrame:
            frame = self._year_of_trend(query, dims, filters, years, honoured, columns)
            return self._run(query, dims, parameters) if frame is None else frame
        # A request is also served by cells with more columns (every count of a trimmed query,
        # the quantiles): a portrait's headcount and share tiles read one ten-year query.
        return self._cells.get_or_compute([self._cells_key(query, dims, wider)
                                           for wider in wider_requests(query, parameters)], compute)

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
        """The cells of a year's total (one, or one per member of a union: dims `total` then the
        members' columns), taken from the ten-year trend of the same filters when that is already
        built or being built (pages draw the trend and the year's figure side by side,
        observatory.parallel): the same employers' rows make both, so the cells are the same,
        without a second query."""
        if dims[0] != "total" or years[0] != years[1]:
            return None
        trend_parameters = _parameters(query, filters, (reference.YEARS[0], reference.YEARS[-1]), honoured, columns)
        trend_dims = ("year", *dims[1:])
        trend = self._cells.peek([self._cells_key(query, trend_dims, wider)
                                  for wider in wider_requests(query, trend_parameters)])
        if trend is None:
            return None
        row = trend[trend["year"] == years[0]].drop(columns="year").reset_index(drop=True)
        row.insert(0, "total", "ensemble")
        return row

    def _aligned_cells(self, measure: Measure, dims: tuple[str, ...], filters: Filters,
                       years: tuple[int, int], honoured: frozenset[str]
                       ) -> tuple[dict[str, object], dict[str, Published]]:
        """The published cells of the measure's queries aligned on one set of keys, and those keys
        with their labels (the columns of the table's frame, before its values).
        Cached: the measures of one query and columns (five quantiles, a mean) share this work,
        which costs more than computing the measure itself."""
        queries = measure.queries
        reads = tuple(indicators.query_columns(q, measure.columns(q)) for q in queries)
        parameters = filters.sql_parameters(years[0], years[1], honoured)
        key = (self.snapshot_id, queries, repr(reads), dims, repr(sorted(parameters.items())))

        def align() -> tuple[dict[str, object], dict[str, Published]]:
            cells = {q: self._published(q, dims, filters, years, honoured, measure.columns(q)) for q in queries}
            # One query: its own rows are the keys, unique and in order (no key frame to build).
            keys = next(iter(cells.values())) if len(cells) == 1 else _aligned_keys(cells, dims)
            aligned = {q: _align(frame, keys, dims, protection.LAYOUTS[q]) for q, frame in cells.items()}
            return _labelled(keys, dims), aligned
        return self._aligned.get_or_compute([key], align)

    def _published(self, query: str, dims: tuple[str, ...], filters: Filters, years: tuple[int, int],
                   honoured: frozenset[str], columns: tuple[str, ...]) -> Published:
        """The published cells of `query` over `dims`: its own cells protected, or, when a filter
        holds several values, the protected cells of each member composed. Cached as the cells
        are (the measures of a page read the same cells)."""
        parameters = _parameters(query, filters, years, honoured, columns)
        keys = [self._cells_key(query, dims, {**wider, "published": True})
                for wider in wider_requests(query, parameters)]
        return self._published_cells.get_or_compute(
            keys, lambda: self._protect(query, dims, filters, years, honoured, columns, parameters))

    def _protect(self, query: str, dims: tuple[str, ...], filters: Filters, years: tuple[int, int],
                 honoured: frozenset[str], columns: tuple[str, ...], parameters: dict[str, object]) -> Published:
        members = composition.members(dims, filters, honoured)
        if not members:
            cells = self._cells_of(query, dims, filters, years, honoured, columns)
            return protection.protect(query, cells, dims, self.config)
        layout = protection.LAYOUTS[query]
        # A union's quantiles come from its own rows (no sum gives them), beside the members' query.
        quantiles = sorted_values.beside(lambda: self._union_quantiles(query, dims, parameters)) \
            if parameters.get("quantiles") else None
        asked = tuple(c for c in columns if c not in dict(layout.quantiles))
        protected = self._protected_members(query, (*dims, *members), filters, years, honoured, asked)
        return composition.compose(protected, dims, layout, None if quantiles is None else quantiles.result())

    def _protected_members(self, query: str, member_dims: tuple[str, ...], filters: Filters,
                           years: tuple[int, int], honoured: frozenset[str], columns: tuple[str, ...]) -> Published:
        """The protected cells of each member of a union: the table's dimensions and one column
        per multi-value filter."""
        cells = self._cells_of(query, member_dims, filters, years, honoured, columns)
        return protection.protect(query, cells, member_dims, self.config)

    def _union_quantiles(self, query: str, dims: tuple[str, ...], parameters: dict[str, object]) -> pd.DataFrame:
        """The quantile columns of a union's cells, over all its rows."""
        key = (self.snapshot_id, query, dims, "quantiles", repr(sorted(parameters.items())))
        return self._published_cells.get_or_compute(
            [key], lambda: sorted_values.of(self.warehouse, query).quantiles(dims, parameters))

    def _check_population(self, measure: Measure, filters: Filters, years: tuple[int, int],
                          honoured: frozenset[str]) -> None:
        """Refuse when the whole filtered population of the measure's first query is secret (a
        population with one publishable cell is shown, even if its total is dominated); a union
        is, when one of its members is: the refusal names them."""
        query = measure.queries[0]
        total = self._published(query, ("total",), filters, years, honoured, ("n",))["n"]
        if len(total) and np.isfinite(total).all():
            return
        members = composition.members(("total",), filters, honoured)
        if not len(total) or not members:
            raise secrecy.PopulationTooSmall()
        published = self._protected_members(query, ("total", *members), filters, years, honoured, ("n",))
        secret = np.flatnonzero(np.isnan(published["n"]))
        raise secrecy.PopulationTooSmall(secrecy.union_refusal(
            [" × ".join(dimension_labels(c).get(str(published[c][i]), str(published[c][i])) for c in members)
             for i in secret]))


def _parameters(query: str, filters: Filters, years: tuple[int, int], honoured: frozenset[str],
                columns: tuple[str, ...]) -> dict[str, object]:
    """A query's parameters: the filters', and which of its aggregates to compute."""
    return {**filters.sql_parameters(years[0], years[1], honoured), **indicators.query_columns(query, columns)}


def _dataset_of(query: str) -> str:
    return query.split("_", 1)[0]


def _aligned_keys(cells: dict[str, Published], dims: tuple[str, ...]) -> Published:
    tables = list(cells.values())
    if len(tables) == 1:
        # One query: its rows are the keys, already unique and in order (ORDER BY {dims}).
        return {dim: tables[0][dim] for dim in dims}
    if all(_same_keys(table, tables[0], dims) for table in tables[1:]) and _strictly_sorted(tables[0], dims):
        # The queries found the same cells (the usual case): the union is any one of them.
        return {dim: tables[0][dim] for dim in dims}
    keys = pd.concat([pd.DataFrame({dim: table[dim] for dim in dims}) for table in tables]).drop_duplicates()
    keys = keys.sort_values(list(dims)).reset_index(drop=True)
    return {dim: keys[dim].array for dim in dims}


def _labelled(keys: Published, dims: tuple[str, ...]) -> dict[str, object]:
    """The key columns with each dimension's French label beside its code."""
    columns: dict[str, object] = {}
    for dim in dims:
        labels = dimension_labels(dim)
        columns[dim] = keys[dim]
        columns[f"{dim}_label"] = [labels.get(str(code), str(code)) for code in keys[dim].tolist()]
    return columns


def _same_keys(table: Published, other: Published, dims: tuple[str, ...]) -> bool:
    """Same key columns, row by row, with the same dtypes (what `DataFrame.equals` checks, on
    the arrays)."""
    return protection.size(table) == protection.size(other) and all(table[dim].equals(other[dim]) for dim in dims)


def _strictly_sorted(table: Published, dims: tuple[str, ...]) -> bool:
    """Whether the key rows are unique and in the order `sort_values(dims)` gives (a missing key,
    which Python cannot compare, answers no)."""
    rows = list(zip(*(table[dim].tolist() for dim in dims), strict=True))
    try:
        return all(before < after for before, after in itertools.pairwise(rows))
    except TypeError:
        return False


def _align(table: Published, keys: Published, dims: tuple[str, ...], layout: protection.Layout) -> Published:
    """A query's published cells in the order of `keys`: an absent cell is a true zero (its
    counts and sums 0, its quantiles undefined); a secret one stays secret."""
    if _same_keys(table, keys, dims):
        return table
    merged = pd.DataFrame(keys).merge(pd.DataFrame(table).assign(_present=True), on=list(dims), how="left")
    absent = merged.pop("_present").isna().to_numpy()
    aligned: Published = {dim: merged[dim].array for dim in dims}
    added = {c.column for c in layout.counts} | {s.column for s in layout.sums}
    for column in merged.columns.difference(list(dims)):
        values = merged[column].to_numpy(dtype=float)
        aligned[column] = np.where(absent, 0.0, values) if column in added else values
    return aligned


def _round(values: np.ndarray, unit: str) -> np.ndarray:
    digits = {"count": 0, "fte": 1, "eur": 2, "share": 4, "ratio": 3, "days": 1, "hours": 1}[unit]
    return np.round(values.astype(float), digits)
