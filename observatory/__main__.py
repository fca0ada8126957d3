"""Command line: `python -m observatory demo|snapshots|table|ptable ...` (French messages)."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence

from observatory import secrecy, snapshots
from observatory.filters import Filters, from_query

EXIT_USAGE = 2


def _progress_bar(stage: str, share: float) -> None:
    width = 30
    filled = int(width * min(max(share, 0.0), 1.0))
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {share * 100:5.1f} % {stage:<24}")
    if share >= 1.0:
        sys.stderr.write("\n")
    sys.stderr.flush()


def command_demo(args: argparse.Namespace) -> int:
    from observatory import demo, publishing

    if args.if_missing and snapshots.active() is not None:
        print(f"Snapshot actif : {snapshots.active().id} (rien à faire).")  # type: ignore[union-attr]
        return 0
    started = time.perf_counter()
    data = demo.generate(scale=args.scale, seed=args.seed, progress=_progress_bar)
    _progress_bar("Écriture du snapshot", 0.92)
    snapshot = publishing.publish_tables(
        {"employees": data.employees, "vacancies": data.vacancies, "training": data.training},
        origin="demo", carry_over=True,
        extra={"demo": {"scale": args.scale, "seed": args.seed}},
    )
    _progress_bar("Terminé", 1.0)
    rows = {k: v["rows"] for k, v in snapshot.manifest["datasets"].items() if k in snapshots.DATASETS}
    print(f"Snapshot de démonstration publié : {snapshot.id} en {time.perf_counter() - started:.1f} s "
          f"({', '.join(f'{k} {v:,}'.replace(',', ' ') for k, v in rows.items())} lignes).")
    return 0


def command_snapshots(args: argparse.Namespace) -> int:
    if args.action == "list":
        current = snapshots.active()
        found = snapshots.list_snapshots()
        if not found:
            print("Aucun snapshot. Lancez : python -m observatory demo")
        for snap in found:
            mark = "*" if current and snap.id == current.id else " "
            rows = sum(d["rows"] or 0 for d in snap.manifest["datasets"].values())
            print(f"{mark} {snap.id}  origine={snap.manifest['origin']}  créé={snap.manifest['created_at']}  "
                  f"lignes={rows}")
        return 0
    try:
        snap = snapshots.rollback() if args.action == "rollback" else snapshots.activate(args.id)
    except snapshots.SnapshotError as error:
        print(f"Erreur : {error}", file=sys.stderr)
        return 1
    print(f"Snapshot actif : {snap.id}")
    return 0


MAX_PROBLEMS_SHOWN = 50


def command_sources(args: argparse.Namespace) -> int:
    from pathlib import Path

    from observatory.sources import CONNECTORS, SourceError, pull

    if args.action == "list":
        for connector in CONNECTORS.values():
            print(f"{connector.name:6} {connector.producer} — {connector.title} ({connector.licence})\n"
                  f"       {connector.url}")
        return 0
    unknown = [name for name in args.only or [] if name not in CONNECTORS]
    if unknown:
        print(f"Erreur : source(s) inconnue(s) : {', '.join(unknown)} (connues : {', '.join(CONNECTORS)})",
              file=sys.stderr)
        return EXIT_USAGE
    if snapshots.active() is None:
        print("Erreur : aucun snapshot actif. Lancez d'abord : python -m observatory demo", file=sys.stderr)
        return 1
    try:
        snapshot = pull.pull(args.only or (), Path(args.mirror) if args.mirror else None, report=print)
    except SourceError as error:
        print(f"Erreur : {error} ; rien n'a été publié.", file=sys.stderr)
        return 1
    print(f"Snapshot publié : {snapshot.id}")
    return 0


def command_ingest(args: argparse.Namespace) -> int:
    from pathlib import Path

    from observatory.ingest import importer

    started = time.perf_counter()
    try:
        checked = importer.check(args.dataset, [Path(name) for name in args.files])
    except importer.IngestError as error:
        for problem in error.problems[:MAX_PROBLEMS_SHOWN]:
            print(f"Erreur : {problem}", file=sys.stderr)
        hidden = importer.total(error.problems[MAX_PROBLEMS_SHOWN:])
        if hidden:
            print(f"… et {hidden} autre(s) problème(s).", file=sys.stderr)
        print(f"Import refusé : {importer.total(error.problems)} problème(s) ; rien n'a été publié, "
              "le snapshot actif est inchangé.", file=sys.stderr)
        return 1
    try:
        snapshot = importer.publish(checked)
    except snapshots.SnapshotError as error:
        print(f"Erreur : {error} ; rien n'a été publié.", file=sys.stderr)
        return 1
    print(f"{len(checked.frame):,} lignes de {args.dataset} importées ; snapshot publié : {snapshot.id} "
          f"en {time.perf_counter() - started:.1f} s.".replace(",", " "))
    return 0


def command_table(args: argparse.Namespace) -> int:
    from observatory.tables import TableBuilder, TableRequestError
    from observatory.warehouse import QueryError, open_shared

    query: dict[str, list[str]] = {}
    if args.year is not None:
        query["annee"] = [args.year]
    for key, values in (("branche", args.branch), ("region", args.region), ("metier", args.occupation),
                        ("famille", args.family), ("age", args.age_band), ("taille", args.employer_size)):
        if values:
            query[key] = values
    if args.sex:
        query["sexe"] = [args.sex]
    filters: Filters = from_query(query)
    if filters.notices:
        for notice in filters.notices:
            print(f"Erreur : {notice}", file=sys.stderr)
        return EXIT_USAGE
    snapshot = snapshots.active()
    if snapshot is None:
        print("Erreur : aucun snapshot actif. Lancez : python -m observatory demo", file=sys.stderr)
        return 1
    dims = tuple(d for d in (args.by or "").split(",") if d)
    warehouse = open_shared(snapshot)
    try:
        table = TableBuilder(warehouse).build(args.dataset, dims, args.measure, filters)
    except TableRequestError as error:
        print(f"Erreur : {error}", file=sys.stderr)
        return EXIT_USAGE
    except secrecy.PopulationTooSmall as error:
        print(f"Secret statistique : {error.message}", file=sys.stderr)
        return 3
    except QueryError as error:
        print(f"Erreur de requête : {error}", file=sys.stderr)
        return 1
    # The warehouse is the process-wide one (shared with any caller in the same process): not closed here.
    frame = table.published()
    for note in table.notes:
        print(f"Note : {note}", file=sys.stderr)
    if args.format == "json":
        records = json.loads(frame.to_json(orient="records", force_ascii=False))
        print(json.dumps({"measure": table.measure.code, "label": table.measure.label,
                          "unit": table.measure.unit, "snapshot": table.snapshot_id,
                          "years": list(table.years), "rows": records}, ensure_ascii=False, indent=1))
    else:
        sys.stdout.write(frame.to_csv(index=False))
    return 0


def command_ptable(args: argparse.Namespace) -> int:
    secrecy.write_perturbation_table()
    secrecy.write_magnitude_table()
    print(f"Tables de bruit écrites : {secrecy.PTABLE_FILE} (effectifs), {secrecy.MTABLE_FILE} (sommes)")
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="python -m observatory",
                                   description="Observatoire de la cohésion sociale")
    commands = root.add_subparsers(dest="command", required=True)

    demo = commands.add_parser("demo", help="générer et publier le snapshot de démonstration")
    demo.add_argument("--scale", type=float, default=1.0, help="1 = environ un million de salariés")
    demo.add_argument("--seed", type=int, default=20240601)
    demo.add_argument("--if-missing", action="store_true", help="ne rien faire si un snapshot est actif")
    demo.set_defaults(run=command_demo)

    snaps = commands.add_parser("snapshots", help="lister ou activer les snapshots")
    actions = snaps.add_subparsers(dest="action", required=True)
    actions.add_parser("list")
    activate = actions.add_parser("activate")
    activate.add_argument("id")
    actions.add_parser("rollback", help="revenir au snapshot actif avant le dernier publié")
    snaps.set_defaults(run=command_snapshots)

    sources = commands.add_parser("sources", help="données officielles ouvertes (BMO, DARES, COG, carte)")
    source_actions = sources.add_subparsers(dest="action", required=True)
    source_actions.add_parser("list", help="les connecteurs, leur adresse et leur licence")
    pull = source_actions.add_parser("pull", help="télécharger, lire et publier les sources")
    pull.add_argument("--mirror", help="lire les fichiers dans ce dossier au lieu du réseau")
    pull.add_argument("--only", action="append", help="une source seulement (répétable)")
    sources.set_defaults(run=command_sources)

    ingest = commands.add_parser("ingest", help="importer un fichier de données (CSV, XLSX, Parquet)")
    ingest.add_argument("dataset", help="employees, vacancies ou training")
    ingest.add_argument("files", nargs="+", help="un ou plusieurs fichiers (par exemple un par année)")
    ingest.set_defaults(run=command_ingest)

    table = commands.add_parser("table", help="table protégée d'un indicateur")
    table.add_argument("dataset", choices=["employees", "vacancies", "training"])
    table.add_argument("--by", default="", help="dimensions séparées par des virgules")
    table.add_argument("--measure", required=True)
    table.add_argument("--year")
    table.add_argument("--branch", action="append")
    table.add_argument("--region", action="append")
    table.add_argument("--occupation", action="append")
    table.add_argument("--family", action="append")
    table.add_argument("--age-band", action="append")
    table.add_argument("--employer-size", action="append")
    table.add_argument("--sex", choices=["F", "M"])
    table.add_argument("--format", choices=["csv", "json"], default="csv")
    table.set_defaults(run=command_table)

    ptable = commands.add_parser("ptable", help="régénérer les tables de bruit (effectifs et sommes)")
    ptable.set_defaults(run=command_ptable)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    raise SystemExit(main())
