-- vacancies_per_employer: fragment of vacancies_counts (not run alone), and the rows the
-- vacancies' rollups are built from: for each (cell of {dims}, employer) from the microdata,
-- the openings posted in the year and their outcome, each count with its cell key.
-- Params: the filter parameters of filtered_vacancies ({filter_arguments}).
SELECT {dims}, employer_id,
    count(*) AS n,                                   sum(rkey) AS n_key,
    count_if(is_unfilled) AS unfilled,       sum(rkey * (is_unfilled)::INTEGER) AS unfilled_key,
    count_if(difficult) AS difficult,        sum(rkey * (difficult)::INTEGER) AS difficult_key,
    count_if(withdrawn_unfilled) AS withdrawn, sum(rkey * (withdrawn_unfilled)::INTEGER) AS withdrawn_key,
    count_if(is_filled) AS filled,           sum(rkey * (is_filled)::INTEGER) AS filled_key
FROM (
    SELECT *,
        (NOT withdrawn_unfilled AND (filled_on IS NULL OR filled_on > make_date(year, 12, 31))) AS is_unfilled,
        (filled_on IS NOT NULL) AS is_filled
    FROM filtered_vacancies({filter_arguments})
)
GROUP BY {dims}, employer_id
