-- build_person_rollups: the table {table}: training_per_person over all rows, one row per person
-- trained in a year at an employer and per cell of {dims}, and its filter macro. Counting these
-- rows per employer skips the costly step that makes trainees distinct, exactly when a person's
-- attributes are the same on all their actions (training_persons_check).
-- Params: the filter parameters, all open. Needs the datasets and build_filters.
CREATE TABLE {table} AS
SELECT * FROM (
    {per_person}
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
