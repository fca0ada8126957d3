-- vacancies_counts: per cell of {dims}, openings posted in the year and their outcome.
-- The per_employer placeholder takes the text of vacancies_per_employer (microdata) or of
-- rollup_rows / rollup_rows_group (same rows from a rollup, fewer to read: observatory/rollups.py).
-- The median delay of the same cells comes from the sorted delays (observatory/sorted_values.py,
-- sorted_delays.sql).
-- Params: the filter parameters of filtered_vacancies ($year_from ... $sizes).
-- Returns: {dims}, for each count X in (n = openings, unfilled = not filled by 31/12 of the
-- posting year and not withdrawn, difficult, withdrawn, filled): X, X_employers, X_top, X_key.
WITH per_employer AS (
    {per_employer}
)
SELECT {dims},
    sum(n) AS n,                 count(*) AS n_employers,                              max(n) AS n_top,                 sum(n_key) AS n_key,
    sum(unfilled) AS unfilled,   count_if(unfilled > 0) AS unfilled_employers,  max(unfilled) AS unfilled_top,   sum(unfilled_key) AS unfilled_key,
    sum(difficult) AS difficult, count_if(difficult > 0) AS difficult_employers, max(difficult) AS difficult_top, sum(difficult_key) AS difficult_key,
    sum(withdrawn) AS withdrawn, count_if(withdrawn > 0) AS withdrawn_employers, max(withdrawn) AS withdrawn_top, sum(withdrawn_key) AS withdrawn_key,
    sum(filled) AS filled,       count_if(filled > 0) AS filled_employers,      max(filled) AS filled_top,       sum(filled_key) AS filled_key
FROM per_employer
GROUP BY {dims}
ORDER BY {dims};
