"""The secrecy rules as users read them: the pages' sentences are written from the configuration
(observatory/secrecy_text.py); the Markdown files, which cannot call code, state the thresholds
the configuration holds (two of them are shown by the Méthodologie page)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from observatory import secrecy_text
from observatory.secrecy import DEFAULT, SecrecyConfig

ROOT = Path(__file__).resolve().parent.parent
# The sentences the pages showed when they were written by hand (with the default thresholds).
PUBLISHED_CAPTION = "Cellules de moins de 11 salariés ou 3 structures : secret."
PUBLISHED_NOTE = ("Secret statistique : effectifs légèrement perturbés (±3 au plus), sommes aussi (salaires, "
                  "heures, coûts), cases de moins de 11 personnes ou de 3 structures, ou dominées par une "
                  "structure, non publiées (« secret »).")
OTHER = SecrecyConfig(min_rows=5, min_employers=2, dominance=0.7, noise_bound=4, noise_sd=2.5, table_seed=1,
                      key_buckets=512, magnitude_low=0.5, magnitude_high=1.5, magnitude_seed=2)


def test_the_default_sentences_are_those_the_pages_published() -> None:
    assert secrecy_text.secret_cells("salariés") == PUBLISHED_CAPTION
    assert secrecy_text.secret_cells("offres", DEFAULT) == PUBLISHED_CAPTION.replace("salariés", "offres")
    assert secrecy_text.export_note() == PUBLISHED_NOTE


def test_other_thresholds_change_the_sentences() -> None:
    assert secrecy_text.secret_cells("personnes", OTHER) == "Cellules de moins de 5 personnes ou 2 structures : secret."
    assert secrecy_text.export_note(OTHER) == (PUBLISHED_NOTE.replace("±3", "±4").replace("11 personnes", "5 personnes")
                                               .replace("de 3 structures", "de 2 structures"))


def test_no_page_writes_a_threshold_by_hand() -> None:
    """What the app shows says the thresholds through secrecy_text or the configuration only."""
    by_hand = re.compile(r"moins de \d+ (?:personnes|salariés|offres|stagiaires)|\d+ (?:structures|employeurs)|±\s?\d")
    sources = [*sorted((ROOT / "app_pages").glob("*.py")), *sorted((ROOT / "observatory" / "views").glob("*.py")),
               *sorted((ROOT / "observatory" / "ui").glob("*.py")), ROOT / "observatory" / "cards.py",
               ROOT / "observatory" / "export.py", ROOT / "dashboard.py"]
    found = [(path.name, match.group()) for path in sources
             for match in by_hand.finditer(path.read_text(encoding="utf-8"))]
    assert found == []


def _french(value: float, digits: int = 0) -> str:
    return f"{value:,.{digits}f}".replace(",", " ").replace(".", ",")


def _stated(config: SecrecyConfig) -> dict[str, list[str]]:
    """Each Markdown file's statements of the configuration, as they must read."""
    rows, employers, bound = config.min_rows, config.min_employers, config.noise_bound
    dominance = _french(config.dominance * 100)
    return {
        "README.md": [
            f"|bruit| ≤ {bound}",
            f"de {_french(config.magnitude_low * 100)} à {_french(config.magnitude_high * 100)} % de sa plus grande "
            "contribution",
            f"moins de {rows} personnes, de moins de {employers} employeurs, ou dont un employeur pèse plus de "
            f"{dominance} %",
        ],
        "docs/methodologie-secret.md": [
            f"le bruit est compris entre −{bound} et +{bound}",
            f"graine {config.table_seed}, borne {bound}, écart-type de la loi de départ {_french(config.noise_sd, 1)}, "
            f"{_french(config.key_buckets)} cases de clé",
            f"graine {config.magnitude_seed}) : |v| est compris entre {_french(config.magnitude_low, 2)} et "
            f"{_french(config.magnitude_high)}",
            f"moins de {rows} personnes (ou offres, ou stagiaires), moins de {employers} employeurs distincts, ou un "
            f"employeur qui pèse plus de {dominance} % de ses lignes",
            f"petites cases de 1 à {rows - 1} personnes",  # the attacks' targets: the cells under the threshold
            f"salaire moyen de moins de {rows} personnes",
            f"connu à ±{bound} près",
            f"pour un groupe de {rows} à 20 personnes",
            f"pour une case de {rows} à 30 personnes",
        ],
        "data/reference/SOURCES.md": [f"bornée à ±{bound}"],
    }


# Any statement of a threshold in those files, whatever its sentence: each must be the configuration's.
ANY_STATEMENT = {
    "min_rows": re.compile(r"moins de (\d+) (?:personnes|salariés|offres|stagiaires)"),
    "min_employers": re.compile(r"moins de (\d+) (?:employeurs|structures)"),
    "noise_bound": re.compile(r"±(\d+)"),
    "dominance": re.compile(r"pèse plus de (\d+(?:,\d+)?) %"),
}


def _text(name: str) -> str:
    """The file's text as a reader sees it: no bold markers, one space between words."""
    text = (ROOT / name).read_text(encoding="utf-8").replace("**", "")
    return " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())


@pytest.mark.parametrize("name", list(_stated(DEFAULT)))
def test_the_documents_state_the_configured_thresholds(name: str) -> None:
    text = _text(name)
    assert [statement for statement in _stated(DEFAULT)[name] if statement not in text] == []
    for field, pattern in ANY_STATEMENT.items():
        configured = _french(getattr(DEFAULT, field) * (100 if field == "dominance" else 1))
        assert {value for value in pattern.findall(text)} <= {configured}, (name, field)


def test_other_thresholds_would_fail_the_documents() -> None:
    """The check above reads the configuration: other thresholds find the documents out of date."""
    for name, statements in _stated(OTHER).items():
        assert all(statement not in _text(name) for statement in statements), name
