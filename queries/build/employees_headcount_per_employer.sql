-- employees_headcount_per_employer: the rows of the headcount rollups (not run alone): for each
-- (cell of {dims}, employer) from the microdata, the persons present, their cell key and FTE,
-- as employees_per_employer counts them, without the other counts (observatory/rollups.py).
-- Params: the filter parameters of filtered_employees ({filter_arguments}).
SELECT {dims}, employer_id, count(*) AS n, sum(rkey) AS n_key, sum(fte) AS fte
FROM filtered_employees({filter_arguments})
GROUP BY {dims}, employer_id
