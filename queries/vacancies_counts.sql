-- vacancies_counts: per cell of {dims}, openings posted in the year and their outcome.
-- The per_employer placeholder takes the text of vacancies_per_employer (microdata) or of
-- rollup_rows / rollup_rows_group (same rows from a rollup, fewer to read: observatory/rollups.py).
-- The median delay of the same cells comes from the sorted delays (observatory/sorted_values.py,
-- sorted_delays.sql). Only the counts a measure reads are aggregated ($counts among n = openings,
-- unfilled = not filled by 31/12 of the posting year and not withdrawn, difficult, withdrawn,
-- filled).
-- Params: the filter parameters of filtered_vacancies ($year_from ... $sizes), $counts.
-- Returns: {dims}, for each count X of $counts: X, X_employers, X_top, X_key.
WITH per_employer AS (
    {per_employer}
)
SELECT {dims},
    sum(COLUMNS(lambda c: list_contains($counts, c))),
    count_if(COLUMNS(lambda c: list_contains($counts, c)) > 0) AS '\0_employers',
    max(COLUMNS(lambda c: list_contains($counts, c))) AS '\0_top',
    sum(COLUMNS(lambda c: list_contains(list_transform($counts, lambda x: x || '_key'), c)))
FROM per_employer
GROUP BY {dims}
ORDER BY {dims};
