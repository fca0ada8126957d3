-- employees_pay_per_employer_rollup: fragment of employees_pay (not run alone): the same rows
-- as employees_pay_per_employer read from the rollup; valid only when {dims} are among year,
-- branch, region, employer_size, total and no person-level filter is set.
-- Params: $year_from, $year_to, $branches, $regions, $sizes.
SELECT {dims}, employer_id, n, n_key, near_smic, near_smic_key, women, men, pay_sum, pay_women, pay_men,
    smic_sum
FROM filtered_employees_pay_by_employer($year_from, $year_to, $branches, $regions, $sizes)
