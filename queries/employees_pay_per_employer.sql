-- employees_pay_per_employer: fragment of employees_pay (not run alone): for each (cell of
-- {dims}, employer), the paid persons (apprentices and contrats de professionnalisation
-- excluded), those below 1.1 SMIC of the year, women and men.
-- Params: the filter parameters of filtered_employees ($year_from ... $sizes).
SELECT {dims}, employer_id,
    count(*) AS n, sum(rkey) AS n_key,
    count(*) FILTER (gross_monthly_fte < 1.1 * s.monthly_gross) AS near_smic,
    coalesce(sum(rkey) FILTER (gross_monthly_fte < 1.1 * s.monthly_gross), 0) AS near_smic_key,
    count(*) FILTER (sex = 'F') AS women, count(*) FILTER (sex = 'M') AS men
FROM filtered_employees($year_from, $year_to, $branches, $regions, $occupations, $sexes, $age_bands, $sizes)
JOIN smic AS s USING (year)
WHERE contract NOT IN ('apprentissage', 'contrat_pro')
GROUP BY {dims}, employer_id
