-- build_sorted_values: the values whose quantiles the app reads by position
-- (observatory/sorted_values.py), stored sorted by (year, value) with their filter and dimension
-- columns as enums (build_enum; read back as small integer codes, no strings: loaded in a
-- fraction of a second): the paid population's pay (apprentices and contrats de professionnalisation
-- excluded, as in employees_pay) and the delays of filled openings (as in vacancies_counts).
-- Params: none. Needs the employees and vacancies tables and their enum types (dim_<dataset>_<column>).
CREATE TABLE sorted_pay AS
SELECT year, gross_monthly_fte AS value,
    branch::dim_employees_branch AS branch, region::dim_employees_region AS region,
    occupation::dim_employees_occupation AS occupation, family::dim_employees_family AS family,
    sex::dim_employees_sex AS sex, age_band::dim_employees_age_band AS age_band, age5::dim_employees_age5 AS age5,
    employer_size::dim_employees_employer_size AS employer_size, contract::dim_employees_contract AS contract
FROM employees
WHERE contract NOT IN ('apprentissage', 'contrat_pro')
ORDER BY year, gross_monthly_fte;

CREATE TABLE sorted_delays AS
SELECT year, (filled_on - posted_on)::DOUBLE AS value,
    branch::dim_vacancies_branch AS branch, region::dim_vacancies_region AS region,
    occupation::dim_vacancies_occupation AS occupation, family::dim_vacancies_family AS family,
    employer_size::dim_vacancies_employer_size AS employer_size, contract::dim_vacancies_contract AS contract,
    month::dim_vacancies_month AS month
FROM vacancies
WHERE filled_on IS NOT NULL
ORDER BY year, value;
