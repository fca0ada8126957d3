-- training_per_person: fragment of training_per_employer (not run alone): each person trained in
-- a cell of {dims} at an employer, with their actions summed: the step that makes trainees
-- distinct persons.
-- Params: the filter parameters of filtered_training ($year_from ... $sizes).
SELECT {dims}, employer_id, person_id,
    max(rkey) AS rkey,
    bool_or(scheme IN ('apprentissage', 'contrat_pro', 'pro_a')) AS in_alternance,
    count(*) AS actions, sum(hours) AS hours, sum(cost_eur) AS cost
FROM filtered_training($year_from, $year_to, $branches, $regions, $occupations, $sexes, $age_bands, $sizes)
GROUP BY {dims}, employer_id, person_id
