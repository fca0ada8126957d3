-- build_rollup_table: the table {table}, the rows of a fragment (per employer and group of
-- persons, or per trained person) over all the microdata grouped by {dims}, and its filter
-- macro. A person is one row of one group, so any cell over these columns, under any filter, is
-- an exact union of rows: person filters and breakdowns read several times fewer rows, with
-- plain sums in place of conditional counts (per-person training rows: exact only when a
-- person's attributes are constant, see training_persons_check).
-- Params: the filter parameters, all open. Needs the datasets and build_filters.
CREATE TABLE {table} AS
SELECT * FROM (
    {rows}
)
ORDER BY year, branch, region, employer_id;

CREATE MACRO filtered_{table}(year_from, year_to, branches, regions, occupations, sexes, age_bands, sizes) AS TABLE
SELECT * FROM {table}
WHERE year BETWEEN year_from AND year_to                                   -- period
  AND (len(branches) = 0 OR list_contains(branches, branch))               -- branches
  AND (len(regions) = 0 OR list_contains(regions, region))                 -- regions
  AND (len(occupations) = 0 OR list_contains(occupations, occupation))     -- occupations (families expanded)
  AND (len(sexes) = 0 OR list_contains(sexes, sex))                        -- sex
  AND (len(age_bands) = 0 OR list_contains(age_bands, age_band))           -- age bands
  AND (len(sizes) = 0 OR list_contains(sizes, employer_size));             -- employer size
