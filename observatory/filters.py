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

# URL key -> (Filters attribute, code list name, several values allowed)
URL_KEYS: dict[str, tuple[str, str, bool]] = {
    "annee": ("year", "year", False),
    "branche": ("branches", "branch", True),
    "region": ("regions", "region", True),
    "famille": ("families", "family", True),
    "metier": ("occupations", "occupation", True),
    "sexe": ("sex", "sex", False),
    "age": ("age_bands", "age_band", True),
    "taille": ("employer_sizes", "employer_size", True),
}
URL_LABELS: dict[str, str] = {
    "annee": "année", "branche": "branche", "region": "région", "famille": "famille de métiers",
    "metier": "métier", "sexe": "sexe", "age": "tranche d'âge", "taille": "taille de structure",
}
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
        def keep(name: str, values: tuple[str, ...]) -> list[str]:
            return list(values) if name in honoured else []
        return {
            "year_from": year_from,
            "year_to": year_to,
            "branches": keep("branches", self.branches),
            "regions": keep("regions", self.regions),
            "occupations": keep("occupations", self.occupation_codes()),
            "families": keep("occupations", self.families),  # for the rollups that keep families only
            "sexes": keep("sex", (self.sex,) if self.sex else ()),
            "age_bands": keep("age_bands", self.age_bands),
            "sizes": keep("employer_sizes", self.employer_sizes),
        }

    def unhonoured(self, honoured: frozenset[str]) -> list[str]:
        """French names of the active filters a dataset cannot apply."""
        active = {
            "branches": self.branches, "regions": self.regions,
            "occupations": self.occupation_codes(), "sex": self.sex, "age_bands": self.age_bands,
            "employer_sizes": self.employer_sizes,
        }
        names = {"branches": "branche", "regions": "région", "occupations": "métier",
                 "sex": "sexe", "age_bands": "tranche d'âge", "employer_sizes": "taille de structure"}
        return [names[k] for k, v in active.items() if v and k not in honoured]

    def to_query(self) -> dict[str, list[str]]:
        """URL query parameters (repeated keys for lists), only for the active filters."""
        result: dict[str, list[str]] = {}
        for key, (attribute, _codes, _many) in URL_KEYS.items():
            value = getattr(self, attribute)
            if value is None or value == ():
                continue
            result[key] = [str(v) for v in value] if isinstance(value, tuple) else [str(value)]
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
        if key not in URL_KEYS:
            unknown.append(key)
            continue
        attribute, list_name, many = URL_KEYS[key]
        items = [raw] if isinstance(raw, str) else list(raw)
        kept: list[str] = []
        rejected: list[str] = []
        for item in items:
            text = str(item).strip()
            if len(text) > MAX_VALUE_LENGTH or text not in lists[list_name]:
                rejected.append(text)
            elif text not in kept:
                kept.append(text)
        if rejected:
            notices.append(_quoted(rejected, f"Valeur ignorée pour {URL_LABELS[key]}",
                                   f"Valeurs ignorées pour {URL_LABELS[key]}")
                           + (" : ce ne sont pas des codes connus." if len(rejected) > 1
                              else " n'est pas un code connu."))
        if not kept:
            continue
        if not many and len(kept) > 1:
            notices.append(f"Une seule valeur possible pour {URL_LABELS[key]} : « {kept[0]} » retenue.")
        if attribute == "year":
            values[attribute] = int(kept[0])
        elif attribute == "sex":
            values[attribute] = kept[0]
        else:
            values[attribute] = tuple(kept)
    if unknown:
        notices.insert(0, _quoted(unknown, "Paramètre inconnu ignoré", "Paramètres inconnus ignorés") + ".")
    return Filters(**values, notices=tuple(notices))  # type: ignore[arg-type]


def _quoted(texts: list[str], one: str, several: str) -> str:
    """`one : « x »`, or `several : « x », « y », « z » et 7 autre(s)`."""
    quoted = ", ".join(f"« {_shorten(text)} »" for text in texts[:MAX_QUOTED])
    more = f" et {len(texts) - MAX_QUOTED} autre(s)" if len(texts) > MAX_QUOTED else ""
    return f"{one if len(texts) == 1 else several} : {quoted}{more}"


def _shorten(text: str, limit: int = 30) -> str:
    """A safe excerpt of a rejected value for a notice (no markup, bounded length)."""
    cleaned = "".join(ch if ch.isprintable() else "?" for ch in text)
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"
