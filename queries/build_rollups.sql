-- build_rollups: employees, paid employees and trainees summed per (year, employer), by the
-- very fragments that employees_counts, employees_pay and training_counts use, grouped by year, branch, region,
-- employer_size and total over every row. An employer belongs to one branch, region and size
-- class, so any cell over those dimensions is an exact union of these rows: counts, keys and
-- employer statistics read here equal those from the microdata, about 18 times fewer rows.
-- Params: the filter parameters, all open. Needs the datasets and build_filters.
CREATE TABLE employees_by_employer AS
SELECT * FROM (
    {employees_per_employer}
)
ORDER BY year, branch, region, employer_id;

CREATE MACRO filtered_employees_by_employer(year_from, year_to, branches, regions, sizes) AS TABLE
SELECT * FROM employees_by_employer
WHERE year BETWEEN year_from AND year_to                                   -- period
  AND (len(branches) = 0 OR list_contains(branches, branch))               -- branches
  AND (len(regions) = 0 OR list_contains(regions, region))                 -- regions
  AND (len(sizes) = 0 OR list_contains(sizes, employer_size));             -- employer size

CREATE TABLE employees_pay_by_employer AS
SELECT * FROM (
    {employees_pay_per_employer}
)
ORDER BY year, branch, region, employer_id;

CREATE MACRO filtered_employees_pay_by_employer(year_from, year_to, branches, regions, sizes) AS TABLE
SELECT * FROM employees_pay_by_employer
WHERE year BETWEEN year_from AND year_to                                   -- period
  AND (len(branches) = 0 OR list_contains(branches, branch))               -- branches
  AND (len(regions) = 0 OR list_contains(regions, region))                 -- regions
  AND (len(sizes) = 0 OR list_contains(sizes, employer_size));             -- employer size

CREATE TABLE training_by_employer AS
SELECT * FROM (
    {training_per_employer}
)
ORDER BY year, branch, region, employer_id;

CREATE MACRO filtered_training_by_employer(year_from, year_to, branches, regions, sizes) AS TABLE
SELECT * FROM training_by_employer
WHERE year BETWEEN year_from AND year_to                                   -- period
  AND (len(branches) = 0 OR list_contains(branches, branch))               -- branches
  AND (len(regions) = 0 OR list_contains(regions, region))                 -- regions
  AND (len(sizes) = 0 OR list_contains(sizes, employer_size));             -- employer size
