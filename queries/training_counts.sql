-- training_counts: per cell of {dims}, trainees (distinct persons) and the volume of the
-- training actions started in the year.
-- The per_employer placeholder takes the text of training_per_employer (microdata) or of
-- rollup_rows / rollup_rows_group (same rows from a rollup, fewer to read: observatory/rollups.py).
-- Params: the filter parameters of filtered_training ({filter_arguments}).
-- Returns: {dims}, for each count X in (n = trainees, alternance = distinct persons entering
-- apprentissage, contrat_pro or Pro-A): X, X_employers, X_top, X_key; actions, hours, cost,
-- and a trainee's largest hours and cost (hours_max, cost_max).
WITH per_employer AS (
    {per_employer}
)
SELECT {dims},
    sum(n) AS n, count(*) AS n_employers, max(n) AS n_top, sum(n_key) AS n_key,
    sum(alternance) AS alternance, count_if(alternance > 0) AS alternance_employers,
    max(alternance) AS alternance_top, sum(alternance_key) AS alternance_key,
    sum(actions) AS actions, sum(hours) AS hours, max(hours_max) AS hours_max, sum(cost) AS cost,
    max(cost_max) AS cost_max
FROM per_employer
GROUP BY {dims}
ORDER BY {dims};
