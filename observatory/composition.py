"""Selections of several values composed from the protected cells of each value
(docs/methodologie-secret.md § 1, "one fixed set of protected cells").

Every union of filter values is a set of rows of its own: protected as a new cell, with its own
cell key, it would get a fresh noise, and averaging many `union - sub-union` differences would
recover a small cell exactly. So the builder never protects a union: it asks for the cells of
each member (the request's dimensions plus one column per filter holding several values),
protects those (observatory/protection.py), and adds them up here. A count or a sum of a union
is the sum of its members' published figures, secret as soon as one member is; shares and means
are then computed from those sums; a quantile of a union (computed over its rows: no sum gives
it) is published only where every member's population is.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from observatory import reference
from observatory.filters import CODE_FILTERS, FAMILIES, OCCUPATIONS, Filters
from observatory.protection import Layout, Published, size

# Filters attribute taking several values -> the column holding one of them (observatory/filters.py;
# occupations and families apart: a family selects its occupations).
SEVERAL: tuple[tuple[str, str], ...] = tuple((f.attribute, f.column) for f in CODE_FILTERS
                                             if f.several and f not in (FAMILIES, OCCUPATIONS))
# A dimension fixes the value of another column: a cell of one occupation has one family, a cell
# of a 5-year age band one band of the filter.
FIXES: dict[str, str] = {"occupation": "family", "age5": "age_band"}


def members(dims: tuple[str, ...], filters: Filters, honoured: frozenset[str]) -> tuple[str, ...]:
    """The columns whose values a request's cells are unions of: each filter holding several
    values that the dataset applies, whose column is not a dimension nor fixed by one. A filter
    holding every value of its list selects every row: it is no union."""
    fixed = set(dims) | {FIXES[d] for d in dims if d in FIXES}
    columns = [column for attribute, column in SEVERAL
               if attribute in honoured and column not in fixed and _several(getattr(filters, attribute), column)]
    if "occupations" in honoured and "occupation" not in dims:
        if filters.occupations:
            if _several(filters.occupation_codes(), "occupation"):
                columns.append("occupation")
        elif "family" not in dims and _several(filters.families, "family"):
            columns.append("family")
    return tuple(columns)


def _several(values: tuple[str, ...], column: str) -> bool:
    return len(values) > 1 and set(values) != set(reference.code_lists()[column].labels)


def compose(published: Published, dims: tuple[str, ...], layout: Layout,
            quantiles: pd.DataFrame | None = None) -> Published:
    """The published cells of `dims` from those of their members (`published`: dims, member
    columns, published values as protection.protect gives them, ordered by dims then members,
    as every counts query orders its cells): counts and sums added up, NaN when a member's is;
    constants kept; `quantiles` (dims, quantile columns of the union's rows) where the union's
    population count is published."""
    firsts = _first_rows(published, dims)
    composed: Published = {dim: published[dim][firsts] for dim in dims}
    for column in (*(c.column for c in layout.counts), *(s.column for s in layout.sums)):
        if column in published:
            # A sum is NaN as soon as one of its terms is: a secret member makes the union secret.
            values = published[column]
            composed[column] = np.add.reduceat(values, firsts) if len(firsts) else values[:0]
    for column in layout.constants:
        if column in published:
            composed[column] = published[column][firsts]
    if quantiles is not None and len(layout.quantiles):
        _add_quantiles(composed, dims, layout, quantiles)
    return composed


def _first_rows(published: Published, dims: tuple[str, ...]) -> np.ndarray:
    """Where each cell's run of member rows starts (the rows come ordered by dims)."""
    rows = size(published)
    if not rows:
        return np.zeros(0, dtype=np.int64)
    starts = np.zeros(rows, dtype=bool)
    starts[0] = True
    for dim in dims:
        values = np.asarray(published[dim])
        starts[1:] |= values[1:] != values[:-1]
    return np.flatnonzero(starts)


def _add_quantiles(composed: Published, dims: tuple[str, ...], layout: Layout, quantiles: pd.DataFrame) -> None:
    names = [column for column, _ in layout.quantiles if column in quantiles]
    keys = pd.DataFrame({dim: composed[dim] for dim in dims})
    same = len(quantiles) == len(keys) and all(
        np.array_equal(quantiles[dim].to_numpy().astype(str), keys[dim].to_numpy().astype(str)) for dim in dims)
    if same:  # the usual case: the same cells in the same order, no join to make
        aligned = {column: quantiles[column].to_numpy(dtype=float) for column in names}
    else:
        if "year" in dims:
            quantiles = quantiles.assign(year=quantiles["year"].astype(keys["year"].dtype))
        merged = keys.merge(quantiles[[*dims, *names]], on=list(dims), how="left")
        aligned = {column: merged[column].to_numpy(dtype=float) for column in names}
    for column, population in layout.quantiles:
        if column in names and population in composed:
            composed[column] = np.where(np.isfinite(composed[population]), aligned[column], np.nan)
