-- employees_pay_per_employer: fragment of employees_pay (not run alone): for each (cell of
-- {dims}, employer), the paid persons (apprentices and contrats de professionnalisation
-- excluded), those below 1.1 SMIC of the year, women and men, and the sums of pay (all, women,
-- men) and of the year's SMIC that means are made of: additive, so the rollup serves them too.
-- Params: the filter parameters of filtered_employees ($year_from ... $sizes).
SELECT {dims}, employer_id,
    count(*) AS n, sum(rkey) AS n_key,
    count_if(gross_monthly_fte < 1.1 * s.monthly_gross) AS near_smic,
    sum(rkey * (gross_monthly_fte < 1.1 * s.monthly_gross)::INTEGER) AS near_smic_key,
    count_if(sex = 'F') AS women, count_if(sex = 'M') AS men,
    sum(gross_monthly_fte) AS pay_sum,
    sum(gross_monthly_fte * (sex = 'F')::INTEGER) AS pay_women,
    sum(gross_monthly_fte * (sex = 'M')::INTEGER) AS pay_men,
    sum(s.monthly_gross) AS smic_sum
FROM filtered_employees($year_from, $year_to, $branches, $regions, $occupations, $sexes, $age_bands, $sizes)
JOIN smic AS s USING (year)
WHERE contract NOT IN ('apprentissage', 'contrat_pro')
GROUP BY {dims}, employer_id
