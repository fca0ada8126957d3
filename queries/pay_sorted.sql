-- pay_sorted: the paid population (apprentices and contrats de professionnalisation excluded,
-- as in employees_pay) as one column of gross monthly pay in FTE sorted within each year, with
-- the columns that filters and dimensions of employees_pay read. Loaded once per snapshot by
-- observatory/sorted_pay.py, where an exact quantile of any filtered cell is a lookup.
-- Read one year at a time, which bounds the memory of the load.
-- Params: $year. Returns: year, pay, then the filter and dimension columns.
SELECT year, gross_monthly_fte AS pay, branch, region, occupation, family, sex, age_band, age5,
    employer_size, contract
FROM employees
WHERE year = $year AND contract NOT IN ('apprentissage', 'contrat_pro')
ORDER BY gross_monthly_fte;
