-- employees_pay: per cell of {dims}, the paid population of gross monthly pay in full-time
-- equivalent, apprentices and contrats de professionnalisation excluded (INSEE convention):
-- its secrecy inputs, means and closeness to the SMIC. Every column is a sum over employers, so
-- the per_employer placeholder takes employees_pay_per_employer, over the microdata's rows or
-- a rollup's (same rows, fewer to read: observatory/rollups.py). The quantiles of
-- the same cells come from the sorted pay (observatory/sorted_values.py, sorted_pay.sql):
-- an exact quantile is a position in sorted values, which no sum over employers can give.
-- Params: the filter parameters of filtered_employees ($year_from ... $sizes).
-- Returns: {dims}, n/n_employers/n_top/n_key (secrecy inputs of the paid population), mean,
-- mean_women, n_women, women_employers, women_top, mean_men, n_men, men_employers, men_top,
-- near_smic (count below 1.1 SMIC of the year, with its secrecy inputs), smic (mean SMIC of the
-- cell's years, weighted by rows).
WITH per_employer AS (
    {per_employer}
)
SELECT {dims},
    sum(n) AS n, count(*) AS n_employers, max(n) AS n_top, sum(n_key) AS n_key,
    sum(pay_sum) / sum(n) AS mean,
    sum(pay_women) / nullif(sum(women), 0) AS mean_women, sum(women) AS n_women,
    count_if(women > 0) AS women_employers, max(women) AS women_top,
    sum(pay_men) / nullif(sum(men), 0) AS mean_men, sum(men) AS n_men,
    count_if(men > 0) AS men_employers, max(men) AS men_top,
    sum(near_smic) AS near_smic, count_if(near_smic > 0) AS near_smic_employers,
    max(near_smic) AS near_smic_top, sum(near_smic_key) AS near_smic_key,
    sum(smic_sum) / sum(n) AS smic
FROM per_employer
GROUP BY {dims}
ORDER BY {dims};
