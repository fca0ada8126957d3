-- vacancies_counts: per cell of {dims}, openings posted in the year and their outcome.
-- The per_employer placeholder takes the text of vacancies_per_employer (microdata) or of
-- rollup_rows / rollup_rows_group (same rows from a rollup, fewer to read: observatory/rollups.py).
-- The median delay of the same cells comes from the sorted delays (observatory/sorted_values.py,
-- sorted_delays.sql). Only the counts a measure reads are aggregated ($counts among n = openings,
-- unfilled = not filled by 31/12 of the posting year and not withdrawn, difficult, withdrawn,
-- filled).
-- The count_inputs placeholder takes counts_secrecy_inputs (the secrecy inputs of each count).
-- Params: the filter parameters of filtered_vacancies ({filter_arguments}), $counts.
-- Returns: {dims}, for each count X of $counts: X, X_employers, X_top, X_key.
WITH per_employer AS (
    {per_employer}
)
SELECT {dims},
    {count_inputs}
FROM per_employer
GROUP BY {dims}
ORDER BY {dims};
