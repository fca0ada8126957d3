-- build_rollup_table: the rollup {table}, empty, with the columns of a fragment's rows (per
-- employer, per employer and group of persons, per employer and group of trainees) grouped by
-- {dims}, and its filter macro (observatory/rollups.py says which rollup serves which request).
-- build_rollup_retype then sets the columns' storage types and build_rollup_rows fills it. A
-- person is one row of one group, so any cell over these columns, under any filter on them, is
-- an exact union of rows. Filter columns the rollup does not keep are added by
-- build_rollup_column ('*'); the chooser never filters on them, except occupations expanded
-- from families, which a rollup with families but no occupations filters on the family.
-- Params: the filter parameters, all open. Needs the datasets and build_filters.
CREATE TABLE {table} AS
SELECT * FROM (
    {rows}
)
LIMIT 0;

CREATE MACRO filtered_{table}(year_from, year_to, branches, regions, occupations, families, sexes, age_bands, sizes) AS TABLE
SELECT * FROM {table}
WHERE year BETWEEN year_from AND year_to                                   -- period
  AND (len(branches) = 0 OR list_contains(branches, branch))               -- branches
  AND (len(regions) = 0 OR list_contains(regions, region))                 -- regions
  AND (len(occupations) = 0 OR occupation = '*' OR list_contains(occupations, occupation))  -- occupations (none kept: by family)
  AND (len(families) = 0 OR list_contains(families, family))               -- families
  AND (len(sexes) = 0 OR list_contains(sexes, sex))                        -- sex
  AND (len(age_bands) = 0 OR list_contains(age_bands, age_band))           -- age bands
  AND (len(sizes) = 0 OR list_contains(sizes, employer_size));             -- employer size
