-- build_training: the training table, sorted, with family and age_band.
-- Rows keep the order of the Parquet file, which every snapshot writes sorted by year, branch,
-- region, occupation (contracts.SORT_KEYS): no second sort at build time.
-- Params: $file (path of training.parquet). Needs occupation_family and age_band_of (build_reference).
CREATE TABLE training AS
SELECT
    t.year::SMALLINT AS year,
    t.person_id::BIGINT AS person_id,
    t.employer_id::INTEGER AS employer_id,
    t.branch::VARCHAR AS branch,
    t.region::VARCHAR AS region,
    t.occupation::VARCHAR AS occupation,
    f.family AS family,
    t.sex::VARCHAR AS sex,
    t.age::TINYINT AS age,
    age_band_of(t.age) AS age_band,
    t.employer_size::VARCHAR AS employer_size,
    t.scheme::VARCHAR AS scheme,
    coalesce(t.certification::VARCHAR, 'aucune') AS certification,  -- null: no certification (tables.NO_CERTIFICATION)
    t.hours::DOUBLE AS hours,
    t.cost_eur::DOUBLE AS cost_eur,
    t.completed::BOOLEAN AS completed,
    'ensemble' AS total,
    t.rkey::DOUBLE AS rkey
FROM read_parquet($file) AS t
LEFT JOIN occupation_family AS f ON f.occupation = t.occupation::VARCHAR;
