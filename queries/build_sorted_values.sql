-- build_sorted_values: the values whose quantiles the app reads by position
-- (observatory/sorted_values.py), stored sorted by (year, value) with their filter and dimension
-- columns as enums (build_enum; read back as small integer codes, no strings: loaded in a
-- fraction of a second): the paid population's pay (apprentices and contrats de professionnalisation
-- excluded, as in employees_pay) and the delays of filled openings (as in vacancies_counts).
-- Params: none. Needs the employees and vacancies tables and the enum types.
CREATE TABLE sorted_pay AS
SELECT year, gross_monthly_fte AS value,
    branch::pay_branch AS branch, region::pay_region AS region, occupation::pay_occupation AS occupation,
    family::pay_family AS family, sex::pay_sex AS sex, age_band::pay_age_band AS age_band,
    age5::pay_age5 AS age5, employer_size::pay_employer_size AS employer_size, contract::pay_contract AS contract
FROM employees
WHERE contract NOT IN ('apprentissage', 'contrat_pro')
ORDER BY year, gross_monthly_fte;

CREATE TABLE sorted_delays AS
SELECT year, (filled_on - posted_on)::DOUBLE AS value,
    branch::delay_branch AS branch, region::delay_region AS region, occupation::delay_occupation AS occupation,
    family::delay_family AS family, employer_size::delay_employer_size AS employer_size,
    contract::delay_contract AS contract, month::delay_month AS month
FROM vacancies
WHERE filled_on IS NOT NULL
ORDER BY year, value;
