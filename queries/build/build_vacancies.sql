-- build_vacancies: the vacancies table, sorted, with family, posting month and the
-- employer's size class (taken from the employees table, latest year the employer appears).
-- Rows keep the order of the Parquet file, which every snapshot writes sorted by year, branch,
-- region, occupation (contracts.SORT_KEYS): no second sort at build time.
-- Params: $file (path of vacancies.parquet). Needs employees and occupation_family.
CREATE TABLE vacancies AS
WITH sizes AS (
    SELECT employer_id, arg_max(employer_size, year) AS employer_size
    FROM employees
    GROUP BY employer_id
)
SELECT
    v.year::SMALLINT AS year,
    v.employer_id::INTEGER AS employer_id,
    v.branch::VARCHAR AS branch,
    v.region::VARCHAR AS region,
    v.occupation::VARCHAR AS occupation,
    f.family AS family,
    v.contract::VARCHAR AS contract,
    v.fte::DOUBLE AS fte,
    v.posted_on::DATE AS posted_on,
    lpad(month(v.posted_on)::VARCHAR, 2, '0') AS month,
    v.filled_on::DATE AS filled_on,
    v.withdrawn_unfilled::BOOLEAN AS withdrawn_unfilled,
    v.difficult::BOOLEAN AS difficult,
    s.employer_size AS employer_size,
    'ensemble' AS total,
    v.rkey::DOUBLE AS rkey
FROM read_parquet($file) AS v
LEFT JOIN occupation_family AS f ON f.occupation = v.occupation::VARCHAR
LEFT JOIN sizes AS s ON s.employer_id = v.employer_id;
