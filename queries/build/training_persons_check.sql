-- training_persons_check: whether each person trained in a year at an employer has the same
-- occupation, sex and age band on all their actions: the condition for the rollups of groups of
-- trainees to count each trainee once (observatory/rollups.py).
-- Params: none. Returns: exact (boolean).
SELECT (SELECT count(*) FROM (SELECT DISTINCT year, employer_id, person_id, occupation, sex, age_band FROM training))
     = (SELECT count(*) FROM (SELECT DISTINCT year, employer_id, person_id FROM training)) AS exact;
