-- build_pay_sorted: the paid population's pay (apprentices and contrats de professionnalisation
-- excluded, as in employees_pay) stored sorted by (year, pay), its filter and dimension columns
-- as enums (read back as small integer codes, no strings): observatory/sorted_pay.py loads it in
-- a fraction of a second and answers exact quantiles of any filtered cell by lookup.
-- Params: none. Needs the employees table.
CREATE TYPE pay_branch AS ENUM (SELECT DISTINCT branch FROM employees WHERE branch IS NOT NULL ORDER BY 1);
CREATE TYPE pay_region AS ENUM (SELECT DISTINCT region FROM employees WHERE region IS NOT NULL ORDER BY 1);
CREATE TYPE pay_occupation AS ENUM (SELECT DISTINCT occupation FROM employees WHERE occupation IS NOT NULL ORDER BY 1);
CREATE TYPE pay_family AS ENUM (SELECT DISTINCT family FROM employees WHERE family IS NOT NULL ORDER BY 1);
CREATE TYPE pay_sex AS ENUM (SELECT DISTINCT sex FROM employees WHERE sex IS NOT NULL ORDER BY 1);
CREATE TYPE pay_age_band AS ENUM (SELECT DISTINCT age_band FROM employees WHERE age_band IS NOT NULL ORDER BY 1);
CREATE TYPE pay_age5 AS ENUM (SELECT DISTINCT age5 FROM employees WHERE age5 IS NOT NULL ORDER BY 1);
CREATE TYPE pay_employer_size AS ENUM (SELECT DISTINCT employer_size FROM employees WHERE employer_size IS NOT NULL ORDER BY 1);
CREATE TYPE pay_contract AS ENUM (SELECT DISTINCT contract FROM employees WHERE contract IS NOT NULL ORDER BY 1);

CREATE TABLE pay_sorted AS
SELECT year, gross_monthly_fte AS pay,
    branch::pay_branch AS branch, region::pay_region AS region, occupation::pay_occupation AS occupation,
    family::pay_family AS family, sex::pay_sex AS sex, age_band::pay_age_band AS age_band,
    age5::pay_age5 AS age5, employer_size::pay_employer_size AS employer_size, contract::pay_contract AS contract
FROM employees
WHERE contract NOT IN ('apprentissage', 'contrat_pro')
ORDER BY year, gross_monthly_fte;
