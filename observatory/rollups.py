"""The rollups: per-(year, employer) sums of the counts queries, kept at several grains, and the
choice of the smallest one that gives a request's cells exactly.

An employer belongs to one branch, region and size class; a person is one row of one group of
occupation, sex and age band (for trainees: when their attributes are constant within a year at
one employer); an opening has one occupation. So a cell over those columns, under
filters on them, is an exact union of rollup rows: summing a rollup gives the microdata's
counts, cell keys and employer statistics. Coarser grains (sex only, family only...) have fewer
rows, and when every column a rollup keeps is either a dimension of the request or fixed to one
value by a filter, its rows are already the request's (cell, employer) rows: no grouping step.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from observatory.filters import CODE_FILTERS, FILTERS, OCCUPATIONS, occupations_of_families

# Columns every rollup keeps (an employer's attributes and the year: observatory/filters.py).
EMPLOYER_DIMENSIONS: tuple[str, ...] = (*(f.column for f in FILTERS if f.level == "employer"), "total")
# Person columns the filters act on; a rollup without one holds '*' there.
PERSON_COLUMNS: tuple[str, ...] = tuple(f.column for f in CODE_FILTERS if f.level == "person")
# Columns of a training action: a trainee may have several values, so a rollup keeping one serves
# only requests broken down by it (summing its rows over values would count a person twice).
ACTION_COLUMNS: frozenset[str] = frozenset({"scheme", "certification"})
# Kept columns in the order rows are sorted by (a family's occupations side by side).
SORT_PRIORITY: tuple[str, ...] = ("family", "occupation", "age_band", "age5", "sex", "contract", "scheme",
                                   "certification", "month")
# Filter parameter of each person column.
FILTER_OF: dict[str, str] = {f.column: f.sql_parameter for f in CODE_FILTERS if f.level == "person"}
# Named counts query -> the fragments that give its per-employer rows from the microdata.
MICRODATA: dict[str, dict[str, str]] = {
    "employees_counts": {"per_employer": "employees_per_employer"},
    "employees_pay": {"per_employer": "employees_pay_per_employer", "rows": "employees_per_employer"},
    "training_counts": {"per_employer": "training_per_employer", "per_person": "training_per_person"},
    "vacancies_counts": {"per_employer": "vacancies_per_employer"},
}
# Named counts query -> the fragment of its counts' secrecy inputs, whatever rows it reads.
COUNT_INPUTS: dict[str, dict[str, str]] = {query: {"count_inputs": "counts_secrecy_inputs"}
                                           for query in ("employees_counts", "vacancies_counts")}
# The per-employer rows of a headcount rollup (persons, their key and FTE only).
HEADCOUNT_ROWS = "build/employees_headcount_per_employer"
# The placeholder of each query that a rollup's rows fill instead of the microdata's.
ROWS_PLACEHOLDER: dict[str, str] = {"employees_counts": "per_employer", "employees_pay": "rows",
                                    "training_counts": "per_employer", "vacancies_counts": "per_employer"}


@dataclass(frozen=True)
class Rollup:
    table: str
    columns: tuple[str, ...]  # kept beside the employer's: person columns, a training action column
    parent: str | None = None  # the rollup it is summed from (None: the microdata)
    headcount: bool = False  # keeps the headcount (n, its key, FTE) only, not the other counts

    def covers(self, dims: tuple[str, ...], needed: frozenset[str]) -> bool:
        """Whether the request's cells are unions of this rollup's rows."""
        return needed <= set(self.columns) and ACTION_COLUMNS.intersection(self.columns) <= set(dims)

    def order(self) -> list[str]:
        """The sort of the rollup's rows: runs of one value of each kept column, coarse first."""
        kept = sorted(self.columns, key=SORT_PRIORITY.index)
        return ["year", *kept, "branch", "region", "employer_id"]

    @property
    def dataset(self) -> str:
        return self.table.split("_by_")[0]

    def enum_columns(self) -> tuple[str, ...]:
        """The text columns the rollup groups on, stored as enums of their dataset's values."""
        return (*EMPLOYER_DIMENSIONS[1:], *self.columns)

    @property
    def largest(self) -> str:
        """The fragment that keeps the rows' largest single values (*_max: pay, a trainee's hours
        and cost) when they are summed; none in the openings' rows nor the headcounts'."""
        return "rollup_nothing" if self.headcount or self.dataset == "vacancies" else "rollup_largest"

    def split_columns(self) -> tuple[str, ...]:
        """The columns that split an employer's rows (a family follows from its occupation)."""
        if "occupation" in self.columns:
            return tuple(c for c in self.columns if c != "family")
        return self.columns


def person_columns(dataset: str) -> tuple[str, ...]:
    """The person columns that the dataset's filters act on: those its group rollup keeps."""
    return tuple(f.column for f in CODE_FILTERS if f.level == "person" and dataset in f.datasets)


def _person_lattice() -> tuple[Rollup, ...]:
    """Employees' rollups, parents first: the group from the microdata; occupation (pay and counts
    by occupation, read as they are) and sex with age band (the pyramid's bands under a sex filter)
    from it; one person column each from those (the filters most used alone); the employer's from
    the smallest. Other pairs of person filters read the group: few of its rows pass both. The
    group is the longest to build (bench/README.md, section « Chiffres mesurés », « Génération »)."""
    return (
        Rollup("employees_by_group", person_columns("employees")),
        Rollup("employees_by_occupation", ("occupation", "family"), "employees_by_group"),
        Rollup("employees_by_sex_age_band", ("sex", "age_band"), "employees_by_group"),
        Rollup("employees_by_sex", ("sex",), "employees_by_sex_age_band"),
        Rollup("employees_by_age_band", ("age_band",), "employees_by_sex_age_band"),
        Rollup("employees_by_family", ("family",), "employees_by_occupation"),
        Rollup("employees_by_employer", (), "employees_by_sex"),
        # The age pyramid and the contracts of a portrait read headcounts only, much faster from
        # these than from the microdata, a sex filter included; three sums each, so that the
        # database builds no slower with them (bench/README.md, section « Ce qui a changé »,
        # « Effectifs seuls par sexe et âge fin, par sexe et contrat », « Agrégats stockés en
        # codes »).
        Rollup("employees_by_sex_age5", ("sex", "age5"), headcount=True),
        Rollup("employees_by_sex_contract", ("sex", "contract"), headcount=True),
    )


def _training_lattice() -> tuple[Rollup, ...]:
    """Trainees' rollups: distinct persons counted per group (and scheme, an action's), exact
    only when a person's attributes are constant (see `usable`); the employer's is counted from
    the microdata, and so are the certifications by sex (the top-ten chart, a sex filter included,
    reads it several times faster than the microdata: bench/README.md, section « Ce qui a changé »,
    « Trois agrégats de plus »)."""
    return (
        Rollup("training_by_employer", ()),
        Rollup("training_by_group", person_columns("training")),
        Rollup("training_by_group_scheme", (*person_columns("training"), "scheme")),
        Rollup("training_by_sex_age_band", ("sex", "age_band"), "training_by_group"),
        Rollup("training_by_sex", ("sex",), "training_by_sex_age_band"),
        Rollup("training_by_age_band", ("age_band",), "training_by_sex_age_band"),
        Rollup("training_by_family", ("family",), "training_by_group"),
        Rollup("training_by_scheme", ("scheme",), "training_by_group_scheme"),
        Rollup("training_by_sex_scheme", ("sex", "scheme"), "training_by_group_scheme"),
        Rollup("training_by_sex_certification", ("sex", "certification")),
    )


def _vacancies_lattice() -> tuple[Rollup, ...]:
    """Openings' rollups: an opening has one occupation, so any cell over occupations is a union
    of rows, as for persons; the family's (a family filter over ten years, read as it is:
    bench/README.md, section « Ce qui a changé », « Offres par famille ») and the employer's from
    it. (The month of posting would make the first three times larger for one breakdown: those
    cells read the microdata.)"""
    return (
        Rollup("vacancies_by_occupation", ("occupation", "family")),
        Rollup("vacancies_by_family", ("family",), "vacancies_by_occupation"),
        Rollup("vacancies_by_employer", (), "vacancies_by_occupation"),
    )


EMPLOYEES = _person_lattice()
TRAINING = _training_lattice()
VACANCIES = _vacancies_lattice()
BY_TABLE: dict[str, Rollup] = {rollup.table: rollup for rollup in (*EMPLOYEES, *TRAINING, *VACANCIES)}
# Dataset -> its text columns that rollups keep (each an enum type of the database).
ENUM_COLUMNS: dict[str, tuple[str, ...]] = {
    dataset: tuple(dict.fromkeys(c for rollup in lattice for c in rollup.enum_columns()))
    for dataset, lattice in (("employees", EMPLOYEES), ("training", TRAINING), ("vacancies", VACANCIES))
}
# Counts query -> its rollups, in build order (the employees' hold the paid population's sums too).
ROLLUPS: dict[str, tuple[Rollup, ...]] = {
    "employees_counts": EMPLOYEES, "employees_pay": EMPLOYEES, "training_counts": TRAINING,
    "vacancies_counts": VACANCIES,
}
# Each rollup once, parents first, with the microdata fragments its rows come from: those of the
# first query it serves, its per-employer rows as the table's rows.
BUILDS: tuple[tuple[Rollup, dict[str, str]], ...] = tuple(
    (rollup, {"rows": HEADCOUNT_ROWS} if rollup.headcount else
     {"rows" if placeholder == "per_employer" else placeholder: fragment
      for placeholder, fragment in MICRODATA[query].items()})
    for query, lattice in (("employees_counts", EMPLOYEES), ("training_counts", TRAINING),
                           ("vacancies_counts", VACANCIES))
    for rollup in lattice
)


@dataclass(frozen=True)
class Source:
    """Where a counts query reads its per-employer rows: fragments and the rollup table named."""
    fragments: dict[str, str]
    identifiers: dict[str, list[str]]


def usable(query: str, rollup: Rollup, persons_exact: bool, parameters: Mapping[str, object]) -> bool:
    """A trainee is one row of one group only when their attributes are constant in a year at an
    employer (checked when the database is built); the employer-only rollup counts persons from
    the microdata and is always exact. A headcount rollup serves headcounts only."""
    if rollup.headcount:
        return query == "employees_counts" and parameters.get("counts") == ["n"]
    return query != "training_counts" or not rollup.columns or persons_exact


def needed_columns(dims: tuple[str, ...], parameters: Mapping[str, object]) -> frozenset[str]:
    """Columns beside the employer's that the request groups or filters on."""
    needed = set(dims) - set(EMPLOYER_DIMENSIONS)
    for column in FILTER_OF:
        if column != OCCUPATIONS.column and parameters[FILTER_OF[column]]:
            needed.add(column)
    occupations = set(parameters["occupations"])  # type: ignore[arg-type]
    families = tuple(parameters["families"])  # type: ignore[arg-type]
    if occupations and occupations != set(occupations_of_families(families)):
        needed.add("occupation")  # chosen directly, not only through their families
    return frozenset(needed)


def choose(query: str, dims: tuple[str, ...], parameters: Mapping[str, object], rows: Mapping[str, int],
           persons_exact: bool) -> Source:
    """The smallest rollup (by `rows`, the tables' row counts) that gives the cells of `query` over
    `dims` under `parameters`, read directly when its rows are already (cell, employer) rows;
    else the microdata."""
    if query not in ROLLUPS:
        return Source({}, {})
    needed = needed_columns(dims, parameters)
    candidates = [r for r in ROLLUPS[query]
                  if r.covers(dims, needed) and r.table in rows and usable(query, r, persons_exact, parameters)]
    if not candidates:
        return Source({**MICRODATA[query], **COUNT_INPUTS.get(query, {})}, {})
    best = min(candidates, key=lambda r: rows[r.table])
    as_is = all(c in dims or (c in FILTER_OF and len(parameters[FILTER_OF[c]]) == 1)  # type: ignore[arg-type]
                for c in best.split_columns())
    return reading(query, best.table, as_is)


def reading(query: str, table: str, as_is: bool) -> Source:
    """`query` reading the rollup `table`: its rows as they are, or summed per (cell, employer)."""
    fragments = {**MICRODATA[query], **COUNT_INPUTS.get(query, {}),
                 ROWS_PLACEHOLDER[query]: "rollup_rows" if as_is else "rollup_rows_group"}
    fragments.pop("per_person", None)  # trainees are already distinct persons in a rollup
    if not as_is:
        fragments["largest"] = BY_TABLE[table].largest  # after the fragment that holds it
    return Source(fragments, {"rollup": [table]})
