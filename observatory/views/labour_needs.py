"""Besoins en main-d'œuvre (France Travail): the real BMO figures for the sector's occupations.

These are official aggregates already protected by their producer (masked areas, `*`), read as
published rather than through the table builder (which protects microdata): a masked area is
never summed as 0, and a total with masked areas is shown as a minimum.
"""

from __future__ import annotations

import pandas as pd

from observatory import charts, reference
from observatory import formatting as fmt
from observatory.cards import ChartCard, DataTable, Notice, PageContent, describe_filters, file_stem
from observatory.charts import Caption
from observatory.filters import Filters
from observatory.snapshots import Snapshot
from observatory.tables import DIMENSION_LABELS, TableBuilder
from observatory.views.common import by_dimension, definition_of, extremes_title, guarded, sentences_from
from observatory.warehouse import Warehouse

DATASET = "bmo"
GROUPINGS = frozenset({"occupation", "region"})
DEFINITIONS = {
    "projets": "**Projets de recrutement** : embauches que les employeurs interrogés prévoient pour l'année "
               "(tous contrats, y compris saisonniers), enquête Besoins en main-d'œuvre de France Travail. "
               "Les cases que le producteur masque (« * ») sont exclues des sommes : un total qui en contient "
               "est un minimum, signalé dans le tableau.",
    "part_difficile": "**Part des projets jugés difficiles** : projets dont l'employeur anticipe qu'ils seront "
                      "difficiles, rapportés aux projets, sur les bassins d'emploi où les deux chiffres sont "
                      "publiés (plus de cases « difficiles » que de projets sont masquées : diviser les sommes "
                      "brutes biaiserait la part).",
    "part_saisonnier": "**Part des projets saisonniers** : projets liés à une activité saisonnière, rapportés aux "
                       "projets, sur les bassins où les deux chiffres sont publiés.",
}


def available(snapshot: Snapshot | None) -> bool:
    return snapshot is not None and DATASET in snapshot.manifest.get("datasets", {})


def source_of(snapshot: Snapshot) -> dict:
    return next(s for s in snapshot.manifest.get("sources", []) if s["name"] == DATASET)


def source_line(snapshot: Snapshot) -> str:
    source = source_of(snapshot)
    return (f"Source : {source['producer']}, {source['title']} (données officielles, téléchargées le "
            f"{source['downloaded_at'][:10]}). Cases masquées par le producteur exclues des sommes.")


def rows_by(warehouse: Warehouse, dimension: str, filters: Filters) -> pd.DataFrame:
    """code, label, projects (NaN when every area is masked), minimum (some are), and the two shares."""
    national = dimension == "occupation" and not filters.regions
    cells = warehouse.run_named("bmo_by", {"regions": list(filters.regions),
                                           "occupations": list(filters.occupation_codes()), "national": national},
                                {"dim": [dimension]}, GROUPINGS)
    labels = reference.code_lists()[dimension].labels
    projects = cells["projects"].astype(float)
    return pd.DataFrame({
        "code": cells["code"].astype(str), "label": cells["code"].map(labels).fillna(cells["code"]),
        "value": projects, "status": ["secret" if pd.isna(v) else "ok" for v in projects],
        "minimum": cells["projects_masked"].astype(int) > 0, "masked": cells["projects_masked"].astype(int),
        "difficult_share": _ratio(cells["difficult_known"], cells["projects_difficult_known"]),
        "seasonal_share": _ratio(cells["seasonal_known"], cells["projects_seasonal_known"]),
    })


def _ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    denominator = denominator.astype(float)
    return (numerator.astype(float) / denominator).where(denominator > 0)


def _precision(rows: pd.DataFrame) -> list[str]:
    return ["cases masquées" if pd.isna(v) else (f"minimum ({m} case(s) masquée(s))" if low else "exact")
            for v, low, m in zip(rows["value"], rows["minimum"], rows["masked"], strict=True)]


def _card(key: str, rows: pd.DataFrame, column: str, unit: str, label: str, dimension: str, title: str,
          snapshot: Snapshot, filters: Filters, select: str | None = None) -> ChartCard:
    year = int(source_of(snapshot)["year"])
    plotted = rows.assign(value=rows[column], status=["secret" if pd.isna(v) else "ok" for v in rows[column]])
    caption = Caption(title, f"{label} · {describe_filters(filters, (year, year))}", source_line(snapshot), wide=True)
    figure = charts.bar_chart(plotted, caption, unit=unit)
    table = {DIMENSION_LABELS[dimension]: rows["label"], label: rows[column]}
    if column == "value":
        table["Précision"] = _precision(rows)
    return ChartCard(key, caption, figure, DataTable(pd.DataFrame(table), {label: unit}),
                     file_stem(f"bmo_{key}", (dimension,), filters, (year, year)),
                     DEFINITIONS[key.split("_par_")[0]], select,
                     alt=f"Diagramme en barres : {label.lower()} par {DIMENSION_LABELS[dimension].lower()}.")


def content(builder: TableBuilder, filters: Filters) -> PageContent:
    snapshot = builder.warehouse.snapshot
    if not available(snapshot):
        return PageContent()
    by_occupation = rows_by(builder.warehouse, "occupation", filters)
    by_region = rows_by(builder.warehouse, "region", filters)
    top = extremes_title("{high} : {high_value} projets, le plus ; {low} : {low_value}", "{label} : {value} projets",
                         "Projets de recrutement par métier", "count")
    hardest = extremes_title("Recrutements jugés difficiles : de {low_value} ({low}) à {high_value} ({high})",
                             "{label} : {value} des projets jugés difficiles", "Projets jugés difficiles", "share")
    seasonal = extremes_title("Projets saisonniers : de {low_value} ({low}) à {high_value} ({high})",
                              "{label} : {value} de projets saisonniers", "Projets saisonniers", "share")
    regions = extremes_title("{high} : {high_value} projets, le plus ; {low} : {low_value}",
                             "{label} : {value} projets", "Projets de recrutement par région", "count")

    def share_rows(column: str) -> pd.DataFrame:
        return by_occupation.assign(value=by_occupation[column])

    cards = [
        _card("projets", by_occupation, "value", "count", "Projets de recrutement", "occupation",
              top(by_occupation), snapshot, filters),
        _card("part_difficile", by_occupation, "difficult_share", "share", "Part des projets jugés difficiles",
              "occupation", hardest(share_rows("difficult_share")), snapshot, filters),
        _card("part_saisonnier", by_occupation, "seasonal_share", "share", "Part des projets saisonniers",
              "occupation", seasonal(share_rows("seasonal_share")), snapshot, filters),
        _card("projets_par_region", by_region, "value", "count", "Projets de recrutement", "region",
              regions(by_region), snapshot, filters, select="region"),
    ]
    return PageContent(_sentences(builder, by_occupation, snapshot, filters), tuple(cards))


def _sentences(builder: TableBuilder, rows: pd.DataFrame, snapshot: Snapshot, filters: Filters) -> tuple[str, ...]:
    year = source_of(snapshot)["year"]
    labels = reference.code_lists()["region"].labels
    where = ("en France" if not filters.regions else f"en {labels[filters.regions[0]]}" if len(filters.regions) == 1
             else f"dans les {len(filters.regions)} régions choisies")
    known = rows.dropna(subset=["value"])

    def volume() -> str | None:
        if known.empty:
            return None
        bound = "au moins " if rows["minimum"].any() or len(known) < len(rows) else ""
        return (f"En {year}, les employeurs prévoient {bound}{fmt.number(known['value'].sum())} projets de "
                f"recrutement {where} dans les {len(rows)} métiers du secteur retenus.")

    def largest() -> str | None:
        if known.empty:
            return None
        first = known.sort_values("value").iloc[-1]
        share = "" if pd.isna(first["difficult_share"]) else \
            f", dont {fmt.percent(first['difficult_share'])} jugés difficiles"
        return f"{first['label']} : le plus de projets ({fmt.number(first['value'])}{share})."

    def hardest() -> str | None:
        shares = rows.dropna(subset=["difficult_share"])
        if shares.empty:
            return None
        worst = shares.sort_values("difficult_share").iloc[-1]
        share = fmt.percent(worst["difficult_share"])
        return f"Recrutements les plus difficiles : {worst['label']}, {share} des projets."
    return sentences_from(builder, volume, largest, hardest)


def comparison_card(builder: TableBuilder, filters: Filters) -> ChartCard | Notice:
    """Our difficulty share by occupation beside the BMO's for the same occupations (Recrutement page)."""
    def make() -> ChartCard:
        snapshot = builder.warehouse.snapshot
        ours = by_dimension(builder, "part_difficile", "occupation", filters)
        official = rows_by(builder.warehouse, "occupation", filters)[["code", "difficult_share"]]
        rows = ours.rename(columns={"value": "y"})[["code", "label", "y"]].merge(
            official.rename(columns={"difficult_share": "x"}), on="code", how="left")
        bmo_year = source_of(snapshot)["year"]
        x_label = f"Part jugée difficile, BMO {bmo_year}"
        y_label = f"Part jugée difficile, observatoire {filters.effective_year}"
        both = rows.dropna(subset=["x", "y"])
        gap = (both["y"] - both["x"]).abs().mean() * 100 if len(both) else None
        title = ("Recrutements jugés difficiles par métier : l'observatoire face à la BMO" if gap is None else
                 f"Recrutements jugés difficiles : {fmt.number(gap, 1)} points d'écart moyen avec la BMO {bmo_year}")
        caption = Caption(title, f"Un point par métier · {describe_filters(filters, (filters.effective_year,) * 2)}",
                      "Sources : observatoire (offres d'emploi) ; " + source_line(snapshot)[9:], wide=True)
        figure = charts.scatter_chart(both, caption, charts.Axis(x_label, "share"), charts.Axis(y_label, "share"))
        data = DataTable(pd.DataFrame({"Métier": rows["label"], x_label: rows["x"], y_label: rows["y"]}),
                         {x_label: "share", y_label: "share"})
        return ChartCard("bmo_comparaison", caption, figure, data,
                         file_stem("part_difficile_bmo", ("occupation",), filters, (filters.effective_year,) * 2),
                         definition_of("part_difficile") + "\n\n" + DEFINITIONS["part_difficile"], "occupation",
                         alt="Nuage de points : part des recrutements jugés difficiles par métier, "
                             "observatoire contre enquête BMO.")
    return guarded("bmo_comparaison", "L'observatoire face à la BMO", make)
