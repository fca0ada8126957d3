"""Exact quantiles of any filtered cell (pay, recruitment delays), read from values sorted once
per snapshot.

DuckDB's quantile_cont gathers and orders each cell's values at every query, whatever the filters
(bench/README.md, section « Ce qui a changé », « Quantiles de salaire sur 10 ans »), and no
prepared sum over employers can stand in for a quantile. Here the values are stored sorted by
(year, value) when the snapshot is published (queries/build/build_sorted_values.sql) and loaded
once per process (queries/sorted_pay.sql, sorted_delays.sql); the rows a filter keeps are then
already in order, and a quantile is a lookup at its position. The values are those of quantile_cont: linear
interpolation at (n - 1) * p between the two nearest values.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from observatory import runtime
from observatory.filters import CODE_FILTERS, FAMILIES
from observatory.warehouse import Warehouse

# Quantile column of employees_pay -> probability.
PAY_PROBABILITIES: dict[str, float] = {"d1": 0.1, "q1": 0.25, "median": 0.5, "q3": 0.75, "d9": 0.9}


@dataclass(frozen=True)
class Index:
    """Sorted values behind the quantile columns of a named query."""
    table_query: str  # one year of the sorted table ($year)
    years_query: str  # the years it covers
    probabilities: dict[str, float]  # quantile column -> probability


# Named query -> the index of its quantile columns.
INDEXES: dict[str, Index] = {
    "employees_pay": Index("sorted_pay", "employees_years", PAY_PROBABILITIES),
    "vacancies_counts": Index("sorted_delays", "vacancies_years", {"delay_median": 0.5}),
}
# The column whose rows are also kept apart per value (SortedValues._split): pages filter on one
# branch more than on anything else. The pay's copy costs memory and load time, and makes a
# branch's ten-year median trend much faster (bench/README.md, section « Ce qui a
# changé », « Valeurs triées d'une branche dans ses propres lignes »).
BY_BRANCH = "branch"
# Filter parameter (as Filters.sql_parameters names it) -> column it restricts; a family's through
# its occupations (the occupations parameter holds them).
FILTER_COLUMNS: dict[str, str] = {f.sql_parameter: f.column for f in CODE_FILTERS if f is not FAMILIES}


class SortedValues:
    """Values sorted by (year, value), with their filter and dimension columns dictionary-encoded
    to small integers."""

    def __init__(self, value: np.ndarray, codes: dict[str, np.ndarray], values: dict[str, np.ndarray],
                 first_rows: dict[int, int], probabilities: dict[str, float], *, split: bool = True) -> None:
        """`value`: the values in (year, value) order; `codes`: each column's code per row;
        `values`: each column's value per code; `first_rows`: a year -> its first row;
        `probabilities`: quantile column -> probability; `split`: keep each branch's rows apart."""
        self.value, self.codes, self.values = value, codes, values
        self.probabilities = probabilities
        self._first_rows = first_rows
        self._end = len(value)
        self._branches = self._split(BY_BRANCH) if split and BY_BRANCH in codes else {}

    @classmethod
    def from_tables(cls, years: Iterable[pa.Table], probabilities: dict[str, float]) -> SortedValues:
        """`years`: the rows (year, value, then the columns), one table per year in increasing
        order, each encoded as it comes (the strings of one year only are in memory at a time)."""
        value_parts: list[np.ndarray] = []
        code_parts: dict[str, list[np.ndarray]] = {}
        labels: dict[str, dict[str | None, int]] = {}
        first_rows: dict[int, int] = {}
        rows = 0
        for table in years:
            if not table.num_rows:
                continue
            first_rows[int(table["year"][0].as_py())] = rows
            rows += table.num_rows
            values = table["value"].to_numpy().astype(np.float64)
            order = None if np.all(values[1:] >= values[:-1]) else np.argsort(values, kind="stable")
            value_parts.append(values if order is None else values[order])
            for name in table.column_names[2:]:
                column = table[name].combine_chunks()
                # Enums arrive encoded; plain strings are encoded here.
                encoded = column if pa.types.is_dictionary(column.type) else column.dictionary_encode()
                known = labels.setdefault(name, {})
                local = [known.setdefault(v, len(known)) for v in encoded.dictionary.to_pylist()]
                local.append(known.setdefault(None, len(known)))  # a null code
                indices = pc.fill_null(encoded.indices, len(local) - 1).to_numpy()
                row_codes = np.array(local, dtype=np.uint16)[indices]
                code_parts.setdefault(name, []).append(row_codes if order is None else row_codes[order])
        value = np.concatenate(value_parts) if value_parts else np.array([], dtype=np.float64)
        codes = {name: np.concatenate(parts).astype(np.uint8 if len(labels[name]) <= 1 << 8 else np.uint16)
                 for name, parts in code_parts.items()}
        values = {name: np.array(list(known), dtype=object) for name, known in labels.items()}
        return cls(value, codes, values, first_rows, probabilities)

    @property
    def nbytes(self) -> int:
        own = self.value.nbytes + sum(c.nbytes for c in self.codes.values())
        return own + sum(part.nbytes for part in self._branches.values())

    def _split(self, column: str) -> dict[int, SortedValues]:
        """The rows of each code of `column` apart, each still in (year, value) order: views of
        one copy of the values ordered by (code, year, value)."""
        order = np.argsort(self.codes[column], kind="stable")
        value = self.value[order]
        codes = {name: code[order] for name, code in self.codes.items()}
        first_years = sorted(self._first_rows)
        year_of_row = np.repeat(np.array(first_years, dtype=np.int16),
                                np.diff([*(self._first_rows[y] for y in first_years), self._end]))[order]
        counts = np.bincount(self.codes[column], minlength=len(self.values[column]))
        parts = {}
        for code, (start, stop) in enumerate(zip(np.cumsum(counts) - counts, np.cumsum(counts), strict=True)):
            if stop == start:
                continue
            years = year_of_row[start:stop]  # in order: a run of rows per year
            bounds = np.searchsorted(years, [*first_years, first_years[-1] + 1])
            first_rows = {first_years[i]: int(bounds[i]) for i in np.flatnonzero(np.diff(bounds))}
            parts[code] = SortedValues(value[start:stop], {name: c[start:stop] for name, c in codes.items()},
                                       self.values, first_rows, self.probabilities, split=False)
        return parts

    def quantiles(self, dims: tuple[str, ...], parameters: dict[str, object]) -> pd.DataFrame:
        """Per cell of `dims` (the cells the named query returns for the same filters), the
        quantile columns."""
        part = self._branch_part(parameters)
        if part is not None:
            return part.quantiles(dims, {**parameters, "branches": []})
        year_from, year_to = int(parameters["year_from"]), int(parameters["year_to"])
        others = tuple(d for d in dims if d not in ("year", "total"))
        if not others and ("year" in dims or year_from == year_to):
            # One cell per year: the kept rows are in (year, value) order already.
            frame = self._yearly(year_from, year_to, parameters)
            if "year" not in dims:
                frame = frame.drop(columns="year")
        elif "year" in dims or year_from == year_to:
            # Within a year the rows are in value order: each year's cells are read from its rows.
            parts = [self._cells(year, year, others, parameters) for year in range(year_from, year_to + 1)]
            frame = pd.concat(parts, ignore_index=True)
        else:
            frame = self._cells(year_from, year_to, others, parameters)
        if "total" in dims:
            frame.insert(0, "total", "ensemble")
        return frame[list(dims) + list(self.probabilities)]

    def _branch_part(self, parameters: dict[str, object]) -> SortedValues | None:
        """The rows of the one branch filtered, if one is (a portrait's always is): a fifth of the
        rows or less to filter further, and none at all when the branch is the only filter."""
        branches = parameters.get("branches") or []
        if len(branches) != 1 or not self._branches:  # type: ignore[arg-type]
            return None
        codes = np.flatnonzero(self.values[BY_BRANCH] == branches[0])  # type: ignore[index]
        return self._branches.get(int(codes[0])) if len(codes) else None

    def _yearly(self, year_from: int, year_to: int, parameters: dict[str, object]) -> pd.DataFrame:
        """One cell per year of year_from..year_to (the ten-year trends): one pass over the rows,
        each year's kept rows a run of the kept rows, in value order."""
        start, stop = self._row_range(year_from, year_to)
        rows = self._kept_rows(start, stop, parameters)
        years = np.array(sorted(y for y in self._first_rows if year_from <= y <= year_to), dtype=np.int16)
        bounds = np.array([self._first_rows[int(y)] for y in years] + [stop], dtype=np.int64)
        edges = bounds - start if isinstance(rows, slice) else np.searchsorted(rows, bounds)
        counts = np.diff(edges)
        present = counts > 0
        firsts, counts = edges[:-1][present], counts[present]
        frame = pd.DataFrame({"year": years[present]})
        for column, value in self._at_positions(rows, None, firsts, counts).items():
            frame[column] = value
        return frame

    def _at_positions(self, rows: np.ndarray | slice, order: np.ndarray | None, firsts: np.ndarray,
                      counts: np.ndarray) -> dict[str, np.ndarray]:
        """Each quantile of cells whose value-ordered rows start at `firsts` (in `order` of `rows`)."""
        values = {}
        for column, probability in self.probabilities.items():
            position = (counts - 1) * probability
            below = np.floor(position).astype(np.int64)
            above = np.minimum(below + 1, counts - 1)
            low = self.value[_at(rows, order, firsts + below)]
            high = self.value[_at(rows, order, firsts + above)]
            values[column] = low + (high - low) * (position - below)
        return values

    def _cells(self, year_from: int, year_to: int, others: tuple[str, ...],
               parameters: dict[str, object]) -> pd.DataFrame:
        """The cells of `others` over the rows of the years year_from..year_to (value-ordered when
        the two are equal)."""
        start, stop = self._row_range(year_from, year_to)
        rows = self._kept_rows(start, stop, parameters)
        if not others:
            # One cell: its rows are in value order already when it covers one year.
            order = np.argsort(self.value[rows], kind="stable") if year_from != year_to else None
            counts = np.array([_count(rows)], dtype=np.int64)
        else:
            keys, groups = self._group_keys(others, rows)
            # Within one year a stable sort by cell keeps each cell's rows in value order (a radix
            # sort on small keys); over several, order by value again.
            order = np.argsort(keys, kind="stable") if year_from == year_to else np.lexsort((self.value[rows], keys))
            counts = np.bincount(keys, minlength=groups)
        present = np.flatnonzero(counts)
        counts = counts[present]
        firsts = (np.cumsum(counts) - counts).astype(np.int64)
        frame = pd.DataFrame({"year": np.full(len(present), year_from, dtype=np.int16)})
        sizes = [len(self.values[d]) for d in others]
        for dim, code in zip(others, _unravel(present, sizes), strict=True):
            frame[dim] = self.values[dim][code]
        for column, value in self._at_positions(rows, order, firsts, counts).items():
            frame[column] = value
        return frame

    def _row_range(self, year_from: int, year_to: int) -> tuple[int, int]:
        after = [row for year, row in self._first_rows.items() if year > year_to]
        within = [row for year, row in self._first_rows.items() if year_from <= year <= year_to]
        stop = min(after) if after else self._end
        return (min(within) if within else stop), stop

    def _kept_rows(self, start: int, stop: int, parameters: dict[str, object]) -> np.ndarray | slice:
        """The rows of start..stop the filters keep (the slice itself when nothing filters)."""
        kept: np.ndarray | None = None
        match = spare = np.empty(0, dtype=bool)
        for parameter, column in FILTER_COLUMNS.items():
            wanted = parameters.get(parameter) or []
            if not wanted:
                continue
            allowed = np.isin(self.values[column], np.array(list(wanted), dtype=object))
            codes = self.codes[column][start:stop]
            if kept is None:
                kept, match, spare = (np.empty(stop - start, dtype=bool) for _ in range(3))
                _matching(codes, allowed, kept, spare)
            else:
                _matching(codes, allowed, match, spare)
                np.logical_and(kept, match, out=kept)
        if kept is None:
            return slice(start, stop)
        rows = np.flatnonzero(kept)
        if start:
            rows += start  # in place: a second array of millions of rows would cost more
        return rows

    def _group_keys(self, dims: tuple[str, ...], rows: np.ndarray | slice) -> tuple[np.ndarray, int]:
        """One small integer per row naming its cell of `dims`, and how many cells there can be."""
        groups = int(np.prod([len(self.values[d]) for d in dims]))
        dtype = np.uint8 if groups <= 1 << 8 else np.uint16 if groups <= 1 << 16 else np.int64
        keys = self.codes[dims[0]][rows].astype(dtype)
        for dim in dims[1:]:
            keys = keys * dtype(len(self.values[dim])) + self.codes[dim][rows].astype(dtype)
        return keys, groups


# Up to this many runs of consecutive chosen codes, one or two vectorised passes a run beat a
# gather through the table of allowed codes (bench/README.md, section « Ce qui a changé »,
# « Filtres de plusieurs codes sur les valeurs triées »): a family's
# occupations are one run, so are two neighbouring size classes. Results go to arrays given by
# the caller: temporaries of millions of rows cost as much again as the passes.
COMPARED_RUNS = 4


def _matching(codes: np.ndarray, allowed: np.ndarray, out: np.ndarray, spare: np.ndarray) -> None:
    """Whether each row's code is allowed, into `out` (`spare`: scratch of the same length)."""
    chosen = np.flatnonzero(allowed)
    runs = np.split(chosen, np.flatnonzero(np.diff(chosen) != 1) + 1) if len(chosen) else []
    if not runs:
        out.fill(False)
    elif len(runs) > COMPARED_RUNS or codes.dtype != np.uint8:
        np.take(allowed, codes, out=out)
    else:
        for i, run in enumerate(runs):
            target = out if i == 0 else spare
            if len(run) == 1:
                np.equal(codes, run[0], out=target)
            else:  # first <= code <= last as one unsigned comparison: code - first <= last - first
                shifted = target.view(np.uint8)
                np.subtract(codes, np.uint8(run[0]), out=shifted)
                np.less_equal(shifted, run[-1] - run[0], out=target)
            if i:
                np.logical_or(out, spare, out=out)


def _unravel(keys: np.ndarray, sizes: list[int]) -> list[np.ndarray]:
    """The per-dimension codes of combined keys (the inverse of _group_keys)."""
    codes = []
    for size in reversed(sizes):
        codes.append(keys % size)
        keys = keys // size
    return list(reversed(codes))


def _at(rows: np.ndarray | slice, order: np.ndarray | None, positions: np.ndarray) -> np.ndarray:
    """Row numbers at `positions` of the cell-ordered rows."""
    positions = positions if order is None else order[positions]
    return positions + rows.start if isinstance(rows, slice) else rows[positions]


def _count(rows: np.ndarray | slice) -> int:
    return rows.stop - rows.start if isinstance(rows, slice) else len(rows)


_LOADED: weakref.WeakKeyDictionary[Warehouse, dict[str, SortedValues]] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def of(warehouse: Warehouse, query: str) -> SortedValues:
    """The sorted values behind `query`'s quantiles in a warehouse's snapshot, loaded on first
    use (its cost: bench/README.md, section « Ce qui a changé », « Valeurs triées d'une branche
    dans ses propres lignes ») and shared by every session; concurrent first callers
    wait for the one load."""
    with _LOCK:
        loaded = _LOADED.setdefault(warehouse, {})
        if query not in loaded:
            index = INDEXES[query]
            years = warehouse.arrow_named(index.years_query)["year"].to_pylist()
            tables = (warehouse.arrow_named(index.table_query, {"year": year}) for year in years)
            loaded[query] = SortedValues.from_tables(tables, index.probabilities)
        return loaded[query]


# The quantiles of a request are computed beside its counts query (numpy and DuckDB both release
# the GIL): a pay piece of a page waits for the longer of the two instead of their sum (a ten-year
# trend's: bench/README.md, section « Ce qui a changé », « Quantiles calculés pendant la
# requête »). Its own threads: a quantile task asks for
# nothing else, so it can never wait on a pool it occupies (observatory.parallel).
BESIDE_WORKERS = 2


def quantiles_beside(warehouse: Warehouse, query: str, dims: tuple[str, ...],
                     parameters: dict[str, object]) -> Future[pd.DataFrame]:
    """The quantile columns of `query`'s cells over `dims`, computed in the background."""
    return beside(lambda: of(warehouse, query).quantiles(dims, parameters))


def beside(compute: Callable[[], pd.DataFrame]) -> Future[pd.DataFrame]:
    """`compute` (quantiles, and nothing that waits on another pool) in the background."""
    return runtime.pool("observatory-quantiles", BESIDE_WORKERS).submit(compute)


def with_quantiles(cells: pd.DataFrame, dims: tuple[str, ...], quantiles: pd.DataFrame) -> pd.DataFrame:
    """A query's cells with their quantile columns (NaN where the cell has no value)."""
    if "year" in dims:
        quantiles["year"] = quantiles["year"].astype(cells["year"].dtype)
    return cells.merge(quantiles, on=list(dims), how="left")
