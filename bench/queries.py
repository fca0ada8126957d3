"""Table builder speed per measure and per page query set, beside a naive pandas baseline.

    python bench/queries.py --scale 1 [--seed N] [--repeat R] [--data-dir DIR]

Cold = a fresh TableBuilder (empty in-process cache) per run: every query hits DuckDB.
Repeated = the same request again on a warm builder (what a rerun of an unchanged view costs).
The pandas baseline computes the same indicator, unprotected, with groupby on frames loaded
once from the snapshot's Parquet files (load time printed apart).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import arguments, p50, p95, peak_rss_mb, print_table, save, snapshot_at, timings
from observatory import reference, snapshots
from observatory.filters import Filters
from observatory.indicators import MEASURES
from observatory.tables import TableBuilder
from observatory.warehouse import open_shared

YEAR = 2024
REGION = "84"
# (label, dims, filters): one year by branch, one region by occupation, the 10-year trend.
CASES: tuple[tuple[str, tuple[str, ...], Filters], ...] = (
    ("année x branche", ("branch",), Filters(year=YEAR)),
    ("région x métier", ("occupation",), Filters(year=YEAR, regions=(REGION,))),
    ("tendance 10 ans", ("year",), Filters()),
)
PAGES: dict[str, list[tuple[str, tuple[str, ...], str]]] = {
    "Vue d'ensemble": [("employees", (), "effectif"), ("employees", (), "etp"), ("employees", (), "salaire_median"),
                       ("vacancies", (), "postes_non_pourvus"), ("training", (), "stagiaires"),
                       ("training", (), "taux_acces"), ("employees", ("year",), "effectif")],
    "Salaires": [("employees", ("branch",), m) for m in ("salaire_median", "salaire_d1", "salaire_d9", "ratio_smic",
                                                         "part_proche_smic", "ecart_salarial_fh")]
    + [("employees", ("year",), "salaire_median")],
    "Recrutement et formation": [("vacancies", ("branch",), m) for m in ("postes_ouverts", "postes_non_pourvus",
                                                                         "taux_vacance", "delai_median",
                                                                         "part_difficile")]
    + [("training", ("year",), "stagiaires"), ("training", ("employer_size",), "taux_acces")],
}


def load_frames(snapshot: snapshots.Snapshot) -> dict[str, pd.DataFrame]:
    return {name: pd.read_parquet(snapshot.file(name)) for name in snapshots.DATASETS}


def _select(frame: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    years = (2016, 2025) if filters.year is None else (filters.year, filters.year)
    mask = frame["year"].between(*years)
    if filters.regions:
        mask &= frame["region"].isin(filters.regions)
    return frame[mask]


def pandas_baseline(frames: dict[str, pd.DataFrame], code: str, dims: tuple[str, ...], filters: Filters) -> object:
    """The naive, unprotected pandas computation of one measure (what a notebook would do)."""
    keys = list(dims)
    emp = _select(frames["employees"], filters)
    if MEASURES[code].dataset == "employees":
        if code in ("salaire_median", "salaire_d1", "salaire_q1", "salaire_q3", "salaire_d9", "salaire_moyen",
                    "ratio_smic", "part_proche_smic", "ecart_salarial_fh"):
            paid = emp[~emp["contract"].isin(["apprentissage", "contrat_pro"])]
            pay = paid.groupby(keys, observed=True)["gross_monthly_fte"]
            smic = paid["year"].map(reference.smic_annual())
            return {"salaire_median": pay.median, "salaire_moyen": pay.mean,
                    "salaire_d1": lambda: pay.quantile(0.1), "salaire_q1": lambda: pay.quantile(0.25),
                    "salaire_q3": lambda: pay.quantile(0.75), "salaire_d9": lambda: pay.quantile(0.9),
                    "ratio_smic": lambda: pay.median() / smic.groupby([paid[k] for k in keys], observed=True).mean(),
                    "part_proche_smic": lambda: (paid["gross_monthly_fte"] < 1.1 * smic)
                    .groupby([paid[k] for k in keys], observed=True).mean(),
                    "ecart_salarial_fh": lambda: paid.groupby([*keys, "sex"], observed=True)["gross_monthly_fte"]
                    .mean()}[code]()
        flags = {"part_femmes": emp["sex"] == "F", "temps_partiel": emp["fte"] < 1, "part_55_plus": emp["age"] >= 55,
                 "departs_5ans": emp["age"] >= 57, "departs_10ans": emp["age"] >= 52, "entrees": emp["hired"],
                 "sorties": emp["left"],
                 "turnover": (emp["hired"].astype(int) + emp["left"].astype(int)) / 2, "etp": emp["fte"]}
        groups = [emp[k] for k in keys]
        if code == "effectif":
            return emp.groupby(keys, observed=True).size()
        summed = ("departs_5ans", "departs_10ans", "entrees", "sorties", "etp")
        return flags[code].groupby(groups, observed=True).agg("sum" if code in summed else "mean")
    if MEASURES[code].dataset == "vacancies":
        vac = _select(frames["vacancies"], filters)
        filled = pd.to_datetime(vac["filled_on"])
        unfilled = ~vac["withdrawn_unfilled"] & (filled.isna() | (filled.dt.year > vac["year"]))
        groups = [vac[k] for k in keys]
        if code == "delai_median":
            days = (filled - pd.to_datetime(vac["posted_on"])).dt.days
            return days[filled.notna()].groupby([g[filled.notna()] for g in groups], observed=True).median()
        if code == "taux_vacance":
            gaps = unfilled.groupby(groups, observed=True).sum()
            return gaps / (emp.groupby(keys, observed=True).size() + gaps)
        series = {"postes_ouverts": vac["year"], "postes_non_pourvus": unfilled, "part_difficile": vac["difficult"],
                  "part_retiree": vac["withdrawn_unfilled"]}[code]
        return series.groupby(groups, observed=True).agg("size" if code == "postes_ouverts" else
                                                         ("sum" if code == "postes_non_pourvus" else "mean"))
    tra = _select(frames["training"], filters)
    trainees = tra.groupby(keys, observed=True)["person_id"].nunique()
    if code == "taux_acces":
        return trainees / emp.groupby(keys, observed=True).size()
    if code == "entrees_alternance":
        return tra[tra["scheme"].isin(["apprentissage", "contrat_pro", "pro_a"])].groupby(
            keys, observed=True)["person_id"].nunique()
    sums = tra.groupby(keys, observed=True)[["hours", "cost_eur"]].sum()
    return {"stagiaires": lambda: trainees, "heures": lambda: sums["hours"], "cout": lambda: sums["cost_eur"],
            "heures_par_stagiaire": lambda: sums["hours"] / trainees,
            "cout_par_stagiaire": lambda: sums["cost_eur"] / trainees,
            "cout_horaire": lambda: sums["cost_eur"] / sums["hours"]}[code]()


def bench_measures(snapshot: snapshots.Snapshot, frames: dict[str, pd.DataFrame], repeat: int) -> list[dict]:
    warehouse = open_shared(snapshot)
    rows = []
    for code, measure in MEASURES.items():
        for label, dims, filters in CASES:
            if any(d not in measure.allowed_dimensions() for d in dims):
                continue

            dataset = measure.dataset

            def cold(dims: tuple[str, ...] = dims, filters: Filters = filters, code: str = code,
                     dataset: str = dataset) -> object:
                return TableBuilder(warehouse).build(dataset, dims, code, filters)

            warm = TableBuilder(warehouse)
            warm.build(dataset, dims, code, filters)
            cold_ms = timings(cold, repeat)
            repeated_ms = timings(lambda w=warm, s=dataset, d=dims, f=filters, c=code: w.build(s, d, c, f), repeat)
            pandas_ms = timings(lambda d=dims, f=filters, c=code: pandas_baseline(frames, c, d, f), max(1, repeat // 2))
            rows.append({"measure": code, "case": label, "cold_p50": p50(cold_ms), "cold_p95": p95(cold_ms),
                         "repeated_p50": p50(repeated_ms), "repeated_p95": p95(repeated_ms),
                         "pandas_p50": p50(pandas_ms), "ratio": p50(pandas_ms) / p50(cold_ms)})
    return rows


def bench_pages(snapshot: snapshots.Snapshot, repeat: int) -> list[dict]:
    warehouse = open_shared(snapshot)
    rows = []
    for page, requests in PAGES.items():
        def run_set(builder: TableBuilder | None = None, requests: list = requests) -> None:
            builder = builder or TableBuilder(warehouse)
            for dataset, dims, code in requests:
                builder.build(dataset, dims, code, Filters(year=YEAR))

        warm = TableBuilder(warehouse)
        run_set(warm)
        cold_ms = timings(run_set, repeat)
        repeated_ms = timings(lambda w=warm, r=run_set: r(w), repeat)
        rows.append({"page": page, "queries": len(requests), "cold_p50": p50(cold_ms), "cold_p95": p95(cold_ms),
                     "repeated_p50": p50(repeated_ms), "repeated_p95": p95(repeated_ms)})
    return rows


def main(argv: list[str] | None = None) -> int:
    args = arguments(__doc__, argv)
    with tempfile.TemporaryDirectory() as temporary:
        data_dir = args.data_dir or Path(temporary)
        snapshot, build_times = snapshot_at(args.scale, args.seed, data_dir)
        for name, seconds in build_times.items():
            print(f"{name}: {seconds:.1f} s")
        started = time.perf_counter()
        frames = load_frames(snapshot)
        load_s = time.perf_counter() - started
        print(f"pandas: chargement des Parquet {load_s:.1f} s (hors mesures ci-dessous)\n")
        measures = bench_measures(snapshot, frames, args.repeat)
        print_table(measures, ["measure", "case", "cold_p50", "cold_p95", "repeated_p50", "repeated_p95", "pandas_p50",
                          "ratio"])
        print()
        pages = bench_pages(snapshot, args.repeat)
        print_table(pages, ["page", "queries", "cold_p50", "cold_p95", "repeated_p50", "repeated_p95"])
        rss = peak_rss_mb()
        print(f"\nRSS maximal du processus : {rss:.0f} Mo")
        path = save(f"queries-{args.scale:g}.json", {
            "scale": args.scale, "seed": args.seed, "repeat": args.repeat, **build_times, "pandas_load_s": load_s,
            "measures": measures, "pages": pages, "peak_rss_mb": rss})
        print(f"Résultats : {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
