-- employees_per_employer_group: fragment of employees_counts (not run alone): the same rows as
-- employees_per_employer, summed from the per-group rollup; valid only when {dims} are among
-- year, branch, region, employer_size, occupation, family, sex, age_band, total.
-- Params: the filter parameters of filtered_employees ($year_from ... $sizes).
SELECT {dims}, employer_id,
    sum(n)::BIGINT AS n,                 sum(n_key) AS n_key,
    sum(women)::BIGINT AS women,         sum(women_key) AS women_key,
    sum(part_time)::BIGINT AS part_time, sum(part_time_key) AS part_time_key,
    sum(aged_55)::BIGINT AS aged_55,     sum(aged_55_key) AS aged_55_key,
    sum(aged_57)::BIGINT AS aged_57,     sum(aged_57_key) AS aged_57_key,
    sum(aged_52)::BIGINT AS aged_52,     sum(aged_52_key) AS aged_52_key,
    sum(hired)::BIGINT AS hired,         sum(hired_key) AS hired_key,
    sum("left")::BIGINT AS "left",       sum(left_key) AS left_key,
    sum(fte) AS fte
FROM filtered_employees_by_group($year_from, $year_to, $branches, $regions, $occupations, $sexes, $age_bands, $sizes)
GROUP BY {dims}, employer_id
