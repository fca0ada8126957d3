-- training_counts: per cell of {dims}, trainees (distinct persons) and the volume of the
-- training actions started in the year.
-- Params: the filter parameters of filtered_training ($year_from ... $sizes).
-- Returns: {dims}, for each count X in (n = trainees, alternance = distinct persons entering
-- apprentissage, contrat_pro or Pro-A): X, X_employers, X_top, X_key; actions, hours, cost.
WITH per_person AS (
    SELECT {dims}, employer_id, person_id,
        max(rkey) AS rkey,
        bool_or(scheme IN ('apprentissage', 'contrat_pro', 'pro_a')) AS in_alternance,
        count(*) AS actions, sum(hours) AS hours, sum(cost_eur) AS cost
    FROM filtered_training($year_from, $year_to, $branches, $regions, $occupations, $sexes, $age_bands, $sizes)
    GROUP BY {dims}, employer_id, person_id
),
per_employer AS (
    SELECT {dims}, employer_id,
        count(*) AS n, sum(rkey) AS n_key,
        count(*) FILTER (in_alternance) AS alternance,
        coalesce(sum(rkey) FILTER (in_alternance), 0) AS alternance_key,
        sum(actions) AS actions, sum(hours) AS hours, sum(cost) AS cost
    FROM per_person
    GROUP BY {dims}, employer_id
)
SELECT {dims},
    sum(n) AS n, count(*) AS n_employers, max(n) AS n_top, sum(n_key) AS n_key,
    sum(alternance) AS alternance, count(*) FILTER (alternance > 0) AS alternance_employers,
    max(alternance) AS alternance_top, sum(alternance_key) AS alternance_key,
    sum(actions) AS actions, sum(hours) AS hours, sum(cost) AS cost
FROM per_employer
GROUP BY {dims}
ORDER BY {dims};
