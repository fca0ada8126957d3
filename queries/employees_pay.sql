-- employees_pay: per cell of {dims}, the paid population of gross monthly pay in full-time
-- equivalent, apprentices and contrats de professionnalisation excluded (INSEE convention):
-- the sums that means are made of and the counts they are divided by, each count with its
-- secrecy inputs, beside the count of every person present (the population pay inherits its
-- secrecy from). Every column is a sum or a maximum over employers, so the per_employer
-- placeholder takes employees_pay_per_employer, over the microdata's rows or a rollup's (same
-- rows, fewer to read: observatory/rollups.py). The quantiles of the same cells come from the
-- sorted pay (observatory/sorted_values.py, sorted_pay.sql): an exact quantile is a position
-- in sorted values, which no sum over employers can give. The sums are perturbed and the
-- counts published by observatory/protection.py, never here.
-- Params: the filter parameters of filtered_employees ($year_from ... $sizes).
-- Returns: {dims}; for each count X in (persons = everyone present, n = the paid, near_smic =
-- the paid below 1.1 SMIC of the year, women and men = the paid of each sex): X, X_employers
-- (employers with X > 0), X_top (largest employer's X), X_key (cell key); the pay sums pay_sum,
-- pay_women, pay_men, each with its largest single pay (pay_max, pay_women_max, pay_men_max);
-- smic (mean SMIC of the cell's paid rows: one year's SMIC, a cell covers one year).
WITH per_employer AS (
    {per_employer}
)
SELECT {dims},
    sum(persons) AS persons, count(*) AS persons_employers, max(persons) AS persons_top,
    sum(persons_key) AS persons_key,
    sum(n) AS n, count_if(n > 0) AS n_employers, max(n) AS n_top, sum(n_key) AS n_key,
    sum(near_smic) AS near_smic, count_if(near_smic > 0) AS near_smic_employers,
    max(near_smic) AS near_smic_top, sum(near_smic_key) AS near_smic_key,
    sum(women) AS women, count_if(women > 0) AS women_employers, max(women) AS women_top,
    sum(women_key) AS women_key,
    sum(men) AS men, count_if(men > 0) AS men_employers, max(men) AS men_top, sum(men_key) AS men_key,
    sum(pay_sum) AS pay_sum, max(pay_max) AS pay_max,
    sum(pay_women) AS pay_women, max(pay_women_max) AS pay_women_max,
    sum(pay_men) AS pay_men, max(pay_men_max) AS pay_men_max,
    sum(smic_sum) / nullif(sum(n), 0) AS smic
FROM per_employer
GROUP BY {dims}
ORDER BY {dims};
