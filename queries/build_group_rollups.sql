-- build_group_rollups: employees and paid employees summed per (year, employer, occupation,
-- sex, age band), by the very fragments employees_counts and employees_pay use, grouped by
-- {dims}. A person is one row of one such group, so any cell over these columns, under any
-- filter, is an exact union of groups: person filters (sex, age, occupation) and breakdowns
-- read here about 3 times fewer rows than the microdata, with plain sums in place of the
-- conditional counts.
-- Params: the filter parameters, all open. Needs the datasets and build_filters.
CREATE TABLE employees_by_group AS
SELECT * FROM (
    {employees_per_employer}
)
ORDER BY year, branch, region, employer_id;

CREATE MACRO filtered_employees_by_group(year_from, year_to, branches, regions, occupations, sexes, age_bands, sizes) AS TABLE
SELECT * FROM employees_by_group
WHERE year BETWEEN year_from AND year_to                                   -- period
  AND (len(branches) = 0 OR list_contains(branches, branch))               -- branches
  AND (len(regions) = 0 OR list_contains(regions, region))                 -- regions
  AND (len(occupations) = 0 OR list_contains(occupations, occupation))     -- occupations (families expanded)
  AND (len(sexes) = 0 OR list_contains(sexes, sex))                        -- sex
  AND (len(age_bands) = 0 OR list_contains(age_bands, age_band))           -- age bands
  AND (len(sizes) = 0 OR list_contains(sizes, employer_size));             -- employer size

CREATE TABLE employees_pay_by_group AS
SELECT * FROM (
    {employees_pay_per_employer}
)
ORDER BY year, branch, region, employer_id;

CREATE MACRO filtered_employees_pay_by_group(year_from, year_to, branches, regions, occupations, sexes, age_bands, sizes) AS TABLE
SELECT * FROM employees_pay_by_group
WHERE year BETWEEN year_from AND year_to                                   -- period
  AND (len(branches) = 0 OR list_contains(branches, branch))               -- branches
  AND (len(regions) = 0 OR list_contains(regions, region))                 -- regions
  AND (len(occupations) = 0 OR list_contains(occupations, occupation))     -- occupations (families expanded)
  AND (len(sexes) = 0 OR list_contains(sexes, sex))                        -- sex
  AND (len(age_bands) = 0 OR list_contains(age_bands, age_band))           -- age bands
  AND (len(sizes) = 0 OR list_contains(sizes, employer_size));             -- employer size
