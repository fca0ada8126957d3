"""Chart cards: a figure with the exact published numbers behind it, their CSV, source and
definition. Built by the views, drawn by `ui.card`; nothing here imports streamlit.

A card's table holds exactly the plotted numbers: NaN is a secret cell, shown and exported as
"secret", never as 0 and never as a true value.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd
import plotly.graph_objects as go

from observatory import formatting as fmt
from observatory import reference
from observatory.charts import Caption
from observatory.filters import CODE_FILTERS, Filters
from observatory.snapshots import Snapshot
from observatory.tables import ProtectedTable

UNIT_HEADERS = {"eur": " (€)", "share": " (%)", "ratio": "", "count": "", "fte": "", "days": " (jours)",
                "hours": " (heures)"}
MAX_LISTED = 3


@dataclass(frozen=True)
class DataTable:
    """Label columns then value columns (float, NaN = secret), each value column with its unit."""

    frame: pd.DataFrame
    units: dict[str, str]

    def display(self) -> pd.DataFrame:
        """French strings for the on-screen table: `1 234,5 €`, `45,2 %`, `secret` (built once:
        a repeated view redraws the same card; the frame is shared, do not change it)."""
        return self._display

    def csv(self) -> bytes:
        """The same table for a spreadsheet: `;` separator, decimal comma, shares in percent,
        secret cells written `secret`, UTF-8 with a BOM so that Excel reads the accents."""
        return self._csv

    @cached_property
    def _display(self) -> pd.DataFrame:
        shown = self.frame.copy()
        for column, unit in self.units.items():
            shown[column] = [fmt.by_unit(None if pd.isna(v) else float(v), unit) for v in self.frame[column]]
        return shown.astype(str)

    @cached_property
    def _csv(self) -> bytes:
        out = self.frame.copy()
        renamed = {}
        for column, unit in self.units.items():
            values = out[column].astype(float) * (100 if unit == "share" else 1)
            out[column] = [("secret" if pd.isna(v) else _plain_number(v, unit)) for v in values]
            renamed[column] = column + UNIT_HEADERS.get(unit, "")
        return out.rename(columns=renamed).to_csv(sep=";", index=False).encode("utf-8-sig")


def _plain_number(value: float, unit: str) -> str:
    digits = {"count": 0, "eur": 2, "share": 2, "ratio": 3, "fte": 1, "days": 1, "hours": 1}.get(unit, 2)
    text = f"{value:.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


@dataclass(frozen=True)
class ChartCard:
    key: str
    caption: Caption
    figure: go.Figure
    data: DataTable
    file_stem: str
    definition: str
    select: str | None = None  # the dimension a click on a bar filters on (cross-filtering)
    alt: str = ""
    click_target: str | None = None  # what a click selects, when not a bar or a point ("une région")


@dataclass(frozen=True)
class Notice:
    """Stands in for a card whose figures cannot be published (or computed) for this view."""

    key: str
    title: str
    message: str


@dataclass(frozen=True)
class Tile:
    """A key figure: its French value, its change on the previous year, its definition."""

    code: str
    label: str
    value: str
    delta: str | None  # signed, French: `+2,3 % par rapport à 2024`
    help: str
    # The direction of the change as written, for the arrow: 1 up, -1 down, 0 none (no change
    # or none shown). Carried as a number: the delta's minus is U+2212, not the "-" Streamlit reads.
    trend: int = 0


@dataclass(frozen=True)
class PageContent:
    sentences: tuple[str, ...] = ()
    cards: tuple[ChartCard | Notice, ...] = ()
    tiles: tuple[Tile, ...] = field(default=())


def describe_filters(filters: Filters, years: tuple[int, int]) -> str:
    """The subtitle of a card: period and active filters, in French, bounded in length."""
    period = str(years[0]) if years[0] == years[1] else f"{years[0]}-{years[1]}"
    parts = [period]
    lists = reference.code_lists()
    # Lists first, named; then single values, by their label alone (« Femmes »).
    for declared in sorted(CODE_FILTERS, key=lambda f: not f.several):
        codes = filters.values_of(declared)
        if codes and declared.several:
            names = [lists[declared.code_list].label(c) for c in codes[:MAX_LISTED]]
            more = f" et {len(codes) - MAX_LISTED} autre(s)" if len(codes) > MAX_LISTED else ""
            parts.append(f"{declared.short} : {', '.join(names)}{more}")
        elif codes:
            parts.append(lists[declared.code_list].label(codes[0]))
    if len(parts) == 1:
        parts.append("toutes branches, toutes régions")
    return " · ".join(parts)


def file_stem(indicator: str, dims: tuple[str, ...], filters: Filters, years: tuple[int, int]) -> str:
    """`salaire_median_par_branche_region-84_2025`: indicator, breakdown, filters and period,
    ASCII only and bounded (codes come from validated filters)."""
    pieces = [indicator]
    if dims:
        pieces.append("par_" + "_".join(DIM_SLUGS.get(d, d) for d in dims))
    for declared in CODE_FILTERS:
        codes = filters.values_of(declared)
        if codes:
            pieces.append(f"{declared.url_key}-" + "-".join(codes))
    pieces.append(str(years[0]) if years[0] == years[1] else f"{years[0]}-{years[1]}")
    stem = re.sub(r"[^a-z0-9_-]+", "", "_".join(pieces).lower())
    return stem[:120]


DIM_SLUGS = {"branch": "branche", "region": "region", "occupation": "metier", "year": "annee",
             "sex": "sexe", "age_band": "age", "employer_size": "taille", "family": "famille"}


def source_line(snapshot: Snapshot) -> str:
    created = dt.datetime.fromisoformat(snapshot.manifest["created_at"]).date()
    origin = ("données de démonstration synthétiques" if snapshot.is_demo
              else f"données {snapshot.manifest.get('origin', 'importées')}")
    return (f"Source : Observatoire de la cohésion sociale, {origin} (publiées le {fmt.date_fr(created)}). "
            "Effectifs et sommes perturbés (secret statistique).")


def rows_of(table: ProtectedTable, dimension: str) -> pd.DataFrame:
    """code, label, value, status of a one-dimension table."""
    frame = table.frame
    codes = frame[dimension]
    # From the arrays, the codes converted only when not text already: a third of the cost.
    return pd.DataFrame({"code": (codes if pd.api.types.is_string_dtype(codes) else codes.astype(str)).array,
                         "label": frame[f"{dimension}_label"].array,
                         "value": frame["value"].to_numpy(dtype=float), "status": frame["status"].array},
                        index=frame.index)
