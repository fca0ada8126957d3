-- training_per_person_scheme_rollup: fragment of training_per_employer (not run alone): the same
-- rows as training_per_person read from the per-person-and-scheme rollup; valid only when {dims}
-- are among the rollup's columns (those of training_per_person_rollup and scheme), on the same
-- condition.
-- Params: the filter parameters of filtered_training ($year_from ... $sizes).
SELECT * FROM filtered_training_by_person_scheme($year_from, $year_to, $branches, $regions, $occupations, $sexes, $age_bands, $sizes)
