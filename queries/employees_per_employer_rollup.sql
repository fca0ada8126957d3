-- employees_per_employer_rollup: fragment of employees_counts (not run alone): the same rows
-- as employees_per_employer, read from the per-employer rollup; valid only when {dims} are
-- among year, branch, region, employer_size, total and no person-level filter is set.
-- Params: $year_from, $year_to, $branches, $regions, $sizes.
SELECT {dims}, employer_id, n, n_key, women, women_key, part_time, part_time_key, aged_55, aged_55_key,
    aged_57, aged_57_key, aged_52, aged_52_key, hired, hired_key, "left", left_key, fte
FROM filtered_employees_by_employer($year_from, $year_to, $branches, $regions, $sizes)
