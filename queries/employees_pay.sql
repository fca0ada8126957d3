-- employees_pay: per cell of {dims}, the distribution of gross monthly pay in full-time
-- equivalent, apprentices and contrats de professionnalisation excluded (INSEE convention).
-- The per_employer placeholder takes the text of employees_pay_per_employer or, when it
-- applies, of employees_pay_per_employer_rollup (same rows, fewer to read).
-- Params: the filter parameters of filtered_employees ($year_from ... $sizes).
-- Returns: {dims}, n/n_employers/n_top/n_key (secrecy inputs of the paid population), d1, q1,
-- median, q3, d9, mean, mean_women, n_women, mean_men, n_men, near_smic (count below 1.1 SMIC
-- of the year, with its secrecy inputs), smic (mean SMIC of the cell's years, weighted by rows).
WITH paid AS (
    SELECT e.*, s.monthly_gross AS smic
    FROM filtered_employees($year_from, $year_to, $branches, $regions, $occupations, $sexes, $age_bands, $sizes) AS e
    JOIN smic AS s USING (year)
    WHERE e.contract NOT IN ('apprentissage', 'contrat_pro')
),
per_employer AS (
    {per_employer}
),
employers AS (
    SELECT {dims},
        count(*) AS n_employers, max(n) AS n_top, sum(n_key) AS n_key,
        sum(near_smic) AS near_smic, count(*) FILTER (near_smic > 0) AS near_smic_employers,
        max(near_smic) AS near_smic_top, sum(near_smic_key) AS near_smic_key,
        count(*) FILTER (women > 0) AS women_employers, max(women) AS women_top,
        count(*) FILTER (men > 0) AS men_employers, max(men) AS men_top
    FROM per_employer
    GROUP BY {dims}
),
distribution AS (
    SELECT {dims},
        count(*) AS n,
        quantile_cont(gross_monthly_fte, [0.1, 0.25, 0.5, 0.75, 0.9]) AS q,
        avg(gross_monthly_fte) AS mean,
        avg(gross_monthly_fte) FILTER (sex = 'F') AS mean_women, count(*) FILTER (sex = 'F') AS n_women,
        avg(gross_monthly_fte) FILTER (sex = 'M') AS mean_men,   count(*) FILTER (sex = 'M') AS n_men,
        avg(smic) AS smic
    FROM paid
    GROUP BY {dims}
)
SELECT {dims}, d.n, e.n_employers, e.n_top, e.n_key,
    d.q[1] AS d1, d.q[2] AS q1, d.q[3] AS median, d.q[4] AS q3, d.q[5] AS d9,
    d.mean, d.mean_women, d.n_women, e.women_employers, e.women_top,
    d.mean_men, d.n_men, e.men_employers, e.men_top,
    e.near_smic, e.near_smic_employers, e.near_smic_top, e.near_smic_key, d.smic
FROM distribution AS d
JOIN employers AS e USING ({dims})
ORDER BY {dims};
