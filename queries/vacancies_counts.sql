-- vacancies_counts: per cell of {dims}, openings posted in the year and their outcome.
-- Params: the filter parameters of filtered_vacancies ($year_from ... $sizes).
-- Returns: {dims}, for each count X in (n = openings, unfilled = not filled by 31/12 of the
-- posting year and not withdrawn, difficult, withdrawn, filled): X, X_employers, X_top, X_key;
-- delay_median (days from posting to filling, filled openings only).
WITH openings AS (
    SELECT *,
        (NOT withdrawn_unfilled AND (filled_on IS NULL OR filled_on > make_date(year, 12, 31))) AS is_unfilled,
        (filled_on IS NOT NULL) AS is_filled
    FROM filtered_vacancies($year_from, $year_to, $branches, $regions, $occupations, $sexes, $age_bands, $sizes)
),
per_employer AS (
    SELECT {dims}, employer_id,
        count(*) AS n,                                   sum(rkey) AS n_key,
        count_if(is_unfilled) AS unfilled,       sum(rkey * (is_unfilled)::INTEGER) AS unfilled_key,
        count_if(difficult) AS difficult,        sum(rkey * (difficult)::INTEGER) AS difficult_key,
        count_if(withdrawn_unfilled) AS withdrawn, sum(rkey * (withdrawn_unfilled)::INTEGER) AS withdrawn_key,
        count_if(is_filled) AS filled,           sum(rkey * (is_filled)::INTEGER) AS filled_key
    FROM openings
    GROUP BY {dims}, employer_id
),
counts AS (
    SELECT {dims},
        sum(n) AS n,                 count(*) AS n_employers,                              max(n) AS n_top,                 sum(n_key) AS n_key,
        sum(unfilled) AS unfilled,   count_if(unfilled > 0) AS unfilled_employers,  max(unfilled) AS unfilled_top,   sum(unfilled_key) AS unfilled_key,
        sum(difficult) AS difficult, count_if(difficult > 0) AS difficult_employers, max(difficult) AS difficult_top, sum(difficult_key) AS difficult_key,
        sum(withdrawn) AS withdrawn, count_if(withdrawn > 0) AS withdrawn_employers, max(withdrawn) AS withdrawn_top, sum(withdrawn_key) AS withdrawn_key,
        sum(filled) AS filled,       count_if(filled > 0) AS filled_employers,      max(filled) AS filled_top,       sum(filled_key) AS filled_key
    FROM per_employer
    GROUP BY {dims}
),
delays AS (
    SELECT {dims}, median(filled_on - posted_on) AS delay_median
    FROM openings
    WHERE is_filled
    GROUP BY {dims}
)
SELECT c.*, d.delay_median
FROM counts AS c
LEFT JOIN delays AS d USING ({dims})
ORDER BY {dims};
