-- employees_per_employer: fragment of employees_counts (not run alone): the counts of each
-- (cell of {dims}, employer) from the microdata, for any dimensions and filters.
-- Params: the filter parameters of filtered_employees ($year_from ... $sizes).
SELECT {dims}, employer_id,
    count(*) AS n,                              sum(rkey) AS n_key,
    count_if(sex = 'F') AS women,       sum(rkey * (sex = 'F')::INTEGER) AS women_key,
    count_if(fte < 1) AS part_time,     sum(rkey * (fte < 1)::INTEGER) AS part_time_key,
    count_if(age >= 55) AS aged_55,     sum(rkey * (age >= 55)::INTEGER) AS aged_55_key,
    count_if(age >= 57) AS aged_57,     sum(rkey * (age >= 57)::INTEGER) AS aged_57_key,
    count_if(age >= 52) AS aged_52,     sum(rkey * (age >= 52)::INTEGER) AS aged_52_key,
    count_if(hired) AS hired,           sum(rkey * (hired)::INTEGER) AS hired_key,
    count_if("left") AS "left",         sum(rkey * ("left")::INTEGER) AS left_key,
    sum(fte) AS fte
FROM filtered_employees($year_from, $year_to, $branches, $regions, $occupations, $sexes, $age_bands, $sizes)
GROUP BY {dims}, employer_id
