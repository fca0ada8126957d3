-- training_per_employer: fragment of training_counts (not run alone): trainees of each (cell
-- of {dims}, employer) from the microdata, a person counted once with the largest key of
-- their actions (the per_person placeholder takes training_per_person, the step that makes
-- trainees distinct), and the sums of hours and costs with a trainee's largest (the scale of
-- their noise, observatory/secrecy.py). The rollups are built from these rows
-- (observatory/rollups.py).
-- Params: the filter parameters of filtered_training ({filter_arguments}).
WITH per_person AS (
    {per_person}
)
SELECT {dims}, employer_id,
    count(*) AS n, sum(rkey) AS n_key,
    count_if(in_alternance) AS alternance,
    sum(rkey * (in_alternance)::INTEGER) AS alternance_key,
    sum(actions) AS actions, sum(hours) AS hours, max(hours) AS hours_max, sum(cost) AS cost,
    max(cost) AS cost_max
FROM per_person
GROUP BY {dims}, employer_id
