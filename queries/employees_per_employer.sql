-- employees_per_employer: fragment of employees_counts (not run alone): the counts of each
-- (cell of {dims}, employer) from the microdata, for any dimensions and filters.
-- Params: the filter parameters of filtered_employees ($year_from ... $sizes).
SELECT {dims}, employer_id,
    count(*) AS n,                              sum(rkey) AS n_key,
    count(*) FILTER (sex = 'F') AS women,       coalesce(sum(rkey) FILTER (sex = 'F'), 0) AS women_key,
    count(*) FILTER (fte < 1) AS part_time,     coalesce(sum(rkey) FILTER (fte < 1), 0) AS part_time_key,
    count(*) FILTER (age >= 55) AS aged_55,     coalesce(sum(rkey) FILTER (age >= 55), 0) AS aged_55_key,
    count(*) FILTER (age >= 57) AS aged_57,     coalesce(sum(rkey) FILTER (age >= 57), 0) AS aged_57_key,
    count(*) FILTER (age >= 52) AS aged_52,     coalesce(sum(rkey) FILTER (age >= 52), 0) AS aged_52_key,
    count(*) FILTER (hired) AS hired,           coalesce(sum(rkey) FILTER (hired), 0) AS hired_key,
    count(*) FILTER ("left") AS "left",         coalesce(sum(rkey) FILTER ("left"), 0) AS left_key,
    sum(fte) AS fte
FROM filtered_employees($year_from, $year_to, $branches, $regions, $occupations, $sexes, $age_bands, $sizes)
GROUP BY {dims}, employer_id
