-- build_filters: one table macro per dataset that applies the global filters, so every named
-- query filters the same way. An empty list means "no filter on this column".
-- Parameters of each macro: year_from, year_to, branches, regions, occupations, sexes,
-- age_bands, sizes (lists of codes); datasets without a column ignore its filter.
CREATE MACRO filtered_employees(year_from, year_to, branches, regions, occupations, sexes, age_bands, sizes) AS TABLE
SELECT * FROM employees
WHERE year BETWEEN year_from AND year_to                                   -- period
  AND (len(branches) = 0 OR list_contains(branches, branch))               -- branches
  AND (len(regions) = 0 OR list_contains(regions, region))                 -- regions
  AND (len(occupations) = 0 OR list_contains(occupations, occupation))     -- occupations (families expanded)
  AND (len(sexes) = 0 OR list_contains(sexes, sex))                        -- sex
  AND (len(age_bands) = 0 OR list_contains(age_bands, age_band))           -- age bands
  AND (len(sizes) = 0 OR list_contains(sizes, employer_size));             -- employer size

CREATE MACRO filtered_vacancies(year_from, year_to, branches, regions, occupations, sexes, age_bands, sizes) AS TABLE
SELECT * FROM vacancies
WHERE year BETWEEN year_from AND year_to                                   -- period (year posted)
  AND (len(branches) = 0 OR list_contains(branches, branch))               -- branches
  AND (len(regions) = 0 OR list_contains(regions, region))                 -- regions
  AND (len(occupations) = 0 OR list_contains(occupations, occupation))     -- occupations (families expanded)
  AND (len(sizes) = 0 OR list_contains(sizes, employer_size));             -- employer size (sex, age: n/a)

CREATE MACRO filtered_training(year_from, year_to, branches, regions, occupations, sexes, age_bands, sizes) AS TABLE
SELECT * FROM training
WHERE year BETWEEN year_from AND year_to                                   -- period
  AND (len(branches) = 0 OR list_contains(branches, branch))               -- branches
  AND (len(regions) = 0 OR list_contains(regions, region))                 -- regions
  AND (len(occupations) = 0 OR list_contains(occupations, occupation))     -- occupations (families expanded)
  AND (len(sexes) = 0 OR list_contains(sexes, sex))                        -- sex
  AND (len(age_bands) = 0 OR list_contains(age_bands, age_band))           -- age bands
  AND (len(sizes) = 0 OR list_contains(sizes, employer_size));             -- employer size
