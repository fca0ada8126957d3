-- employees_pay_per_employer_group: fragment of employees_pay (not run alone): the same rows as
-- employees_pay_per_employer, summed from the per-group rollup; valid only when {dims} are
-- among year, branch, region, employer_size, occupation, family, sex, age_band, total.
-- Params: the filter parameters of filtered_employees ($year_from ... $sizes).
SELECT {dims}, employer_id,
    sum(n)::BIGINT AS n, sum(n_key) AS n_key,
    sum(near_smic)::BIGINT AS near_smic, sum(near_smic_key) AS near_smic_key,
    sum(women)::BIGINT AS women, sum(men)::BIGINT AS men,
    sum(pay_sum) AS pay_sum, sum(pay_women) AS pay_women, sum(pay_men) AS pay_men, sum(smic_sum) AS smic_sum
FROM filtered_employees_pay_by_group($year_from, $year_to, $branches, $regions, $occupations, $sexes, $age_bands, $sizes)
GROUP BY {dims}, employer_id
