-- employees_counts: per cell of {dims}, headcount-type counts of persons present in the year,
-- each with the inputs of statistical secrecy (rows, employers, largest employer, cell key).
-- The per_employer placeholder takes the text of employees_per_employer (microdata) or of
-- rollup_rows / rollup_rows_group (same rows from a rollup, fewer to read: observatory/rollups.py).
-- Only the counts a measure reads are aggregated ($counts among n, women, part_time, aged_55,
-- aged_57, aged_52, hired, left; observatory/indicators.py): the aggregates are most of a query's
-- time (bench/README.md, section « Ce qui a changé », « Ne sommer que ce que la mesure lit »).
-- The count_inputs placeholder takes counts_secrecy_inputs (the secrecy inputs of each count).
-- Params: the filter parameters of filtered_employees ({filter_arguments}), $counts.
-- Returns: {dims}, then for each count X of $counts: X, X_employers (employers with X > 0),
-- X_top (largest employer's X), X_key (cell key); then fte (sum).
WITH per_employer AS (
    {per_employer}
)
SELECT {dims},
    {count_inputs},
    sum(fte) AS fte
FROM per_employer
GROUP BY {dims}
ORDER BY {dims};
