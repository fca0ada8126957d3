"""Row selections on the small frames that pages draw (one row per branch, region, age band...).

Each function returns exactly what the named pandas call returns (same rows, order and index),
computed on numpy arrays: at 1-50 rows a pandas `dropna` or `sort_values` is mostly bookkeeping
(bench/README.md, section « Ce qui a changé », « Côté Python »), and a page makes dozens of them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def dropna_rows(rows: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """`rows.dropna(subset=[*columns])` for float columns."""
    arrays = [rows[column].to_numpy() for column in columns]
    if any(values.dtype.kind != "f" for values in arrays):
        return rows.dropna(subset=list(columns))
    present = np.ones(len(rows), dtype=bool)
    for values in arrays:
        present &= ~np.isnan(values)
    return rows.take(np.flatnonzero(present))


def sort_rows(rows: pd.DataFrame, column: str, *, ascending: bool = True, na_position: str = "last",
              kind: str = "quicksort") -> pd.DataFrame:
    """`rows.sort_values(column, ascending=..., na_position=..., kind=...)` for a numeric column."""
    values = rows[column].to_numpy()
    if values.dtype.kind not in "fiu":
        return rows.sort_values(column, ascending=ascending, na_position=na_position, kind=kind)
    return rows.take(sort_order(values, ascending=ascending, na_position=na_position, kind=kind))


def sort_order(values: np.ndarray, *, ascending: bool = True, na_position: str = "last",
               kind: str = "quicksort") -> np.ndarray:
    """The positions `sort_values` puts the rows in: pandas' own steps (`pandas.core.sorting.
    nargsort`), so that ties come out in the same order, whatever the sort `kind`."""
    missing = np.isnan(values) if values.dtype.kind == "f" else np.zeros(len(values), dtype=bool)
    positions = np.arange(len(values))
    present, present_positions = values[~missing], positions[~missing]
    if not ascending:
        present, present_positions = present[::-1], present_positions[::-1]
    order = present_positions[present.argsort(kind=kind)]
    if not ascending:
        order = order[::-1]
    absent = np.flatnonzero(missing)
    return np.concatenate([order, absent] if na_position == "last" else [absent, order])
