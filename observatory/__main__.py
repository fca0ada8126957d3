"""Command line: `python -m observatory demo|snapshots|sources|ingest|table|ptable ...`.

Every failure ends with a French message on stderr and one of these exit codes (README,
« Codes de sortie »), never a traceback.
"""

from __future__ import annotations

import argparse
import errno
import json
import logging
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from observatory import reference, secrecy, snapshots
from observatory.filters import FILTERS, YEAR, Filters, GlobalFilter, from_query

EXIT_OK = 0
EXIT_REFUSED = 1  # data refused, nothing to act on, a query that failed
EXIT_USAGE = 2  # unknown command, option, dataset or value
EXIT_SECRET = 3  # the population asked for is too small to publish
EXIT_DAMAGED = 4  # a snapshot's manifest or files are not what was published
EXIT_NO_SPACE = 5  # the disk is full: nothing was published
EXIT_UNEXPECTED = 70  # anything else: reported in a line, logged, nothing published
EXIT_CODES: dict[int, str] = {
    EXIT_OK: "réussite", EXIT_REFUSED: "refus (données invalides, rien à faire, requête en échec)",
    EXIT_USAGE: "usage (commande, option, jeu ou valeur inconnus)",
    EXIT_SECRET: "secret statistique (population trop petite pour publier)",
    EXIT_DAMAGED: "snapshot endommagé (manifeste ou fichiers)", EXIT_NO_SPACE: "disque plein (rien n'est publié)",
    EXIT_UNEXPECTED: "erreur inattendue (rien n'est publié)",
}


def _flag_attribute(declared: GlobalFilter) -> str:
    """Where argparse keeps a filter's flag (`--age-band` -> `age_band`)."""
    return declared.cli_flag.lstrip("-").replace("-", "_")


def _fail(message: str, code: int) -> int:
    if _progress.open:  # the message on a line of its own, not after a progress bar
        sys.stderr.write("\n")
        _progress.open = False
    print(f"Erreur : {printable(message)}", file=sys.stderr)
    return code


def printable(text: object) -> str:
    """A message quoting a file's or a user's words, safe for a terminal (no control sequence)."""
    return "".join(ch if ch.isprintable() or ch == "\n" else "?" for ch in str(text))


class _Progress:
    open = False  # a progress bar is being drawn on stderr's current line


_progress = _Progress()


def _progress_bar(stage: str, share: float) -> None:
    width = 30
    filled = int(width * min(max(share, 0.0), 1.0))
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {share * 100:5.1f} % {stage:<24}")
    _progress.open = share < 1.0
    if share >= 1.0:
        sys.stderr.write("\n")
    sys.stderr.flush()


def command_demo(args: argparse.Namespace) -> int:
    from observatory import demo, publishing

    if args.if_missing:
        state = snapshots.serving()
        _report_damage(state)
        if state.snapshot is not None:
            print(f"Snapshot servi : {state.snapshot.id} (rien à faire).")
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


def _report_damage(state: snapshots.Serving) -> None:
    for damage in state.damaged:
        print(f"Attention : snapshot {damage.snapshot_id} endommagé ({damage.reason}).", file=sys.stderr)


def command_snapshots(args: argparse.Namespace) -> int:
    if args.action == "list":
        return _list_snapshots()
    if args.action == "verify":
        return _verify_snapshots()
    if args.action == "rebuild":
        return _rebuild_database(args.id, if_outdated=args.if_outdated)
    snap = snapshots.rollback() if args.action == "rollback" else snapshots.activate(args.id)
    print(f"Snapshot actif : {snap.id}")
    return 0


def _list_snapshots() -> int:
    """Every snapshot folder with its state; the active one marked `*`, a damaged one `!`."""
    ids = snapshots.snapshot_ids()
    if not ids:
        print("Aucun snapshot. Lancez : python -m observatory demo")
        return EXIT_OK
    current = snapshots.pointed_id()
    for snapshot_id in ids:
        mark = "*" if snapshot_id == current else " "
        try:
            snap = snapshots.load(snapshot_id)
            problems = snapshots.check(snap)
        except snapshots.SnapshotError as error:
            print(f"{mark}! {snapshot_id}  endommagé : {error}")
            continue
        rows = sum(entry.get("rows") or 0 for entry in snap.manifest["datasets"].values())
        state = f"endommagé : {'; '.join(problems)}" if problems else "intact"
        print(f"{mark}{'!' if problems else ' '} {snap.id}  origine={snap.manifest['origin']}  "
              f"créé={snap.manifest['created_at']}  lignes={rows}  {state}")
    if current is not None and current not in ids:
        print(f"Attention : le pointeur « current » désigne un snapshot absent : {current}", file=sys.stderr)
        return EXIT_DAMAGED
    return EXIT_OK


def _verify_snapshots() -> int:
    """Every snapshot checked in full (sizes, Parquet files, SHA-256, the query database opens):
    which are damaged, why."""
    from observatory import warehouse

    damaged = 0
    ids = snapshots.snapshot_ids()
    for snapshot_id in ids:
        try:
            snap = snapshots.load(snapshot_id)
            problems = snapshots.verify(snap)
        except snapshots.SnapshotError as error:
            problems = [str(error)]
        else:
            database = snap.path / warehouse.DATABASE_FILE
            if database.exists() and warehouse.built_layout(database) is None:
                problems.append(f"{warehouse.DATABASE_FILE} illisible (à reconstruire : refaire l'import ou revenir "
                                "au snapshot précédent)")
        damaged += bool(problems)
        print(f"{snapshot_id} : " + ("intact" if not problems else "endommagé : " + " ; ".join(problems)))
    print(f"{len(ids)} snapshot(s) vérifié(s), {damaged} endommagé(s).")
    if damaged:
        return _fail(f"{damaged} snapshot(s) endommagé(s) (voir ci-dessus) : `snapshots rollback` ou "
                     "`snapshots activate ID` ramène un snapshot intact.", EXIT_DAMAGED)
    return EXIT_OK


def _rebuild_database(snapshot_id: str | None, *, if_outdated: bool) -> int:
    """Build a snapshot's query database (the active one by default) from its Parquet files, as
    publishing does: the app only reads databases of the code's version (warehouse.DatabaseOutdated)."""
    from observatory import warehouse

    if snapshot_id is None:
        snapshot_id = snapshots.pointed_id()
        if snapshot_id is None:
            return _fail("aucun snapshot actif. Lancez : python -m observatory demo", EXIT_REFUSED)
    snap = snapshots.load(snapshot_id)
    database = snap.path / warehouse.DATABASE_FILE
    if if_outdated and warehouse.built_layout(database) == warehouse.database_layout():
        print(f"Base de requêtes du snapshot {snap.id} à jour (rien à faire).")
        return EXIT_OK
    _progress_bar("Vérification du snapshot", 0.0)
    problems = snapshots.check(snap)
    if problems:
        raise snapshots.DamagedSnapshot(f"le snapshot {snap.id} est endommagé : {'; '.join(problems)}")
    _progress_bar("Construction de la base", 0.1)
    started = time.perf_counter()
    warehouse.build_database(snap.path)
    _progress_bar("Terminé", 1.0)
    print(f"Base de requêtes du snapshot {snap.id} reconstruite en {time.perf_counter() - started:.1f} s.")
    return EXIT_OK


MAX_PROBLEMS_SHOWN = 50


def command_sources(args: argparse.Namespace) -> int:
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
    state = snapshots.serving()
    _report_damage(state)
    if state.snapshot is None:
        return _fail("aucun snapshot intact à compléter. Lancez d'abord : python -m observatory demo", EXIT_REFUSED)
    try:
        snapshot = pull.pull(args.only or (), Path(args.mirror) if args.mirror else None, report=print)
    except SourceError as error:
        return _fail(f"{error} ; rien n'a été publié.", EXIT_REFUSED)
    print(f"Snapshot publié : {snapshot.id}")
    return 0


def command_ingest(args: argparse.Namespace) -> int:
    from observatory.ingest import importer

    started = time.perf_counter()
    try:
        checked = importer.check(args.dataset, [Path(name) for name in args.files])
    except importer.IngestError as error:
        for problem in error.problems[:MAX_PROBLEMS_SHOWN]:
            print(f"Erreur : {printable(problem)}", file=sys.stderr)
        hidden = importer.total(error.problems[MAX_PROBLEMS_SHOWN:])
        if hidden:
            print(f"… et {hidden} autre(s) problème(s).", file=sys.stderr)
        print(f"Import refusé : {importer.total(error.problems)} problème(s) ; rien n'a été publié, "
              "le snapshot actif est inchangé.", file=sys.stderr)
        return EXIT_REFUSED
    state = snapshots.serving()
    _report_damage(state)
    if state.damaged and state.snapshot is not None:
        print(f"Note : l'import s'appuie sur le snapshot servi, {state.snapshot.id}.", file=sys.stderr)
    snapshot = importer.publish(checked)
    print(f"{len(checked.frame):,} lignes de {args.dataset} importées ; snapshot publié : {snapshot.id} "
          f"en {time.perf_counter() - started:.1f} s.".replace(",", " "))
    return 0


def command_table(args: argparse.Namespace) -> int:
    import duckdb

    from observatory.tables import TableBuilder, TableRequestError
    from observatory.warehouse import DatabaseOutdated, QueryError, open_shared

    query: dict[str, list[str]] = {}
    for declared in FILTERS:
        values = getattr(args, _flag_attribute(declared))
        if values:
            query[declared.url_key] = values if declared.several else [values]
    filters: Filters = from_query(query)
    if filters.notices:
        for notice in filters.notices:
            print(f"Erreur : {notice}", file=sys.stderr)
        return EXIT_USAGE
    snapshot = snapshots.active()
    if snapshot is None:
        return _fail("aucun snapshot actif. Lancez : python -m observatory demo", EXIT_REFUSED)
    problems = snapshots.check(snapshot)
    if problems:
        raise snapshots.DamagedSnapshot(f"le snapshot actif {snapshot.id} est endommagé : {'; '.join(problems)}")
    dims = tuple(d for d in (args.by or "").split(",") if d)
    try:
        warehouse = open_shared(snapshot)
    except DatabaseOutdated as error:
        return _fail(str(error), EXIT_REFUSED)
    except (duckdb.Error, QueryError) as error:
        raise snapshots.DamagedSnapshot(f"base de requêtes du snapshot {snapshot.id} illisible "
                                        f"({type(error).__name__})") from error
    try:
        table = TableBuilder(warehouse).build(args.dataset, dims, args.measure, filters)
    except TableRequestError as error:
        return _fail(str(error), EXIT_USAGE)
    except secrecy.PopulationTooSmall as error:
        print(f"Secret statistique : {error.message}", file=sys.stderr)
        return EXIT_SECRET
    except QueryError as error:
        return _fail(f"requête en échec ({error})", EXIT_REFUSED)
    # The warehouse is the process-wide one (shared with any caller in the same process): not closed here.
    frame = table.frame_copy()
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


class FrenchParser(argparse.ArgumentParser):
    """argparse with French refusals: its own messages are English."""

    MESSAGES = ((r"the following arguments are required: (.*)", r"argument(s) requis manquant(s) : \1"),
                (r"argument (\S+): invalid choice: (.*) \(choose from (.*)\)",
                 r"choix invalide pour \1 : \2 (possibles : \3)"),
                (r"argument (\S+): expected one argument", r"une valeur est attendue après \1"),
                (r"argument (\S+): invalid (\w+) value: (.*)", r"valeur invalide pour \1 : \3"),
                (r"unrecognized arguments: (.*)", r"argument(s) inconnu(s) : \1"))

    def error(self, message: str) -> None:  # type: ignore[override]
        for pattern, french in self.MESSAGES:
            if re.fullmatch(pattern, message):
                message = re.sub(pattern, french, message)
                break
        print(f"Erreur : {message}. Aide : {self.prog} --help", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def parser() -> argparse.ArgumentParser:
    root = FrenchParser(prog="python -m observatory", description="Observatoire de la cohésion sociale")
    commands = root.add_subparsers(dest="command", required=True)

    demo = commands.add_parser("demo", help="générer et publier le snapshot de démonstration")
    demo.add_argument("--scale", type=float, default=1.0, help="1 = environ un million de salariés")
    demo.add_argument("--seed", type=int, default=20240601)
    demo.add_argument("--if-missing", action="store_true", help="ne rien faire si un snapshot est actif")
    demo.set_defaults(run=command_demo)

    snaps = commands.add_parser("snapshots", help="lister ou activer les snapshots")
    actions = snaps.add_subparsers(dest="action", required=True)
    actions.add_parser("list", help="les snapshots, leur état (intact ou endommagé)")
    activate = actions.add_parser("activate", help="activer un snapshot intact")
    activate.add_argument("id")
    actions.add_parser("rollback", help="revenir au snapshot actif avant le dernier publié")
    actions.add_parser("verify", help="vérifier chaque snapshot en entier (tailles, Parquet, SHA-256)")
    rebuild = actions.add_parser("rebuild", help="reconstruire la base de requêtes d'un snapshot (l'actif par défaut)")
    rebuild.add_argument("id", nargs="?")
    rebuild.add_argument("--if-outdated", action="store_true",
                         help="seulement si elle manque ou date d'une autre version du code")
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
    for declared in FILTERS:
        table.add_argument(declared.cli_flag, dest=_flag_attribute(declared),
                           action="append" if declared.several else "store",
                           choices=None if declared.several or declared is YEAR else
                           list(reference.code_lists()[declared.code_list].labels))
    table.add_argument("--format", choices=["csv", "json"], default="csv")
    table.set_defaults(run=command_table)

    ptable = commands.add_parser("ptable", help="régénérer les tables de bruit (effectifs et sommes)")
    ptable.set_defaults(run=command_ptable)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    from observatory import runtime

    runtime.prepare_process()
    args = parser().parse_args(argv)
    try:
        return int(args.run(args))
    except snapshots.DamagedSnapshot as error:
        return _fail(f"snapshot endommagé : {error}. Voir : python -m observatory snapshots verify", EXIT_DAMAGED)
    except snapshots.SnapshotError as error:
        return _fail(f"{error} ; rien n'a changé.", EXIT_REFUSED)
    except OSError as error:
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            return _fail("plus de place sur le disque : rien n'a été publié, le snapshot actif est inchangé.",
                         EXIT_NO_SPACE)
        return _fail(f"fichier ou dossier inaccessible ({error.strerror or type(error).__name__}"
                     f"{' : ' + str(error.filename) if error.filename else ''}) ; rien n'a été publié.", EXIT_REFUSED)
    except KeyboardInterrupt:
        return _fail("interrompu ; rien n'a été publié.", EXIT_UNEXPECTED)
    except Exception as error:  # the boundary: a message, the details in the log, no traceback
        if "No space left on device" in str(error):  # DuckDB's own errors are not OSErrors
            return _fail("plus de place sur le disque : rien n'a été publié, le snapshot actif est inchangé.",
                         EXIT_NO_SPACE)
        logging.getLogger("observatory").debug("erreur inattendue", exc_info=True)
        return _fail(f"erreur inattendue ({type(error).__name__}) ; rien n'a été publié.", EXIT_UNEXPECTED)


if __name__ == "__main__":
    raise SystemExit(main())
