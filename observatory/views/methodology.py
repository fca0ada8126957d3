"""Méthodologie et sources, written from what the code uses: the indicators' definitions, the
data contracts, the secrecy parameters and the active snapshot's manifest (no second copy of any
of them that could drift)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from observatory import formatting as fmt
from observatory import indicators, reference, secrecy
from observatory.contracts import CONTRACTS
from observatory.snapshots import DATASETS, Snapshot
from observatory.tables import DIMENSION_LABELS

UNIT_WORDS = {"count": "effectif", "fte": "ETP", "eur": "euros", "share": "part (%)", "ratio": "rapport",
              "days": "jours", "hours": "heures"}
ORIGIN_WORDS = {"demo": "données de démonstration synthétiques", "ingest": "import de l'observatoire",
                "sources": "données officielles ouvertes"}


@dataclass(frozen=True)
class Section:
    title: str
    markdown: str


def _cell(text: object) -> str:
    """A table cell's text as text (file names, producers' words: never markup)."""
    return fmt.as_text(" ".join(str(text).split()))


def indicators_section() -> Section:
    lines = []
    for dataset, contract in CONTRACTS.items():
        every = ", ".join(DIMENSION_LABELS[d].lower() for d in indicators.DATASET_DIMENSIONS[dataset] if d != "total")
        lines += [f"**{contract.title}** (une ligne = {contract.grain}). Ventilations : {every}.", "",
                  "| indicateur | unité | définition | ventilations |", "|---|---|---|---|"]
        for measure in indicators.MEASURES.values():
            if measure.dataset != dataset:
                continue
            dims = "toutes" if measure.dimensions is None else ", ".join(
                DIMENSION_LABELS[d].lower() for d in measure.allowed_dimensions() if d != "total")
            lines.append(f"| {_cell(measure.label)} | {UNIT_WORDS.get(measure.unit, measure.unit)} | "
                         f"{_cell(measure.definition)} | {dims} |")
        lines.append("")
    return Section("Indicateurs", "\n".join(lines))


def contracts_section() -> Section:
    lines = ["Les fichiers importés par `python -m observatory ingest JEU FICHIER...` (CSV UTF-8 ou Latin-1, "
             "séparateur `;` ou `,`, décimale `,` acceptée ; XLSX ; Parquet) doivent suivre ces contrats. "
             "Un fichier non conforme est refusé en entier, avec la ligne, la colonne et la raison de chaque "
             "problème ; rien n'est publié.", ""]
    for dataset, contract in CONTRACTS.items():
        lines += [f"**{contract.title}** (`{dataset}`, une ligne = {contract.grain})", "",
                  "| colonne | contenu | valeurs admises |", "|---|---|---|"]
        for column in contract.columns:
            if column.kind == "code":
                allowed = f"{len(column.allowed_codes())} codes de la liste de référence"
            else:
                allowed = {"int": "entier", "float": "nombre", "bool": "oui/non", "date": "date"}[column.kind]
                if column.range_text():
                    allowed += f" {column.range_text()}"
            empty = " ; peut être vide" if column.nullable else ""
            lines.append(f"| `{column.name}` | {_cell(column.description)} | {allowed}{empty} |")
        key = ", ".join(contract.key) if contract.key and len(contract.key) < 5 else "la ligne entière"
        lines += ["", f"Identité d'une ligne (doublons refusés, clé d'enregistrement) : {key}." if contract.key
                  else "Deux lignes identiques sont deux offres distinctes.", ""]
    return Section("Contrats de données", "\n".join(lines))


def secrecy_section(config: secrecy.SecrecyConfig = secrecy.DEFAULT) -> Section:
    text = f"""Chaque chiffre publié (page, graphique, constat, CSV, XLSX, Parquet, ligne de commande) passe par les
mêmes règles, appliquées par le constructeur de tables :

- **Un ensemble fixe de cases protégées.** Une case est une année et, pour chaque filtre, toutes les valeurs ou
  une seule ; chacune est protégée une fois, toujours de la même façon. Une sélection de **plusieurs valeurs**
  (deux branches, trois régions…) n'est pas une case nouvelle : ses effectifs et ses sommes sont la somme des
  chiffres publiés de chaque valeur, ses parts et ses moyennes le rapport de ces sommes, ses quantiles ne sont
  publiés que si chaque valeur l'est ; elle est secrète dès qu'une de ses valeurs l'est. Sans cette règle, la
  moyenne de nombreuses différences entre réunions de valeurs retrouverait une petite case exactement.
- **Seuils.** Une case est **secrète** si elle compte moins de {config.min_rows} personnes (ou offres, ou
  stagiaires), moins de {config.min_employers} employeurs distincts, ou si un seul employeur y pèse plus de
  {fmt.percent(config.dominance, 0)} des lignes. Une case secrète est écrite « secret » : jamais 0, jamais sa
  vraie valeur.
- **Un chiffre hérite du secret de sa population** : aucun effectif, part ou zéro d'une partie d'une case
  secrète (femmes, départs, entrées, postes non pourvus…), aucun salaire, heure ou coût d'une case secrète par
  le seuil ou par la dominance (toute la case compte, apprentis compris).
- **Effectifs perturbés.** Un effectif publié est l'effectif vrai plus un bruit compris entre
  −{config.noise_bound} et +{config.noise_bound}, de moyenne nulle, lu dans une table fixe selon l'effectif et la
  « clé de case » (partie fractionnaire de la somme des clés d'enregistrement des lignes de la case). La même
  case reçoit toujours le même bruit, sur toutes les pages et dans tous les exports : répéter ou recouper des
  requêtes n'apprend rien de plus. Les totaux sont des cases comme les autres : un tableau peut ne pas
  s'additionner exactement.
- **Sommes perturbées.** Chaque somme derrière une moyenne ou un total (salaires, ETP, heures, coûts) est
  déplacée de {fmt.number(config.magnitude_low * 100)} à {fmt.number(config.magnitude_high * 100)} % de la plus
  grande contribution de la case, vers le haut ou vers le bas selon sa clé (moyenne nulle), puis publiée à
  l'échelle de l'effectif publié : la moyenne d'une petite case peut s'écarter de quelques pour cent, celle
  d'une grande case de quelques euros. Ni minimum ni maximum ne sont publiés.
- **Parts et taux** calculés sur les effectifs publiés ; secrets si l'un des deux l'est.
- **Population trop petite** : si la sélection entière ne passe pas les seuils, la page le dit et ne montre rien ;
  pour une sélection de plusieurs valeurs, elle nomme celles qui sont trop petites.
- **Clés d'enregistrement.** Données de démonstration : tirées au hasard. Données importées : hachage à clé
  secrète (BLAKE2b) de l'identité de la ligne, si bien qu'un ré-import donne les mêmes clés et que personne
  ne peut les recalculer sans le secret du déploiement.

Les données officielles (BMO, DARES) sont publiées telles que leurs producteurs les ont protégées (cases « * »
gardées secrètes), sans bruit supplémentaire.

{residual_risks()}"""
    return Section("Secret statistique", text)


SECRECY_NOTE = Path(__file__).resolve().parents[2] / "docs" / "methodologie-secret.md"
RISKS_HEADING = "## 6. Risques résiduels mesurés"


def residual_risks() -> str:
    """The measured residual risks, as docs/methodologie-secret.md states them (the attacks of
    tests/test_attacker.py measure them): one text for the repository and the page."""
    text = SECRECY_NOTE.read_text(encoding="utf-8")
    return "**Risques résiduels mesurés**" + text.split(RISKS_HEADING, 1)[1].split("\n## ", 1)[0].rstrip()


def sources_section(snapshot: Snapshot) -> Section:
    created = dt.datetime.fromisoformat(snapshot.manifest["created_at"])
    lines = [f"Snapshot servi : {_cell(snapshot.id)}, publié le {fmt.date_fr(created.date())}.", "",
             "| jeu de données | origine | lignes | années | détail |", "|---|---|---|---|---|"]
    for name in DATASETS:
        entry = snapshot.manifest["datasets"][name]
        origin = snapshot.origin_of(name)
        years = entry.get("years") or ["", ""]
        detail = ""
        if origin == "demo":
            demo = snapshot.manifest.get("demo", {})
            detail = (f"générateur du projet, échelle {_cell(demo.get('scale', '?'))}, "
                      f"graine {_cell(demo.get('seed', '?'))}")
        elif entry.get("imported_from"):
            detail = "; ".join(f"{_cell(f['file'])} (sha256 {_cell(f['sha256'][:12])}…)"
                               for f in entry["imported_from"])
        lines.append(f"| {CONTRACTS[name].title} | {_cell(ORIGIN_WORDS.get(origin, origin))} | "
                     f"{fmt.number(entry['rows'])} | {_cell(years[0])}–{_cell(years[1])} | {detail} |")
    official = snapshot.manifest.get("sources", [])
    lines += ["", "**Données officielles ouvertes**", ""]
    if official:
        lines += ["| producteur | données | millésime | licence | téléchargé le | adresse | empreinte |",
                  "|---|---|---|---|---|---|---|"]
        for source in official:
            lines.append(f"| {_cell(source['producer'])} | {_cell(source['title'])} | "
                         f"{_cell(source.get('year', ''))} | {_cell(source['licence'])} | "
                         f"{_cell(str(source.get('downloaded_at', ''))[:10])} | "
                         f"{_cell(source['url'])} | sha256 {_cell(str(source['sha256'])[:12])}… |")
        notes = [f"- {_cell(source['producer'])} : {_cell(source['licence_note'])}" for source in official
                 if source.get("licence_note")]
        lines += ["", *notes]
    else:
        lines.append("Aucune n'est chargée : `python -m observatory sources pull` les télécharge chez leurs "
                     "producteurs (ou `--mirror DOSSIER` sans réseau).")
    reference_notes = (reference.REFERENCE_DIR / "SOURCES.md").read_text(encoding="utf-8")
    body = reference_notes.split("\n", 1)[1] if reference_notes.startswith("#") else reference_notes
    lines += ["", "**Tables de référence du projet** (codes, SMIC, prix)", "", body.strip()]
    return Section("Sources", "\n".join(lines))


DEMO_NOTICE = Section("Données de démonstration", """Tant qu'aucune donnée réelle n'a été importée, les pages
montrent des **données synthétiques** : une population fictive d'environ un million de salariés par an de
2016 à 2025, avec leurs offres d'emploi et leurs formations, générée par le projet et calibrée sur des chiffres
publics (effectifs des branches, part de femmes, salaires proches du SMIC, tensions de recrutement de l'enquête
BMO 2024, inégalités d'accès à la formation). Elles ne décrivent aucune personne ni aucune structure réelle ;
un bandeau le rappelle sur chaque page. Les écarts entre branches ou régions qu'elles montrent illustrent
l'outil, ils ne sont pas des constats.""")

ACCESSIBILITY = Section("Accessibilité", """Ce service vise la conformité au RGAA 4.1 ; il n'a pas encore fait
l'objet d'un audit : il est donc **non conforme** au sens réglementaire tant que cet audit n'est pas fait.
Ce qui est fait : chaque graphique a un texte alternatif et le tableau exact des chiffres tracés (« Voir les
données »), téléchargeable ; la palette est lisible par les personnes daltoniennes et une case secrète n'est
jamais une couleur ; les chiffres suivent la typographie française ; les filtres sont des champs de formulaire
étiquetés, utilisables au clavier. Limites connues : l'interaction avec les graphiques (clic sur une barre)
demande une souris ou un écran tactile ; les mêmes filtres sont accessibles dans la barre latérale.
Pour signaler un défaut d'accessibilité, ouvrez un ticket sur le dépôt du projet.""")


def sections(snapshot: Snapshot) -> list[Section]:
    return [indicators_section(), secrecy_section(), sources_section(snapshot), contracts_section(),
            DEMO_NOTICE, ACCESSIBILITY]
