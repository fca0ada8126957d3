-- build_rollup_table: the rollup {table}, the rows of a fragment (per employer, per employer
-- and group of persons, per employer and group of trainees) over all the data grouped by {dims},
-- and its filter macro (observatory/rollups.py says which rollup serves which request). A
-- person is one row of one group, so any cell over these columns, under any filter on them, is
-- an exact union of rows. Filter columns the rollup does not keep are added by
-- build_rollup_column ('*'); the chooser never filters on them, except occupations expanded
-- from families, which a rollup with families but no occupations filters on the family. Rows
-- are sorted by year, then the columns kept, then branch and region: a person filter reads a few
-- runs of rows, not a few rows spread over the whole table.
-- Params: the filter parameters, all open. Needs the datasets and build_filters.
CREATE TABLE {table} AS
SELECT * FROM (
    {rows}
)
ORDER BY {order};

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
