"""The indicators: one definition each, shared by the table builder, pages, exports and the
methodology page. Each measure says which named query feeds it and how a published value is
derived from that query's cells under the secrecy rules."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from observatory import sorted_values
from observatory.filters import dataset_filters
from observatory.protection import Published

# Dimensions each dataset can be grouped by ("total" is the single all-rows cell).
DATASET_DIMENSIONS: dict[str, tuple[str, ...]] = {
    "employees": ("total", "year", "branch", "region", "occupation", "family", "sex", "age_band",
                  "age5", "employer_size", "contract"),
    "vacancies": ("total", "year", "branch", "region", "occupation", "family", "contract",
                  "employer_size", "month"),
    "training": ("total", "year", "branch", "region", "occupation", "family", "sex", "age_band",
                 "employer_size", "scheme", "certification"),
}
# Filters each dataset honours (observatory/filters.py: vacancies carry no person, so no sex or age).
DATASET_FILTERS: dict[str, frozenset[str]] = {dataset: dataset_filters(dataset) for dataset in DATASET_DIMENSIONS}

# A measure's published values from the published cells of its queries (NaN: secret).
Compute = Callable[[dict[str, Published]], np.ndarray]

# Counts queries that aggregate only what a measure reads (employees_counts.sql says why): n
# alone (headcounts, rates over the headcount) or every count with its secrecy inputs. Two sizes,
# not one per measure: a page reads several counts over the same cells (a portrait's tiles:
# women, over 55, over 57, over 52...), and one query per set would cost more than the
# aggregates it saves (a query's fixed cost exceeds its aggregates': bench/README.md, section
# « Ce qui a changé », « Ne sommer que ce que la mesure lit »). The trainees' query has few
# aggregates: not trimmed; nor the pay's, whose measures pages read together (a median
# beside a gap or a share near the SMIC: one query of every aggregate costs less than two).
TRIMMED_QUERIES: dict[str, tuple[str, ...]] = {
    "employees_counts": ("n", "women", "part_time", "aged_55", "aged_57", "aged_52", "hired", "left"),
    "vacancies_counts": ("n", "unfilled", "difficult", "withdrawn", "filled"),
}


@dataclass(frozen=True)
class Derivation:
    """How a measure's values come from its queries' cells, and the columns of the trimmed
    queries it reads there."""
    compute: Compute
    reads: tuple[tuple[str, tuple[str, ...]], ...]


def query_columns(query: str, columns: tuple[str, ...]) -> dict[str, list[str] | bool]:
    """What a measure reading `columns` asks of `query` beyond the filters: for a trimmed query,
    its counts (n alone when the measure reads no other count, else every count); for a query
    with quantile columns, whether it needs them (`quantiles`: the sorted values are walked for
    them, which postes non pourvus or a mean pay never read: bench/README.md, section « Ce qui a
    changé », « Quantiles seulement pour les mesures qui les lisent »)."""
    asked: dict[str, list[str] | bool] = {}
    if query in TRIMMED_QUERIES:
        counts = TRIMMED_QUERIES[query]
        asked["counts"] = ["n"] if set(columns) & set(counts) <= {"n"} else list(counts)
    if query in sorted_values.INDEXES:
        asked["quantiles"] = not set(columns).isdisjoint(sorted_values.INDEXES[query].probabilities)
    return asked


@dataclass(frozen=True)
class Measure:
    code: str
    dataset: str
    label: str
    unit: str  # count, fte, eur, share, ratio, days, hours
    definition: str
    queries: tuple[str, ...]
    derivation: Derivation
    dimensions: tuple[str, ...] | None = None  # None: all the dataset's dimensions

    def allowed_dimensions(self) -> tuple[str, ...]:
        return self.dimensions or DATASET_DIMENSIONS[self.dataset]

    @property
    def compute(self) -> Compute:
        return self.derivation.compute

    def columns(self, query: str) -> tuple[str, ...]:
        """The columns of `query`'s cells the measure reads (its counts and totals)."""
        return dict(self.derivation.reads).get(query, ())


# --- building blocks ----------------------------------------------------------------------
# Each reads the published cells of its queries (observatory/protection.py: counts, sums at the
# scale of their published count, quantiles, NaN where secret) and nothing else: a figure is
# secret when any value it is made of is.

def _published(cells: dict[str, Published], query: str, column: str) -> np.ndarray:
    return np.asarray(cells[query][column], dtype=float)


def _ratio(numerator: np.ndarray, denominator: np.ndarray, share: bool = False) -> np.ndarray:
    """numerator / denominator where the denominator is published and positive (a share is
    kept within [0, 1]: the two counts carry different noises)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(denominator > 0, numerator / denominator, np.nan)
    return np.clip(value, 0.0, 1.0) if share else value


def _count(query: str, column: str) -> Derivation:
    return Derivation(lambda cells: _published(cells, query, column), ((query, (column,)),))


def _share(query: str, numerator: str, denominator: str = "n") -> Derivation:
    def compute(cells: dict[str, Published]) -> np.ndarray:
        return _ratio(_published(cells, query, numerator), _published(cells, query, denominator), share=True)
    return Derivation(compute, ((query, (numerator, denominator)),))


def _total(query: str, total: str, count: str = "n") -> Derivation:
    """A total (ETP, hours, cost): its perturbed sum at the scale of the published count."""
    return Derivation(lambda cells: _published(cells, query, total), ((query, (count, total)),))


def _mean(query: str, total: str, count: str = "n") -> Derivation:
    """A mean per unit: the published total over the published count (for one cell, the
    perturbed sum over the true count)."""
    def compute(cells: dict[str, Published]) -> np.ndarray:
        return _ratio(_published(cells, query, total), _published(cells, query, count))
    return Derivation(compute, ((query, (count, total)),))


def _quantile(query: str, column: str, count: str = "n", scale: str | None = None) -> Derivation:
    """A quantile (of pay, of delays), published where its population is; over `scale` (the
    SMIC of the year) for a ratio."""
    def compute(cells: dict[str, Published]) -> np.ndarray:
        value = _published(cells, query, column)
        return value if scale is None else _ratio(value, _published(cells, query, scale))
    return Derivation(compute, ((query, tuple(c for c in (count, column, scale) if c)),))


def _per_hour(cells: dict[str, Published]) -> np.ndarray:
    return _ratio(_published(cells, "training_counts", "cost"), _published(cells, "training_counts", "hours"))


def _turnover(cells: dict[str, Published]) -> np.ndarray:
    movements = _published(cells, "employees_counts", "hired") + _published(cells, "employees_counts", "left")
    return _ratio(movements / 2, _published(cells, "employees_counts", "n"))


def _gender_gap(cells: dict[str, Published]) -> np.ndarray:
    """(mean men - mean women) / mean men, when the paid women and men are each published."""
    men = _ratio(_published(cells, "employees_pay", "men_pay"), _published(cells, "employees_pay", "men"))
    women = _ratio(_published(cells, "employees_pay", "women_pay"), _published(cells, "employees_pay", "women"))
    return _ratio(men - women, men)


def _cross_share(numerator_query: str, numerator: str, denominator_query: str, denominator: str,
                 add_numerator: bool = False) -> Derivation:
    """A rate whose two counts come from two datasets, cells matched on the dimensions."""
    def compute(cells: dict[str, Published]) -> np.ndarray:
        num = _published(cells, numerator_query, numerator)
        base = _published(cells, denominator_query, denominator) + (num if add_numerator else 0)
        return _ratio(num, base, share=True)
    return Derivation(compute, ((numerator_query, (numerator,)), (denominator_query, (denominator,))))


_CROSS_DIMENSIONS_VACANCY = ("total", "year", "branch", "region", "occupation", "family", "employer_size")
_CROSS_DIMENSIONS_TRAINING = ("total", "year", "branch", "region", "occupation", "family", "sex",
                              "age_band", "employer_size")

_PAY_NOTE = ("Salaire brut mensuel en équivalent temps plein (EQTP), apprentis et contrats de "
             "professionnalisation exclus (convention INSEE).")

MEASURES: dict[str, Measure] = {m.code: m for m in (
    Measure("effectif", "employees", "Effectif", "count",
            "Personnes présentes dans l'année (une ligne par personne et par année).",
            ("employees_counts",), _count("employees_counts", "n")),
    Measure("etp", "employees", "Équivalents temps plein", "fte",
            "Somme des quotités de travail (ETP) des personnes présentes.",
            ("employees_counts",), _total("employees_counts", "fte")),
    Measure("part_femmes", "employees", "Part des femmes", "share",
            "Femmes parmi les personnes présentes.", ("employees_counts",),
            _share("employees_counts", "women")),
    Measure("temps_partiel", "employees", "Part du temps partiel", "share",
            "Personnes dont la quotité de travail est inférieure à 1.", ("employees_counts",),
            _share("employees_counts", "part_time")),
    Measure("part_55_plus", "employees", "Part des 55 ans ou plus", "share",
            "Personnes âgées de 55 ans ou plus.", ("employees_counts",),
            _share("employees_counts", "aged_55")),
    Measure("departs_5ans", "employees", "Départs à la retraite potentiels à 5 ans", "count",
            "Personnes âgées de 57 ans ou plus : hypothèse d'un départ à 62-64 ans (âge légal "
            "relevé progressivement à 64 ans par la réforme de 2023).", ("employees_counts",),
            _count("employees_counts", "aged_57")),
    Measure("departs_10ans", "employees", "Départs à la retraite potentiels à 10 ans", "count",
            "Personnes âgées de 52 ans ou plus : même hypothèse d'un départ à 62-64 ans, dix ans plus "
            "tard (sans tenir compte des départs anticipés ni des prolongations).", ("employees_counts",),
            _count("employees_counts", "aged_52")),
    Measure("turnover", "employees", "Taux de rotation", "share",
            "(Entrées + sorties de l'année) / 2 / effectif.", ("employees_counts",),
            Derivation(_turnover, (("employees_counts", ("n", "hired", "left")),))),
    Measure("entrees", "employees", "Entrées (embauches)", "count",
            "Personnes entrées au cours de l'année.", ("employees_counts",),
            _count("employees_counts", "hired")),
    Measure("sorties", "employees", "Sorties", "count",
            "Personnes sorties au cours de l'année.", ("employees_counts",),
            _count("employees_counts", "left")),
    Measure("salaire_median", "employees", "Salaire médian brut mensuel EQTP", "eur",
            "Médiane. " + _PAY_NOTE, ("employees_pay",), _quantile("employees_pay", "median")),
    Measure("salaire_d1", "employees", "1er décile du salaire brut EQTP", "eur",
            "10 % des salariés gagnent moins. " + _PAY_NOTE, ("employees_pay",),
            _quantile("employees_pay", "d1")),
    Measure("salaire_q1", "employees", "1er quartile du salaire brut EQTP", "eur",
            "25 % des salariés gagnent moins. " + _PAY_NOTE, ("employees_pay",),
            _quantile("employees_pay", "q1")),
    Measure("salaire_q3", "employees", "3e quartile du salaire brut EQTP", "eur",
            "75 % des salariés gagnent moins. " + _PAY_NOTE, ("employees_pay",),
            _quantile("employees_pay", "q3")),
    Measure("salaire_d9", "employees", "9e décile du salaire brut EQTP", "eur",
            "90 % des salariés gagnent moins. " + _PAY_NOTE, ("employees_pay",),
            _quantile("employees_pay", "d9")),
    Measure("salaire_moyen", "employees", "Salaire moyen brut mensuel EQTP", "eur",
            "Moyenne. " + _PAY_NOTE, ("employees_pay",), _mean("employees_pay", "n_pay")),
    Measure("ratio_smic", "employees", "Salaire médian rapporté au SMIC", "ratio",
            "Salaire médian brut EQTP divisé par le SMIC mensuel brut (35 h) de l'année, moyenne "
            "des taux en vigueur pondérée par leur durée.", ("employees_pay",),
            _quantile("employees_pay", "median", scale="smic")),
    Measure("part_proche_smic", "employees", "Part rémunérée près du SMIC", "share",
            "Part des salariés dont le salaire brut EQTP est inférieur à 1,1 SMIC de l'année. "
            + _PAY_NOTE, ("employees_pay",), _share("employees_pay", "near_smic")),
    Measure("ecart_salarial_fh", "employees", "Écart salarial femmes-hommes", "share",
            "(Salaire moyen des hommes - salaire moyen des femmes) / salaire moyen des hommes, "
            "EQTP. " + _PAY_NOTE, ("employees_pay",),
            Derivation(_gender_gap, (("employees_pay", ("women", "men", "women_pay", "men_pay")),))),
    Measure("postes_ouverts", "vacancies", "Postes ouverts", "count",
            "Offres de postes publiées dans l'année.", ("vacancies_counts",),
            _count("vacancies_counts", "n")),
    Measure("postes_non_pourvus", "vacancies", "Postes non pourvus au 31/12", "count",
            "Postes ouverts dans l'année, ni pourvus ni retirés au 31 décembre.",
            ("vacancies_counts",), _count("vacancies_counts", "unfilled")),
    Measure("taux_vacance", "vacancies", "Taux de vacance", "share",
            "Postes non pourvus au 31/12 / (effectif + postes non pourvus).",
            ("vacancies_counts", "employees_counts"),
            _cross_share("vacancies_counts", "unfilled", "employees_counts", "n", add_numerator=True),
            _CROSS_DIMENSIONS_VACANCY),
    Measure("delai_median", "vacancies", "Délai médian de recrutement", "days",
            "Médiane du nombre de jours entre la publication et le pourvoi, postes pourvus.",
            ("vacancies_counts",), _quantile("vacancies_counts", "delay_median", count="filled")),
    Measure("part_difficile", "vacancies", "Part des recrutements jugés difficiles", "share",
            "Postes pour lesquels l'employeur déclare une difficulté de recrutement.",
            ("vacancies_counts",), _share("vacancies_counts", "difficult")),
    Measure("part_retiree", "vacancies", "Part des postes retirés faute de candidat", "share",
            "Postes retirés sans avoir été pourvus.", ("vacancies_counts",),
            _share("vacancies_counts", "withdrawn")),
    Measure("stagiaires", "training", "Stagiaires", "count",
            "Personnes distinctes ayant commencé au moins une action de formation dans l'année.",
            ("training_counts",), _count("training_counts", "n")),
    Measure("taux_acces", "training", "Taux d'accès à la formation", "share",
            "Stagiaires / effectif (mêmes dimensions et filtres).",
            ("training_counts", "employees_counts"),
            _cross_share("training_counts", "n", "employees_counts", "n"), _CROSS_DIMENSIONS_TRAINING),
    Measure("entrees_alternance", "training", "Entrées en alternance", "count",
            "Personnes entrées en apprentissage, contrat de professionnalisation ou Pro-A.",
            ("training_counts",), _count("training_counts", "alternance")),
    Measure("heures", "training", "Heures de formation", "hours",
            "Heures des actions commencées dans l'année.", ("training_counts",),
            _total("training_counts", "hours")),
    Measure("cout", "training", "Coût de la formation", "eur",
            "Coûts pédagogiques des actions commencées dans l'année, en euros.",
            ("training_counts",), _total("training_counts", "cost")),
    Measure("heures_par_stagiaire", "training", "Heures par stagiaire", "hours",
            "Heures de formation / stagiaires.", ("training_counts",),
            _mean("training_counts", "hours")),
    Measure("cout_par_stagiaire", "training", "Coût par stagiaire", "eur",
            "Coût / stagiaires.", ("training_counts",),
            _mean("training_counts", "cost")),
    Measure("cout_horaire", "training", "Coût horaire", "eur",
            "Coût / heures.", ("training_counts",),
            Derivation(_per_hour, (("training_counts", ("n", "cost", "hours")),))),
)}


def measures_of(dataset: str) -> list[Measure]:
    return [m for m in MEASURES.values() if m.dataset == dataset]
