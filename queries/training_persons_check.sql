-- training_persons_check: whether each person trained in a year at an employer has the same
-- attributes on all their actions (one row of training_by_person each): the condition for the
-- per-person rollups to give exactly the cells of the microdata.
-- Params: none. Returns: exact (boolean).
SELECT (SELECT count(*) FROM training_by_person)
     = (SELECT count(*) FROM (SELECT DISTINCT year, employer_id, person_id FROM training)) AS exact;
