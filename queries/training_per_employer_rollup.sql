-- training_per_employer_rollup: fragment of training_counts (not run alone): the same rows as
-- training_per_employer read from the rollup; valid only when {dims} are among year, branch,
-- region, employer_size, total and no person-level filter is set.
-- Params: $year_from, $year_to, $branches, $regions, $sizes.
SELECT {dims}, employer_id, n, n_key, alternance, alternance_key, actions, hours, cost
FROM filtered_training_by_employer($year_from, $year_to, $branches, $regions, $sizes)
