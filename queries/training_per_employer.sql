-- training_per_employer: fragment of training_counts (not run alone): trainees of each (cell
-- of {dims}, employer) from the microdata, a person counted once with the largest key of
-- their actions. Params: the filter parameters of filtered_training ($year_from ... $sizes).
WITH per_person AS (
    SELECT {dims}, employer_id, person_id,
        max(rkey) AS rkey,
        bool_or(scheme IN ('apprentissage', 'contrat_pro', 'pro_a')) AS in_alternance,
        count(*) AS actions, sum(hours) AS hours, sum(cost_eur) AS cost
    FROM filtered_training($year_from, $year_to, $branches, $regions, $occupations, $sexes, $age_bands, $sizes)
    GROUP BY {dims}, employer_id, person_id
)
SELECT {dims}, employer_id,
    count(*) AS n, sum(rkey) AS n_key,
    count(*) FILTER (in_alternance) AS alternance,
    coalesce(sum(rkey) FILTER (in_alternance), 0) AS alternance_key,
    sum(actions) AS actions, sum(hours) AS hours, sum(cost) AS cost
FROM per_person
GROUP BY {dims}, employer_id
