-- employees_counts: per cell of {dims}, headcount-type counts of persons present in the year,
-- each with the inputs of statistical secrecy (rows, employers, largest employer, cell key).
-- The per_employer placeholder takes the text of employees_per_employer (microdata) or of
-- rollup_rows / rollup_rows_group (same rows from a rollup, fewer to read: observatory/rollups.py).
-- Params: the filter parameters of filtered_employees ($year_from ... $sizes).
-- Returns: {dims}, then for each count X in (n, women, part_time, aged_55, aged_57, aged_52, hired,
-- left):
-- X, X_employers, X_top, X_key; plus fte (sum).
WITH per_employer AS (
    {per_employer}
)
SELECT {dims},
    sum(n) AS n,             count(*) AS n_employers,                                max(n) AS n_top,             sum(n_key) AS n_key,
    sum(women) AS women,     count_if(women > 0) AS women_employers,        max(women) AS women_top,     sum(women_key) AS women_key,
    sum(part_time) AS part_time, count_if(part_time > 0) AS part_time_employers, max(part_time) AS part_time_top, sum(part_time_key) AS part_time_key,
    sum(aged_55) AS aged_55, count_if(aged_55 > 0) AS aged_55_employers,    max(aged_55) AS aged_55_top, sum(aged_55_key) AS aged_55_key,
    sum(aged_57) AS aged_57, count_if(aged_57 > 0) AS aged_57_employers,    max(aged_57) AS aged_57_top, sum(aged_57_key) AS aged_57_key,
    sum(aged_52) AS aged_52, count_if(aged_52 > 0) AS aged_52_employers,    max(aged_52) AS aged_52_top, sum(aged_52_key) AS aged_52_key,
    sum(hired) AS hired,     count_if(hired > 0) AS hired_employers,        max(hired) AS hired_top,     sum(hired_key) AS hired_key,
    sum("left") AS "left",   count_if("left" > 0) AS left_employers,        max("left") AS left_top,     sum(left_key) AS left_key,
    sum(fte) AS fte
FROM per_employer
GROUP BY {dims}
ORDER BY {dims};
