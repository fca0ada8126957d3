"""Server-side rerun time of each page along a user's journey of filter changes.

    python bench/pages.py --scale 1 [--seed N] [--repeat R] [--data-dir DIR] [--warm | --unloaded]

Each page is driven by Streamlit's AppTest (the script as the server runs it, the time to
build and serialise every element included; the browser's drawing is not). A journey of filter
changes is played once ("après changement": the first time each view is asked, the query
cache holding only what earlier steps computed), then replayed `repeat` times ("vue répétée").
By default the database's tables are first read into memory with the sorted values and the
noise table, as the app's start does (TableBuilder.load), and every view is cold: computed for
the first time. With --warm, the app's whole background warm-up runs first (the load, then the
prepared views), as on a server that has been up a while; with --unloaded, nothing is read
ahead (a server's first seconds: each query's first read of a table's blocks costs it more).
The naive pandas baseline of each measure, measured in the same process, is in
bench/queries.py (pages are built from those measures). Last, selections of several values
(composed from each value's cells, docs/methodologie-secret.md § 1): views never asked before, a branch and a
region against two branches and two regions, on two years ("une valeur" / "plusieurs").
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import arguments, p50, p95, peak_rss_mb, print_table, save, snapshot_at  # noqa: E402

# Page name -> (script, key of its content function in views.CONTENTS, None: the page has its own
# choices and is timed through AppTest only). BENCH_PAGES="Territoires,Comparer" restricts the run.
PAGES = {"Vue d'ensemble": ("app_pages/vue_ensemble.py", "vue_ensemble"),
         "Salaires": ("app_pages/salaires.py", "salaires"),
         "Recrutement": ("app_pages/recrutement.py", "recrutement"),
         "Formation": ("app_pages/formation.py", "formation"),
         "Territoires": ("app_pages/territoires.py", None),
         "Portrait de branche": ("app_pages/portrait.py", "portrait"),
         "Comparer": ("app_pages/comparer.py", None)}
# What a regional analyst does: year, a branch, a region, then person filters, then back.
JOURNEY: tuple[dict[str, list[str]], ...] = (
    {},
    {"annee": ["2023"]},
    {"annee": ["2023"], "branche": ["aide_domicile"]},
    {"annee": ["2023"], "branche": ["aide_domicile"], "region": ["84"]},
    {"annee": ["2023"], "region": ["84"]},
    {"region": ["84"], "sexe": ["F"]},
    {"sexe": ["F"]},
    {"famille": ["social_educatif"]},
    {"famille": ["social_educatif"], "age": ["55_plus"]},
    {"taille": ["1-9", "10-49"]},
    {"branche": ["eclat", "alisfa"]},
    {"branche": ["eclat", "alisfa"], "annee": ["2019"]},
    {"region": ["11"]},
    {"region": ["11"], "branche": ["missions_locales"]},
    {},
)
# One branch and one region, then two of each, twice: views the journey never asked for.
SEVERAL: tuple[tuple[dict[str, list[str]], dict[str, list[str]]], ...] = (
    ({"annee": ["2024"], "branche": ["aide_domicile"], "region": ["84"]},
     {"annee": ["2024"], "branche": ["aide_domicile", "eclat"], "region": ["84", "11"]}),
    ({"annee": ["2022"], "branche": ["alisfa"], "region": ["32"]},
     {"annee": ["2022"], "branche": ["alisfa", "esh"], "region": ["32", "44"]}),
)


def _landing(page: str):
    """Open `page` with no filter (the journey's first view); returns the app and that run's ms."""
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=600)
    if page != PAGES["Vue d'ensemble"][0]:
        app.run()  # AppTest learns the pages from a first run (on the default page)
        app.switch_page(page)
    started = time.perf_counter()
    app.run()
    return app, (time.perf_counter() - started) * 1000


def _visit(app, query: dict[str, list[str]]) -> float:
    for key in list(app.query_params):
        del app.query_params[key]
    for key, values in query.items():
        app.query_params[key] = values
    started = time.perf_counter()
    app.run()
    elapsed = (time.perf_counter() - started) * 1000
    if app.exception:
        raise RuntimeError(app.exception[0].value)
    return elapsed


def bench_page(name: str, page: str, repeat: int) -> dict[str, object]:
    app, landing = _landing(page)
    # The landing (first view, budget of its own) is reported apart from the filter changes.
    changed = [_visit(app, query) for query in JOURNEY[1:]]
    repeated = [_visit(app, query) for _ in range(repeat) for query in JOURNEY]
    single, several = zip(*((_visit(app, one), _visit(app, two)) for one, two in SEVERAL), strict=True)
    return {"page": name, "views": len(JOURNEY), "landing": landing,
            "one_value_ms": [round(v) for v in single], "several_ms": [round(v) for v in several],
            "change_p50": p50(changed), "change_p95": p95(changed), "change_max": max(changed),
            "repeated_p50": p50(repeated), "repeated_p95": p95(repeated),
            "per_view_ms": [round(landing)] + [round(v) for v in changed]}


def bench_content(name: str, repeat: int) -> dict[str, object]:
    """The same journey through the page's content function alone (no Streamlit)."""
    from observatory import snapshots, views
    from observatory.filters import from_query
    from observatory.tables import TableBuilder
    from observatory.warehouse import open_shared

    build = views.CONTENTS[PAGES[name][1]]
    warehouse = open_shared(snapshots.active())
    builder = TableBuilder(warehouse)
    changed, repeated = [], []
    build(builder, from_query(JOURNEY[0]))  # the landing, as above
    for query in JOURNEY[1:]:
        started = time.perf_counter()
        build(builder, from_query(query))
        changed.append((time.perf_counter() - started) * 1000)
    for _ in range(repeat):
        for query in JOURNEY:
            started = time.perf_counter()
            build(builder, from_query(query))
            repeated.append((time.perf_counter() - started) * 1000)
    return {"page": name, "change_p50": p50(changed), "change_p95": p95(changed),
            "repeated_p50": p50(repeated), "repeated_p95": p95(repeated)}


def main(argv: list[str] | None = None) -> int:
    args = arguments(__doc__, argv, switches=("--warm", "--unloaded"))
    warm, unloaded = args.warm, args.unloaded and not args.warm
    with tempfile.TemporaryDirectory() as temporary:
        data_dir = (args.data_dir or Path(temporary)).resolve()
        snapshot_at(args.scale, args.seed, data_dir)
        os.environ["OBSERVATORY_DATA_DIR"] = str(data_dir)
        os.environ["OBSERVATORY_WARM"] = "0"
        from observatory import runtime, snapshots

        builder = runtime.BUILDERS.builder(snapshots.active())
        started = time.perf_counter()
        if warm:
            runtime.warm_up(builder)
            print(f"préchauffage : {time.perf_counter() - started:.1f} s")
        elif not unloaded:
            builder.load()
            print(f"chargement (tables, valeurs triées, bruit) : {time.perf_counter() - started:.1f} s")
        mode = "préchauffé" if warm else "à froid, base non chargée" if unloaded else "à froid, base chargée"
        print(f"Pages via AppTest, parcours de {len(JOURNEY)} vues ({mode}) :")
        chosen = [name for name in PAGES if not os.environ.get("BENCH_PAGES")
                  or name in os.environ["BENCH_PAGES"].split(",")]
        pages = [bench_page(name, PAGES[name][0], args.repeat) for name in chosen]
        print_table(pages, ["page", "landing", "change_p50", "change_p95", "change_max", "repeated_p50",
                            "repeated_p95"])
        for row in pages:
            print(f"  {row['page']} : {row['per_view_ms']} ; une valeur {row['one_value_ms']}, "
                  f"plusieurs {row['several_ms']}")
        print("\nContenu des pages seul (fonctions de page, sans Streamlit, constructeur neuf) :")
        contents = [bench_content(name, args.repeat) for name in chosen if PAGES[name][1]]
        print_table(contents, ["page", "change_p50", "change_p95", "repeated_p50", "repeated_p95"])
        rss = peak_rss_mb()
        print(f"\nRSS maximal du processus : {rss:.0f} Mo")
        suffix = "-warm" if warm else "-unloaded" if unloaded else ""
        path = save(f"pages-{args.scale:g}{suffix}.json", {
            "scale": args.scale, "seed": args.seed, "repeat": args.repeat, "warm": warm, "unloaded": unloaded,
            "journey": JOURNEY,
            "apptest": pages, "content": contents, "peak_rss_mb": rss})
        print(f"Résultats : {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
