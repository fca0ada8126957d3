-- training_per_person: fragment of training_per_employer (not run alone): each person trained in
-- a cell of {dims} at an employer, with their actions summed: the step that makes trainees
-- distinct persons.
-- Params: the filter parameters of filtered_training ({filter_arguments}).
SELECT {dims}, employer_id, person_id,
    max(rkey) AS rkey,
    bool_or(scheme IN ('apprentissage', 'contrat_pro', 'pro_a')) AS in_alternance,
    count(*) AS actions, sum(hours) AS hours, sum(cost_eur) AS cost
FROM filtered_training({filter_arguments})
GROUP BY {dims}, employer_id, person_id
