-- employees_pay: per cell of {dims}, the paid population of gross monthly pay in full-time
-- equivalent, apprentices and contrats de professionnalisation excluded (INSEE convention):
-- the counts means are divided by and the sums they are made of, each count with its secrecy
-- inputs, beside the secrecy inputs of every person present (the population pay inherits its
-- secrecy from). Every column is a sum or a maximum over employers, so the per_employer
-- placeholder takes employees_pay_per_employer, over the microdata's rows or a rollup's (same
-- rows, fewer to read: observatory/rollups.py). The quantiles of the same cells come from the
-- sorted pay (observatory/sorted_values.py, sorted_pay.sql): an exact quantile is a position
-- in sorted values, which no sum over employers can give. The sums are perturbed and the counts
-- published by observatory/protection.py, never here.
-- Params: the filter parameters of filtered_employees ({filter_arguments}).
-- Returns: {dims}; persons, persons_employers, persons_top (everyone present); for each count X
-- in (n = the paid, near_smic = the paid below 1.1 SMIC of the year, women and men = the paid of
-- each sex): X, X_employers (employers with X > 0), X_top (largest employer's X), X_key (cell
-- key), and but for near_smic X_pay (their pay, summed) and X_pay_max (the largest single pay);
-- smic (mean SMIC of the cell's paid rows: one year's SMIC, a cell covers one year).
-- The columns are named by a list, as in employees_counts.
WITH per_employer AS (
    {per_employer}
)
SELECT {dims},
    sum(persons) AS persons, count(*) AS persons_employers, max(persons) AS persons_top,
    sum(COLUMNS(['n', 'near_smic', 'women', 'men'])),
    count_if(COLUMNS(['n', 'near_smic', 'women', 'men']) > 0) AS '\0_employers',
    max(COLUMNS(['n', 'near_smic', 'women', 'men'])) AS '\0_top',
    sum(COLUMNS(['n_key', 'near_smic_key', 'women_key', 'men_key'])),
    sum(COLUMNS(['n_pay', 'women_pay', 'men_pay'])),
    max(COLUMNS(['n_pay_max', 'women_pay_max', 'men_pay_max'])),
    sum(smic_sum) / nullif(sum(n), 0) AS smic
FROM per_employer
GROUP BY {dims}
ORDER BY {dims};
