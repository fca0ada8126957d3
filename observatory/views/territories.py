"""Territoires: one indicator on the map of the 18 regions, the regions ranked against France,
and the selected region against France on the main indicators.

The map always shows every region (the region filter highlights, it does not hide), so that a
regional analyst sees where their region stands; the other filters apply.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache, partial
from pathlib import Path

import pandas as pd

from observatory import charts, indicators, maps, reference
from observatory import formatting as fmt
from observatory.cards import ChartCard, DataTable, Notice, PageContent, describe_filters, file_stem, source_line
from observatory.charts import Caption
from observatory.filters import Filters
from observatory.snapshots import Snapshot
from observatory.sources.base import SourceError
from observatory.tables import TableBuilder
from observatory.views.common import by_dimension, definition_of, guarded, published_total, sentences_from

DEFAULT_MEASURE = "salaire_median"
BOUNDARIES_FILE = "regions.geojson"
# The selected region against France: one indicator per question a CREFOP diagnosis asks.
# Rates and levels only: a region's headcount against France's says its size, not its situation.
PROFILE_MEASURES = ("part_femmes", "part_55_plus", "temps_partiel", "salaire_median", "part_proche_smic",
                    "taux_vacance", "part_difficile", "delai_median", "taux_acces")


def map_measures() -> dict[str, str]:
    """Every indicator the table builder can break down by region."""
    return {code: m.label for code, m in indicators.MEASURES.items() if "region" in m.allowed_dimensions()}


@cache
def _boundaries_of(path: str) -> dict | None:
    return maps.load_boundaries(Path(path))


def boundaries(snapshot: Snapshot) -> dict | None:
    """The region outlines of the snapshot (sources pull), or None: the tile grid is drawn instead."""
    path = snapshot.path / BOUNDARIES_FILE
    if not path.is_file():
        return None
    try:
        return _boundaries_of(str(path))
    except SourceError:
        return None


def gap_text(value: float | None, reference_value: float | None, unit: str) -> str:
    """A region's gap to France in words-ready form: points for shares, percent otherwise."""
    if value is None or reference_value is None or pd.isna(value) or pd.isna(reference_value):
        return "secret"
    if unit == "share":
        points = (value - reference_value) * 100
        return f"{points:+.1f} pt".replace(".", ",").replace("-", "−")
    if reference_value == 0:
        return "—"
    change = value / reference_value - 1
    return ("+" if change >= 0 else "−") + fmt.percent(abs(change))


def _france(filters: Filters) -> Filters:
    return replace(filters, regions=())


def map_card(builder: TableBuilder, measure_code: str, filters: Filters) -> ChartCard:
    measure = indicators.MEASURES[measure_code]
    everywhere = _france(filters)
    rows = by_dimension(builder, measure_code, "region", everywhere)
    france = builder.total(measure_code, everywhere)
    year = filters.effective_year
    published = rows.dropna(subset=["value"]).sort_values("value")
    title = (f"{measure.label} : de {fmt.by_unit(published.iloc[0]['value'], measure.unit)} "
             f"({published.iloc[0]['label']}) à {fmt.by_unit(published.iloc[-1]['value'], measure.unit)} "
             f"({published.iloc[-1]['label']})" if len(published) >= 2 else measure.label)
    caption = Caption(title, f"{measure.label} par région · {describe_filters(everywhere, (year, year))}",
                  source_line(builder.warehouse.snapshot), wide=True)
    figure = maps.region_map(rows, caption, unit=measure.unit, boundaries=boundaries(builder.warehouse.snapshot),
                             selected=filters.regions)
    ranked = rows.sort_values("value", ascending=False, na_position="last").reset_index(drop=True)
    rank = [str(i + 1) if pd.notna(v) else "" for i, v in enumerate(ranked["value"])]
    data = DataTable(pd.DataFrame({
        "Rang": rank, "Région": ranked["label"], measure.label: ranked["value"],
        "Écart à la France": [gap_text(v, france, measure.unit) for v in ranked["value"]],
    }), {measure.label: measure.unit})
    return ChartCard("carte", caption, figure, data, file_stem(measure_code, ("region",), everywhere, (year, year)),
                     definition_of(measure_code) + f"\n\n**France entière** : {fmt.by_unit(france, measure.unit)}.",
                     select="region", click_target="une région",
                     alt=f"Carte des régions : {measure.label} ; le tableau classe les régions et donne leur "
                         "écart à la France.")


def region_profile_card(builder: TableBuilder, region: str, filters: Filters) -> ChartCard:
    """The selected region against France, one bar per indicator: the relative gap in percent (the
    table adds both values and, for shares, the gap in points)."""
    label = reference.code_lists()["region"].label(region)
    here, everywhere = replace(filters, regions=(region,)), _france(filters)
    lines = []
    for code in PROFILE_MEASURES:
        measure = indicators.MEASURES[code]
        value, france = published_total(builder, code, here), published_total(builder, code, everywhere)
        gap = None if value is None or not france else value / france - 1  # relative, shares included
        lines.append({"code": code, "label": measure.label, "region": value, "france": france, "gap": gap,
                      "unit": measure.unit})
    table = pd.DataFrame(lines)
    rows = pd.DataFrame({"code": table["code"], "label": table["label"], "value": table["gap"],
                         "status": ["secret" if pd.isna(g) else "ok" for g in table["gap"]]})
    year = filters.effective_year
    widest = table.dropna(subset=["gap"])
    widest = widest.loc[widest["gap"].abs().idxmax()] if len(widest) else None
    title = (f"{label} face à la France : l'écart le plus marqué porte sur "
             f"{widest['label'][0].lower() + widest['label'][1:]} ({_gap_words(widest)})" if widest is not None
             else f"{label} face à la France")
    subtitle = f"Écart relatif à la France (en %) · {describe_filters(here, (year, year))}"
    caption = Caption(title, subtitle, source_line(builder.warehouse.snapshot), wide=True)
    figure = charts.bar_chart(rows, caption, unit="share", sort=False)
    data = DataTable(pd.DataFrame({
        "Indicateur": table["label"],
        label: [fmt.by_unit(v, u) for v, u in zip(table["region"], table["unit"], strict=True)],
        "France": [fmt.by_unit(v, u) for v, u in zip(table["france"], table["unit"], strict=True)],
        "Écart": [gap_text(v, f, u) for v, f, u in zip(table["region"], table["france"], table["unit"], strict=True)],
    }), {})
    return ChartCard("region_france", caption, figure, data,
                     file_stem("region_face_france", (), here, (year, year)),
                     definition_of(*PROFILE_MEASURES),
                     alt=f"Barres : écart de {label} à la France sur {len(PROFILE_MEASURES)} indicateurs.")


def _gap_words(line: pd.Series) -> str:
    gap = line["gap"]
    return ("+" if gap >= 0 else "−") + fmt.percent(abs(gap))


def content(builder: TableBuilder, filters: Filters, measure_code: str = DEFAULT_MEASURE) -> PageContent:
    measure = indicators.MEASURES[measure_code]
    region = filters.regions[0] if filters.regions else None
    # The map, the totals of the region's profile and the findings side by side (builder.gather;
    # bench/README.md); the profile card then reads its eighteen totals from the builder's cache.
    totals = [partial(published_total, builder, code, where) for code in PROFILE_MEASURES
              for where in (replace(filters, regions=(region,)), _france(filters))] if region else []
    the_map = partial(guarded, "carte", measure.label, partial(map_card, builder, measure_code, filters))
    pieces = builder.gather([the_map, *totals, partial(_sentences, builder, measure_code, filters)])
    cards: list[ChartCard | Notice] = [pieces[0]]
    if region:
        cards.append(guarded("region_france", "La région face à la France",
                             lambda: region_profile_card(builder, region, filters)))
    return PageContent(pieces[-1], tuple(cards))


def _sentences(builder: TableBuilder, measure_code: str, filters: Filters) -> tuple[str, ...]:
    measure = indicators.MEASURES[measure_code]
    everywhere = _france(filters)
    labels = reference.code_lists()["region"].labels

    def rows() -> pd.DataFrame:
        return by_dimension(builder, measure_code, "region", everywhere).dropna(subset=["value"])

    def spread() -> str | None:
        published = rows().sort_values("value")
        france = builder.total(measure_code, everywhere)
        if len(published) < 2 or france is None:
            return None
        low, high = published.iloc[0], published.iloc[-1]
        return (f"{measure.label} en {filters.effective_year} : {fmt.by_unit(france, measure.unit)} en France, "
                f"de {fmt.by_unit(low['value'], measure.unit)} ({low['label']}) à "
                f"{fmt.by_unit(high['value'], measure.unit)} ({high['label']}).")

    def selected() -> str | None:
        if not filters.regions:
            return None
        published = rows().sort_values("value", ascending=False).reset_index(drop=True)
        region = filters.regions[0]
        found = published.index[published["code"] == region]
        if not len(found):
            return f"{labels[region]} : chiffre couvert par le secret statistique pour cet indicateur."
        rank = int(found[0]) + 1
        value = published.loc[found[0], "value"]
        return (f"{labels[region]} : {fmt.by_unit(value, measure.unit)}, {rank}e région sur {len(published)} "
                f"(écart à la France : {gap_text(value, builder.total(measure_code, everywhere), measure.unit)}).")

    def drom() -> str | None:
        published = rows()
        overseas = published[published["code"].isin(reference.regions().query("drom")["code"])]
        france = builder.total(measure_code, everywhere)
        if overseas.empty or france is None:
            return None
        above = int((overseas["value"] > france).sum())
        return (f"Outre-mer : {above} des {len(overseas)} régions d'outre-mer publiées sont au-dessus de la valeur "
                f"nationale.")
    return sentences_from(builder, spread, selected, drom)
