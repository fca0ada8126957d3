"""The global selection: validated against the reference tables, to and from URL query
parameters, and turned into the named parameters of the SQL filter macros.

Unknown or malformed values are dropped and reported as French notices, never raised: a link
typed by hand or tampered with still opens a view, and says what it ignored.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from observatory import reference


@dataclass(frozen=True)
class GlobalFilter:
    """One global filter, as every consumer reads it (the URL, the sidebar, the cards' filter
    line, the CLI, the SQL macros, the rollups, the sorted values, the cache keys)."""
    url_key: str  # in the page's address: ?branche=eclat
    attribute: str  # of `Filters`
    code_list: str  # reference.code_lists() name, also the column of the datasets it filters
    label: str  # French, in notices: « Valeur ignorée pour branche »
    title: str  # the sidebar widget
    short: str  # the cards' filter line: « Branches : ÉCLAT »
    cli_flag: str  # python -m observatory table --branch eclat
    sql_parameter: str  # $branches of the filtered_* macros (a list of codes)
    level: str  # "employer" (every rollup keeps the column) or "person" (a rollup may not)
    datasets: frozenset[str]  # the datasets whose rows carry the column
    several: bool = True  # several values at once (else one)
    none_chosen: str = "Toutes"  # what the sidebar widget says while the filter is open
    in_sidebar: bool = True
    warmed: bool = True  # its single values prepared ahead of visitors (observatory/views/memo.py)

    @property
    def column(self) -> str:
        return self.code_list


_EVERY_DATASET = frozenset({"employees", "vacancies", "training"})
_PERSONS = frozenset({"employees", "training"})  # a vacancy has no sex nor age
# The period: one year, or every year for a trend; its SQL parameters are $year_from, $year_to.
YEAR = GlobalFilter("annee", "year", "year", "année", "Année", "Année", "--year", "", "employer", _EVERY_DATASET,
                    several=False, warmed=False)
# In the order of the URL, the sidebar and the command line.
FILTERS: tuple[GlobalFilter, ...] = (
    YEAR,
    GlobalFilter("branche", "branches", "branch", "branche", "Branches", "Branches", "--branch", "branches",
                 "employer", _EVERY_DATASET),
    GlobalFilter("region", "regions", "region", "région", "Régions", "Régions", "--region", "regions", "employer",
                 _EVERY_DATASET),
    GlobalFilter("famille", "families", "family", "famille de métiers", "Familles de métiers", "Familles",
                 "--family", "families", "person", _EVERY_DATASET),
    GlobalFilter("metier", "occupations", "occupation", "métier", "Métiers", "Métiers", "--occupation",
                 "occupations", "person", _EVERY_DATASET, in_sidebar=False, warmed=False),
    GlobalFilter("sexe", "sex", "sex", "sexe", "Sexe", "Sexe", "--sex", "sexes", "person", _PERSONS, several=False,
                 none_chosen="Les deux"),
    GlobalFilter("age", "age_bands", "age_band", "tranche d'âge", "Tranches d'âge", "Âge", "--age-band",
                 "age_bands", "person", _PERSONS),
    GlobalFilter("taille", "employer_sizes", "employer_size", "taille de structure", "Taille de structure", "Taille",
                 "--employer-size", "sizes", "employer", _EVERY_DATASET),
)
BY_URL_KEY: dict[str, GlobalFilter] = {f.url_key: f for f in FILTERS}
# The filters on the datasets' columns (the year apart: a period, not a list of codes).
CODE_FILTERS: tuple[GlobalFilter, ...] = tuple(f for f in FILTERS if f is not YEAR)
# A family selects its occupations: the SQL's occupations parameter holds them (occupation_codes).
FAMILIES, OCCUPATIONS = (next(f for f in FILTERS if f.attribute == a) for a in ("families", "occupations"))


def dataset_filters(dataset: str) -> frozenset[str]:
    """The `Filters` attributes a dataset applies."""
    return frozenset(f.attribute for f in CODE_FILTERS if dataset in f.datasets)


def open_parameters() -> dict[str, object]:
    """The filter parameters selecting every row (the build reads whole tables through the macros)."""
    return {"year_from": 0, "year_to": 9999, **{f.sql_parameter: [] for f in CODE_FILTERS}}


MAX_VALUE_LENGTH = 40
# Keys a page keeps in the URL beside the global filters (its own choices, validated by the page),
# by the page's address: the Territoires indicator, the Comparer pair. Elsewhere they are unknown.
PAGE_KEYS: dict[str, frozenset[str]] = {"territoires": frozenset({"indicateur"}),
                                        "comparer": frozenset({"comparer", "a", "b"})}
# Rejected values a notice quotes, per key; the others are counted.
MAX_QUOTED = 3


@dataclass(frozen=True)
class Filters:
    """A valid selection. Empty tuples mean "all"; `year` None means the latest year."""

    year: int | None = None
    branches: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    families: tuple[str, ...] = ()
    occupations: tuple[str, ...] = ()
    sex: str | None = None
    age_bands: tuple[str, ...] = ()
    employer_sizes: tuple[str, ...] = ()
    notices: tuple[str, ...] = field(default=(), compare=False)

    @property
    def effective_year(self) -> int:
        return self.year if self.year is not None else reference.YEARS[-1]

    def without_notices(self) -> Filters:
        return replace(self, notices=())

    def is_empty(self) -> bool:
        return self.without_notices() == Filters()

    def occupation_codes(self) -> tuple[str, ...]:
        """Occupations selected directly or through their family (intersection when both)."""
        return _occupation_codes(self.families, self.occupations)

    def sql_parameters(self, year_from: int, year_to: int, honoured: frozenset[str]) -> dict[str, object]:
        """Named parameters of the filtered_* macros; filters a dataset lacks are left empty."""
        parameters: dict[str, object] = {"year_from": year_from, "year_to": year_to}
        for declared in CODE_FILTERS:
            values = self.occupation_codes() if declared is OCCUPATIONS else self.values_of(declared)
            parameters[declared.sql_parameter] = list(values) if declared.attribute in honoured else []
        return parameters

    def values_of(self, declared: GlobalFilter) -> tuple[str, ...]:
        """The codes selected for a filter (none: all)."""
        value = getattr(self, declared.attribute)
        return value if isinstance(value, tuple) else () if value is None else (str(value),)

    def unhonoured(self, honoured: frozenset[str]) -> list[str]:
        """French names of the active filters a dataset cannot apply (a family's, that of its
        occupations)."""
        return [declared.label for declared in CODE_FILTERS if declared is not FAMILIES
                and (self.occupation_codes() if declared is OCCUPATIONS else self.values_of(declared))
                and declared.attribute not in honoured]

    def to_query(self) -> dict[str, list[str]]:
        """URL query parameters (repeated keys for lists), only for the active filters."""
        result: dict[str, list[str]] = {}
        for declared in FILTERS:
            value = getattr(self, declared.attribute)
            if value is None or value == ():
                continue
            result[declared.url_key] = [str(v) for v in value] if isinstance(value, tuple) else [str(value)]
        return result


@lru_cache(maxsize=1024)
def occupations_of_families(families: tuple[str, ...]) -> tuple[str, ...]:
    """The occupations of the families, sorted. Cached: a page view asks about a thousand times,
    and the reference lists never change while the process runs."""
    return tuple(sorted(o for o, f in reference.family_of_occupation().items() if f in families))


@lru_cache(maxsize=1024)
def _occupation_codes(families: tuple[str, ...], occupations: tuple[str, ...]) -> tuple[str, ...]:
    from_families = occupations_of_families(families)
    if families and occupations:
        return tuple(o for o in occupations if o in from_families) or ("__none__",)
    return occupations or from_families


def from_query(params: Mapping[str, Sequence[str] | str], page: str | None = None) -> Filters:
    """Parse URL query parameters; bad values are dropped with a notice in `Filters.notices`, one
    per key whatever the number of values (a link of a thousand bad values says so in a line).
    `page`: the page's address, whose own keys (PAGE_KEYS) are not the filters' to judge."""
    lists = reference.code_lists()
    own = PAGE_KEYS.get(page or "", frozenset())
    values: dict[str, object] = {}
    notices: list[str] = []
    unknown: list[str] = []
    for key, raw in params.items():
        if key in own:
            continue
        if key not in BY_URL_KEY:
            unknown.append(key)
            continue
        declared = BY_URL_KEY[key]
        items = [raw] if isinstance(raw, str) else list(raw)
        kept: list[str] = []
        rejected: list[str] = []
        for item in items:
            text = str(item).strip()
            if len(text) > MAX_VALUE_LENGTH or text not in lists[declared.code_list]:
                rejected.append(text)
            elif text not in kept:
                kept.append(text)
        if rejected:
            notices.append(_quoted(rejected, f"Valeur ignorée pour {declared.label}",
                                   f"Valeurs ignorées pour {declared.label}")
                           + (" : ce ne sont pas des codes connus." if len(rejected) > 1
                              else " n'est pas un code connu."))
        if not kept:
            continue
        if not declared.several and len(kept) > 1:
            notices.append(f"Une seule valeur possible pour {declared.label} : « {kept[0]} » retenue.")
        if declared is YEAR:
            values[declared.attribute] = int(kept[0])
        elif declared.several:
            values[declared.attribute] = tuple(kept)
        else:
            values[declared.attribute] = kept[0]
    if unknown:
        notices.insert(0, _quoted(unknown, "Paramètre inconnu ignoré", "Paramètres inconnus ignorés") + ".")
    return Filters(**values, notices=tuple(notices))  # type: ignore[arg-type]


def _quoted(texts: list[str], one: str, several: str) -> str:
    """`one : « x »`, or `several : « x », « y », « z » et 7 autre(s)`."""
    quoted = ", ".join(f"« {shortened(text)} »" for text in texts[:MAX_QUOTED])
    more = f" et {len(texts) - MAX_QUOTED} autre(s)" if len(texts) > MAX_QUOTED else ""
    return f"{one if len(texts) == 1 else several} : {quoted}{more}"


def shortened(text: str, limit: int = 30) -> str:
    """A safe excerpt of a rejected value for a notice (no markup, bounded length)."""
    cleaned = "".join(ch if ch.isprintable() else "?" for ch in text)
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"
