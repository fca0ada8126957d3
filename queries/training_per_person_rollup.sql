-- training_per_person_rollup: fragment of training_per_employer (not run alone): the same rows as
-- training_per_person read from the per-person rollup; valid only when {dims} are among the
-- rollup's columns (year, branch, region, employer_size, occupation, family, sex, age_band,
-- total) and a person's attributes are the same on all their actions of a year at an employer
-- (checked when the database is built: Warehouse.persons_rollup_exact).
-- Params: the filter parameters of filtered_training ($year_from ... $sizes).
SELECT * FROM filtered_training_by_person($year_from, $year_to, $branches, $regions, $occupations, $sexes, $age_bands, $sizes)
