-- build_employees: the employees table of the snapshot database, typed and sorted for the
-- common filters, with the derived columns that queries group by (age_band, age5, family).
-- Rows keep the order of the Parquet file, which every snapshot writes sorted by year, branch,
-- region, occupation (contracts.SORT_KEYS): no second sort at build time.
-- Params: $file (path of employees.parquet). Needs occupation_family and age_band_of (build_reference).
CREATE TABLE employees AS
SELECT
    e.year::SMALLINT AS year,
    e.person_id::BIGINT AS person_id,
    e.employer_id::INTEGER AS employer_id,
    e.branch::VARCHAR AS branch,
    e.region::VARCHAR AS region,
    e.occupation::VARCHAR AS occupation,
    f.family AS family,
    e.sex::VARCHAR AS sex,
    e.age::TINYINT AS age,
    age_band_of(e.age) AS age_band,
    age5_of(e.age) AS age5,
    e.contract::VARCHAR AS contract,
    e.fte::DOUBLE AS fte,
    e.gross_monthly_fte::DOUBLE AS gross_monthly_fte,
    e.hired::BOOLEAN AS hired,
    e."left"::BOOLEAN AS "left",
    e.employer_size::VARCHAR AS employer_size,
    'ensemble' AS total,
    e.rkey::DOUBLE AS rkey
FROM read_parquet($file) AS e
LEFT JOIN occupation_family AS f ON f.occupation = e.occupation::VARCHAR;
